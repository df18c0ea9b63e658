"""A compliance report as a PDF, rendered from its snapshot alone (reportlab), in French or English.

Page 1 is the decision page (``verdicts``): what an executive reads in one minute. The pages after it are the
annexes, where the reference numbers, indices and tables live, and the method with its sources."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

from django.utils import formats, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

from controls.art21 import ART21_TITLES
from nis2.charts import Series, grouped_bar_chart, heat_map
from nis2.pdf import FONT, FONT_BOLD, register_fonts, text
from reports import labels, verdicts
from reports.deliberation import deliberation_lines
from reports.verdicts import STATUS_LABELS, Status, trend_label

WIDTH = A4[0] - 32 * mm
TABLE_STYLE = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#CCCCCC")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF0F6")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
)
STATUS_COLOURS = {
    Status.ON_TRACK: colors.HexColor("#18753C"),
    Status.WATCH: colors.HexColor("#B34000"),
    Status.ACT: colors.HexColor("#CE0500"),
    Status.UNKNOWN: colors.HexColor("#666666"),
}
# A figure from outside Rempart's data, with its source (printed in the method annex, never compared with the
# organisation's own figures: another population and another measure).
CAUSE_NOT_FOUND_SHARE_2024 = 45


def sources() -> list[str]:
    return [
        _(
            "Cybermalveillance.gouv.fr and OpinionWay, third barometer of local authorities' cyber maturity (November "
            "2024): "
            "%(share)s %% of the attacked authorities of fewer than 25,000 inhabitants did not learn the cause of "
            "the attack. A different population and measure from this report's share of closed incidents with a "
            "known cause: given for context, not compared."
        )
        % {"share": CAUSE_NOT_FOUND_SHARE_2024}
    ]


def number(value: float | int | None, places: int = 1) -> str:
    if value is None:
        return "—"
    # Rounded first: Django truncates the decimals of a float it formats.
    return formats.number_format(round(value, places), places, use_l10n=True, force_grouping=True)


def euros(value: float | None) -> str:
    return "—" if value is None else f"{number(value, 0)} €"


def day(value: str | None) -> str:
    return formats.date_format(datetime.date.fromisoformat(value[:10]), "SHORT_DATE_FORMAT") if value else "—"


def period_label(meta: dict[str, Any]) -> str:
    if meta.get("kind") == "annual":
        return _("Year %(year)s") % {"year": meta["year"]}
    return _("Q%(number)s %(year)s") % {"number": meta["quarter_number"], "year": meta["year"]}


def table(rows: list[list[Any]], widths: list[float] | None = None) -> Table:
    cells = [[cell if not isinstance(cell, str) else text(cell, "small") for cell in row] for row in rows]
    result = Table(cells, colWidths=widths, repeatRows=1)
    result.setStyle(TABLE_STYLE)
    return result


class StatusMark(Flowable):
    """A status as a drawn shape and its words: the meaning never rests on the colour alone (and the shapes
    need no glyph the embedded font may lack)."""

    def __init__(self, status: Status, width: float = 34 * mm) -> None:
        super().__init__()
        self.status, self.width, self.height = status, width, 14

    def draw(self) -> None:
        canvas, colour = self.canv, STATUS_COLOURS[self.status]
        canvas.saveState()
        canvas.setStrokeColor(colour)
        canvas.setFillColor(colour)
        canvas.setLineWidth(1.6)
        centre_x, centre_y, radius = 6, 7, 5.5
        canvas.circle(centre_x, centre_y, radius, stroke=1, fill=0)
        if self.status is Status.ON_TRACK:  # a tick
            canvas.lines([(3.2, 7.2, 5.3, 4.8), (5.3, 4.8, 8.9, 9.6)])
        elif self.status is Status.ACT:  # a cross
            canvas.lines([(3.8, 4.8, 8.2, 9.2), (3.8, 9.2, 8.2, 4.8)])
        else:  # "!" to watch, "?" not assessed
            canvas.setFont(FONT_BOLD, 8)
            canvas.drawCentredString(centre_x, 4.3, "!" if self.status is Status.WATCH else "?")
        canvas.setFont(FONT_BOLD, 8.5)
        canvas.drawString(15, 4.3, str(STATUS_LABELS[self.status]))
        canvas.restoreState()


def decision_page(snapshot: dict[str, Any]) -> list[Flowable]:
    """Page 1: the organisation, the period, a verdict per pillar, the decisions asked, the approvals in force."""
    meta = snapshot["meta"]
    page = verdicts.decision_page(snapshot)
    title = _("NIS 2 compliance report") if meta.get("kind") != "annual" else _("Annual cybersecurity report")
    story: list[Flowable] = [text(title, "title")]
    if meta["consolidated"]:
        story.append(
            text(
                _("Consolidated report: %(organisation)s and its member communes")
                % {"organisation": meta["organisation"]},
                "h1",
            )
        )
    else:
        story.append(text(meta["organisation"], "h1"))
    story.append(
        text(
            _("%(period)s (%(start)s – %(end)s) · SIREN %(siren)s · %(status)s")
            % {
                "period": period_label(meta),
                "start": day(meta["start"]),
                "end": day(meta["end"]),
                "siren": meta["siren"],
                "status": labels.nis2_status(meta["nis2_status"]),
            },
            "small",
        )
    )
    basis = meta.get("legal_basis")
    if basis:
        story.append(text(basis["explanation"], "small"))
    story.append(text(_("The essentials"), "h2"))
    rows = [
        [
            StatusMark(verdict.status),
            [text(verdict.pillar, "label"), text(verdict.sentence, "small")],
            text(trend_label(verdict.trend, annual=meta.get("kind") == "annual"), "small"),
        ]
        for verdict in page.verdicts
    ]
    essentials = Table(rows, colWidths=[36 * mm, WIDTH - 36 * mm - 34 * mm, 34 * mm])
    essentials.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#CCCCCC")),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story.append(essentials)
    story.append(text(_("Decisions asked of you"), "h2"))
    if page.decisions:
        for index, decision in enumerate(page.decisions, start=1):
            story.append(text(f"{index}. {decision.title}", "label"))
            details = _("Why: %(reason)s") % {"reason": decision.reason}
            if decision.deadline:
                details += " " + _("When: %(deadline)s.") % {"deadline": decision.deadline}
            if decision.cost:
                details += " " + _("Cost at stake: %(cost)s.") % {"cost": decision.cost}
            story.append(text(details, "small"))
    else:
        story.append(text(_("No decision is asked of you this period.")))
    story += governance_summary(snapshot.get("governance"))
    story.append(Spacer(1, 4 * mm))
    story.append(
        text(
            _(
                "How to read this page: “Under control” means the security level reaches at least %(on_track)s %% of "
                "its target, no legal report is late, less than %(watch_spend)s %% of the IT spend depends on "
                "non-European vendors and no action is overdue; “To watch” and “Action needed” mark the way "
                "there. These thresholds are Rempart's choices, not the law. The details and their sources are in "
                "the annexes."
            )
            % {
                "on_track": verdicts.MATURITY_ON_TRACK_PERCENT,
                "watch_spend": verdicts.EXPOSED_SPEND_WATCH_PERCENT,
            },
            "small",
        )
    )
    story.append(
        text(
            _("Restricted — for the executives of %(organisation)s. Issued on %(date)s; figures as at %(end)s.")
            % {"organisation": meta["organisation"], "date": day(meta["issued_at"]), "end": day(meta["end"])},
            "small",
        )
    )
    return story


def governance_summary(governance: dict[str, Any] | None) -> list[Flowable]:
    """The approvals in force and the management body's training (NIS 2 Art. 20), in a few lines."""
    if governance is None:
        return []
    story: list[Flowable] = [text(_("Approvals in force (NIS 2, Art. 20)"), "h2")]
    approvals = governance.get("approvals") or []
    if not approvals:
        story.append(
            text(_("No approval is on record: the management body is asked to approve the security measures."))
        )
    for approval in approvals:
        story.append(
            text(
                _("%(subject)s: %(act)s n° %(reference)s of %(date)s (%(body)s).")
                % {
                    "subject": capfirst(labels.approval_subject(approval["subject"])),
                    "act": labels.act_type(approval["act_type"]),
                    "reference": approval["act_reference"],
                    "date": day(approval["decided_on"]),
                    "body": labels.assembly_body(approval["body"]),
                },
                "small",
            )
        )
    for change in governance.get("changes") or []:
        sentence = verdicts.change_sentence(change)
        if sentence:
            story.append(text("• " + sentence, "small"))
    training = governance.get("training") or {}
    if training.get("members"):
        sentence = _(
            "%(trained)s of the %(members)s members of the management body were trained in the last 24 months."
        ) % {"trained": training["trained"], "members": training["members"]}
        if training["not_trained"]:
            sentence += " " + _("Not trained: %(names)s.") % {"names": ", ".join(training["not_trained"])}
        story.append(text(sentence, "small"))
    return story


def members_page(snapshot: dict[str, Any]) -> list[Flowable]:
    """The member communes side by side (consolidated report)."""
    members = snapshot.get("members")
    if not members:
        return []
    rows: list[list[Any]] = [
        [_("Commune"), _("Security level (share of its target)"), _("Incidents (reported)"), _("Spend exposed")]
    ]
    for member in members:
        if not member.get("shared", True):
            rows.append([member["name"], _("not shared"), _("not shared"), _("not shared")])
            continue
        maturity = member.get("maturity") or {}
        incidents = member["incidents"]
        rows.append(
            [
                member["name"],
                f"{number(maturity.get('percent'), 0)} %" if maturity.get("percent") is not None else _("not assessed"),
                f"{incidents['total']} ({incidents['significant']})",
                f"{number(member.get('exposed_spend_share'), 0)} %"
                if member.get("exposed_spend_share") is not None
                else "—",
            ]
        )
    return [
        text(_("Member communes side by side"), "h1"),
        text(
            _(
                "A commune that has not agreed to share its data with the intercommunality appears as “not shared”: "
                "none of its figures is used in this report."
            ),
            "small",
        ),
        table(rows, [WIDTH * 0.4, WIDTH * 0.22, WIDTH * 0.19, WIDTH * 0.19]),
        PageBreak(),
    ]


def maturity_annex(snapshot: dict[str, Any]) -> list[Flowable]:
    language = snapshot["meta"]["language"]
    maturity = snapshot["maturity"]
    story: list[Flowable] = [text(_("Annex 1 — Security level by NIS 2 Article 21(2) measure"), "h1")]
    if not maturity:
        return [*story, text(_("No self-assessment covers this quarter."))]
    overall = maturity["overall"]
    story.append(
        text(
            _(
                "%(framework)s, assessment %(label)s: mean level %(level)s out of 5 against a target of %(target)s, "
                "that is %(percent)s %% of the target."
            )
            % {
                "framework": maturity["framework"][language],
                "label": maturity["label"],
                "level": number(overall["level"], 2),
                "target": number(overall["target"], 2),
                "percent": number(overall["percent"]),
            },
            "small",
        )
    )
    measures = maturity["by_measure"]
    series = [
        Series(_("Current"), [m["level"] or 0 for m in measures]),
        Series(_("Target"), [m["target"] or 0 for m in measures]),
    ]
    if maturity["previous"]:
        series.append(Series(maturity["previous"]["label"], [m["previous_level"] for m in measures]))
    story.append(
        grouped_bar_chart(
            [f"({m['point']})" for m in measures], series, value_max=5, value_step=1, width=int(WIDTH), height=200
        )
    )
    rows = [[_("Measure"), _("Level"), _("Target"), _("% of target"), _("Previous")]]
    rows += [
        [
            f"({m['point']}) {ART21_TITLES[m['point']]}",
            number(m["level"], 2),
            number(m["target"], 2),
            number(m["percent"]),
            number(m["previous_level"], 2),
        ]
        for m in measures
    ]
    story.append(table(rows, [WIDTH * 0.52, WIDTH * 0.12, WIDTH * 0.12, WIDTH * 0.12, WIDTH * 0.12]))
    story.append(text(_("The ten biggest gaps"), "h2"))
    rows = [[_("Requirement"), _("Current"), _("Target"), _("Weighted gap")]]
    rows += [
        [
            f"{gap['ref']} {gap['title'][language] or gap['title']['fr']}",
            str(gap["current"]),
            str(gap["target"]),
            str(gap["weighted_gap"]),
        ]
        for gap in maturity["top_gaps"]
    ]
    story.append(table(rows, [WIDTH * 0.7, WIDTH * 0.1, WIDTH * 0.1, WIDTH * 0.1]))
    return story


def actions_annex(snapshot: dict[str, Any]) -> list[Flowable]:
    story: list[Flowable] = [text(_("Annex 2 — Action plan"), "h1")]
    for key, title in (
        ("done", _("Done this quarter")),
        ("overdue", _("Overdue")),
        ("due_next", _("Due next quarter")),
    ):
        entries = snapshot["actions"][key]
        story.append(text(f"{title} ({len(entries)})", "h2"))
        if entries:
            rows = [[_("Action"), _("Owner"), _("Due")]] + [
                [entry["title"], entry["owner"] or "—", day(entry["due_date"])] for entry in entries
            ]
            story.append(table(rows, [WIDTH * 0.6, WIDTH * 0.25, WIDTH * 0.15]))
    story.append(PageBreak())
    return story


def incidents_annex(snapshot: dict[str, Any]) -> list[Flowable]:
    incidents = snapshot["incidents"]
    stats = incidents["stats"]
    story: list[Flowable] = [text(_("Annex 3 — Incidents"), "h1")]
    story.append(
        text(
            _(
                "%(total)s incident(s), of which %(significant)s significant (to be reported to the authority). "
                "Legal reports on time: %(on_time)s; late: %(late)s; overdue: %(overdue)s. Median time to find the "
                "root cause: %(hours)s hours."
            )
            % {
                "total": stats["total"],
                "significant": stats["significant"],
                "on_time": stats["obligations_on_time"],
                "late": stats["obligations_late"],
                "overdue": stats["obligations_overdue"],
                "hours": number(stats["median_hours_to_root_cause"]),
            }
        )
    )
    if incidents["rows"]:
        rows: list[list[Any]] = [
            [_("Date"), _("Incident"), _("Category"), _("Severity"), _("Significant"), _("Root cause"), _("Reports")]
        ]
        for row in incidents["rows"]:
            rows.append(
                [
                    day(row["detected_at"]),
                    row["title"],
                    labels.incident_category(row["category"]),
                    labels.severity(row["severity"]),
                    labels.yes_no_unknown(row["significant"]),
                    labels.root_cause(row["root_cause"]),
                    ", ".join(labels.obligation_status(status) for status in row["obligations"]) or "—",
                ]
            )
        story.append(table(rows, [WIDTH * w for w in (0.12, 0.2, 0.16, 0.1, 0.12, 0.14, 0.16)]))
    trend = incidents["trend"]
    story.append(text(_("Last four quarters"), "h2"))
    story.append(
        grouped_bar_chart(
            [entry["quarter"] for entry in trend],
            [
                Series(_("Incidents"), [entry["total"] for entry in trend]),
                Series(_("Significant"), [entry["significant"] for entry in trend]),
            ],
            value_max=max([entry["total"] for entry in trend] + [4]),
            value_step=1 if max([e["total"] for e in trend] + [0]) <= 10 else 5,
            width=int(WIDTH),
            height=170,
        )
    )
    story.append(PageBreak())
    return story


def dependencies_annex(snapshot: dict[str, Any]) -> list[Flowable]:
    language = snapshot["meta"]["language"]
    dependencies = snapshot["dependencies"]
    story: list[Flowable] = [text(_("Annex 4 — Dependence on non-European technology"), "h1")]
    story.append(
        text(
            _(
                "Dependency index %(index)s out of 100 (previous quarter: %(previous)s): the spend-weighted mean of "
                "the components' dependency scores. %(share)s %% of the spend (%(spend)s) goes to exposed vendors; "
                "%(oss)s %% of the components are open source."
            )
            % {
                "index": number(dependencies["index"]),
                "previous": number(dependencies["previous_index"]),
                "share": number(dependencies["exposed_spend_share"]),
                "spend": euros(dependencies["exposed_spend_eur"]),
                "oss": number(dependencies["open_source_share"]),
            }
        )
    )
    if dependencies["by_domain"]:
        story.append(
            heat_map(
                [f"{d['code']} {d['name'][language]}" for d in dependencies["by_domain"]],
                [f"E{level}" for level in range(5)],
                [[count or None for count in d["exposure_counts"]] for d in dependencies["by_domain"]],
                value_max=max(max(d["exposure_counts"]) for d in dependencies["by_domain"]) or 1,
                cell_width=50,
                label_width=180,
                max_label_width=230,
            )
        )
    story.append(text(_("Critical dependencies on non-European vendors"), "h2"))
    if dependencies["top"]:
        rows: list[list[Any]] = [[_("Component"), _("Score"), _("Class"), _("Strategy"), _("Alternatives")]]
        rows += [
            [
                f"{item['name']} ({item['product']})",
                str(item["score"]),
                str(item["class"]),
                labels.strategy(item["strategy"]),
                ", ".join(item["alternatives"]) or "—",
            ]
            for item in dependencies["top"]
        ]
        story.append(table(rows, [WIDTH * 0.38, WIDTH * 0.08, WIDTH * 0.08, WIDTH * 0.16, WIDTH * 0.3]))
    else:
        story.append(text(_("None.")))
    story.append(text(_("Contracts up for renewal in the next 12 months"), "h2"))
    if dependencies["renewals"]:
        rows = [[_("Component"), _("Contract end"), _("Exposure"), _("Strategy")]]
        rows += [
            [
                item["name"],
                day(item["contract_end"]),
                labels.exposure(item["exposure"]),
                labels.strategy(item["strategy"]),
            ]
            for item in dependencies["renewals"]
        ]
        story.append(table(rows, [WIDTH * 0.45, WIDTH * 0.17, WIDTH * 0.18, WIDTH * 0.2]))
    else:
        story.append(text(_("None.")))
    story.append(PageBreak())
    return story


def method_annex(snapshot: dict[str, Any]) -> list[Flowable]:
    language = snapshot["meta"]["language"]
    story: list[Flowable] = [text(_("Annex 5 — Method and sources"), "h1")]
    for sentence in (
        _(
            "The security level is rated per requirement from 0 (not performed) to 5 (optimising); a requirement "
            "not rated counts as 0; scores are weighted means over the applicable requirements."
        ),
        _(
            "The dependency score is D = 100 × C × E × L / 64, with criticality C (1–4), exposure to non-European "
            "decisions E (0–4: E0 not exposed to E4 fully exposed) and lock-in L (1–4); classes 1 to 5."
        ),
        _(
            "Reporting deadlines follow Directive (EU) 2022/2555, Article 23(4): early warning within 24 hours, "
            "notification within 72 hours, final report one month later."
        ),
        _(
            "Directive (EU) 2022/2555, Article 20: the management body approves the cybersecurity risk-management "
            "measures, oversees their implementation and follows training."
        ),
        _("All figures describe the state at the end of the period, read from the change history."),
    ):
        story.append(text("• " + sentence, "small"))
    basis = snapshot["meta"].get("legal_basis")
    if basis:
        story.append(text("• " + basis["explanation"], "small"))
    story.append(text(_("Sources of figures from outside Rempart"), "h2"))
    story += [text("• " + source, "small") for source in sources()]
    maturity = snapshot["maturity"]
    if maturity:
        story.append(text(_("Requirements and their level"), "h2"))
        rows = [[_("Requirement"), _("Level"), _("Target")]]
        rows += [
            [
                f"{req['ref']} {req['title'][language] or req['title']['fr']}",
                _requirement_level(req),
                str(req["target"]),
            ]
            for req in maturity["requirements"]
        ]
        story.append(table(rows, [WIDTH * 0.68, WIDTH * 0.2, WIDTH * 0.12]))
    return story


def year_annex(snapshot: dict[str, Any]) -> list[Flowable]:
    """The annual report's year at a glance: the four quarters, the causes of the incidents, the approvals."""
    quarters = snapshot.get("year_by_quarter")
    if not quarters:
        return []
    rows: list[list[Any]] = [
        [
            _("Quarter"),
            _("Security level (share of its target)"),
            _("Incidents (reported)"),
            _("Spend exposed"),
            _("Overdue actions"),
        ]
    ]
    rows += [
        [
            row["quarter"],
            f"{number(row['maturity_percent'], 0)} %" if row["maturity_percent"] is not None else _("not assessed"),
            f"{row['incidents']} ({row['significant']})",
            f"{number(row['exposed_spend_share'], 0)} %" if row["exposed_spend_share"] is not None else "—",
            str(row["overdue_actions"]),
        ]
        for row in quarters
    ]
    story: list[Flowable] = [
        text(_("The year at a glance"), "h1"),
        table(rows, [WIDTH * 0.16, WIDTH * 0.24, WIDTH * 0.2, WIDTH * 0.2, WIDTH * 0.2]),
        text(_("Causes of the year's incidents"), "h2"),
    ]
    causes: dict[str, int] = {}
    for row in snapshot["incidents"]["rows"]:
        label = labels.root_cause(row["root_cause"])
        causes[label] = causes.get(label, 0) + 1
    if causes:
        story.append(
            table(
                [[_("Root cause"), _("Incidents")], *[[label, str(count)] for label, count in sorted(causes.items())]],
                [WIDTH * 0.7, WIDTH * 0.3],
            )
        )
    else:
        story.append(text(_("No incident was recorded this year.")))
    story.append(PageBreak())
    return story


def deliberation_annex(snapshot: dict[str, Any]) -> list[Flowable]:
    """The draft délibération (in French: an act of a French assembly), also delivered as an OpenDocument text."""
    if snapshot["meta"].get("kind") != "annual":
        return []
    styles = {"title": "h1", "heading": "h2", "body": "body", "article": "body", "note": "small"}
    story: list[Flowable] = [
        PageBreak(),
        text(_("Annex 6 — Draft deliberation (in French, the language of the assembly's acts)"), "h1"),
    ]
    story += [text(line.text, styles[line.style]) for line in deliberation_lines(snapshot)]
    return story


def _requirement_level(requirement: dict[str, Any]) -> str:
    if not requirement["applicable"]:
        return _("N/A")
    level = str(requirement["level"]) if requirement["level"] is not None else "—"
    if requirement.get("alternative"):
        return _("%(level)s (alternative measure)") % {"level": level}
    return level


SECTIONS: tuple[Callable[[dict[str, Any]], list[Flowable]], ...] = (
    members_page,
    year_annex,
    maturity_annex,
    actions_annex,
    incidents_annex,
    dependencies_annex,
    method_annex,
    deliberation_annex,
)


def render_report(snapshot: dict[str, Any]) -> bytes:
    register_fonts()
    with translation.override(snapshot["meta"]["language"]):
        meta = snapshot["meta"]
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=16 * mm,
            rightMargin=16 * mm,
            topMargin=14 * mm,
            bottomMargin=16 * mm,
            title=_("NIS 2 compliance report — %(period)s") % {"period": period_label(meta)},
            author="Rempart",
            creator="Rempart",
            subject=meta["organisation"],
        )

        def footer(canvas: Any, doc: Any) -> None:
            canvas.saveState()
            canvas.setFont(FONT, 7.5)
            canvas.drawString(
                16 * mm,
                9 * mm,
                _("Restricted — for the executives of %(organisation)s") % {"organisation": meta["organisation"]},
            )
            canvas.drawRightString(A4[0] - 16 * mm, 9 * mm, f"{period_label(meta)} · {doc.page}")
            canvas.restoreState()

        story = [*decision_page(snapshot), PageBreak()]
        for section in SECTIONS:
            story += section(snapshot)
        document.build(story, onFirstPage=footer, onLaterPages=footer)
        return buffer.getvalue()
