"""The quarterly report as a PDF, rendered from its snapshot alone (reportlab), in French or English."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

from controls.art21 import ART21_TITLES
from nis2.charts import Series, grouped_bar_chart, heat_map
from nis2.pdf import FONT, register_fonts, text

STATUS_LABELS = {"essential": "Essential entity", "important": "Important entity", "not_in_scope": "Not in scope"}
TABLE_STYLE = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#CCCCCC")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF0F6")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
)


def number(value: float | int | None, places: int = 1) -> str:
    if value is None:
        return "—"
    return formats.number_format(value, places, use_l10n=True, force_grouping=True)


def euros(value: float | None) -> str:
    return "—" if value is None else f"{number(value, 0)} €"


def day(value: str | None) -> str:
    return formats.date_format(datetime.date.fromisoformat(value[:10]), "SHORT_DATE_FORMAT") if value else "—"


def quarter_label(meta: dict[str, Any]) -> str:
    return _("Q%(number)s %(year)s") % {"number": meta["quarter_number"], "year": meta["year"]}


def table(rows: list[list[Any]], widths: list[float] | None = None) -> Table:
    cells = [[cell if not isinstance(cell, str) else text(cell, "small") for cell in row] for row in rows]
    result = Table(cells, colWidths=widths, repeatRows=1)
    result.setStyle(TABLE_STYLE)
    return result


def summary_sentences(snapshot: dict[str, Any]) -> list[str]:
    """The executive summary, as plain sentences generated from the figures."""
    sentences = []
    maturity, incidents, dependencies = snapshot["maturity"], snapshot["incidents"], snapshot["dependencies"]
    if maturity:
        overall = maturity["overall"]
        sentence = _("Overall maturity is %(level)s out of 5, %(percent)s %% of the target.") % {
            "level": number(overall["level"], 2),
            "percent": number(overall["percent"]),
        }
        if (
            maturity["previous"]
            and maturity["previous"]["overall"]["level"] is not None
            and overall["level"] is not None
        ):
            change = overall["level"] - maturity["previous"]["overall"]["level"]
            sentence += " " + _("That is %(change)s since %(label)s.") % {
                "change": (f"+{number(change, 2)}" if change >= 0 else number(change, 2)),
                "label": maturity["previous"]["label"],
            }
        sentences.append(sentence)
        gaps = maturity["top_gaps"][:3]
        if gaps:
            sentences.append(
                _("The three biggest gaps: %(gaps)s.")
                % {
                    "gaps": "; ".join(
                        f"{gap['ref']} {gap['title'][translation.get_language()[:2]] or gap['title']['fr']} ({gap['current']}/{gap['target']})"
                        for gap in gaps
                    )
                }
            )
    else:
        sentences.append(_("No self-assessment covers this quarter."))
    stats = incidents["stats"]
    sentences.append(
        _(
            "%(total)s incident(s) this quarter, %(significant)s significant; legal deadlines met: %(on_time)s, missed: %(late)s."
        )
        % {
            "total": stats["total"],
            "significant": stats["significant"],
            "on_time": stats["obligations_on_time"],
            "late": stats["obligations_late"] + stats["obligations_overdue"],
        }
    )
    if stats["root_cause_identified_share"] is not None:
        sentences.append(
            _(
                "The root cause was identified for %(share)s %% of closed incidents (national baseline: %(baseline)s %%)."
            )
            % {
                "share": number(stats["root_cause_identified_share"], 0),
                "baseline": incidents["national_root_cause_baseline"],
            }
        )
    if dependencies["components"]:
        sentence = _(
            "Dependency index: %(index)s out of 100; %(share)s %% of IT spend goes to vendors exposed to extra-European laws."
        ) % {"index": number(dependencies["index"]), "share": number(dependencies["exposed_spend_share"])}
        if dependencies["previous_index"] is not None:
            sentence += " " + _("Previous quarter: %(index)s.") % {"index": number(dependencies["previous_index"])}
        sentences.append(sentence)
    return sentences


def decision_sentences(snapshot: dict[str, Any]) -> list[str]:
    decisions = []
    for renewal in snapshot["dependencies"]["renewals"]:
        decisions.append(
            _("Decide the future of “%(name)s” before its contract ends on %(date)s (exposure E%(exposure)s).")
            % {"name": renewal["name"], "date": day(renewal["contract_end"]), "exposure": renewal["exposure"]}
        )
    overdue = snapshot["actions"]["overdue"]
    if overdue:
        decisions.append(
            _("%(count)s action(s) of the security plan are overdue: confirm their owners and new dates.")
            % {"count": len(overdue)}
        )
    if not decisions:
        decisions.append(_("No decision is pending this quarter."))
    return decisions


def render_report(snapshot: dict[str, Any]) -> bytes:
    register_fonts()
    with translation.override(snapshot["meta"]["language"]):
        return _render(snapshot)


def _render(snapshot: dict[str, Any]) -> bytes:
    meta = snapshot["meta"]
    language = meta["language"]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=_("NIS 2 compliance report — %(quarter)s") % {"quarter": quarter_label(meta)},
        author="Rempart",
        creator="Rempart",
        subject=meta["organisation"],
    )
    width = A4[0] - 32 * mm

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.drawString(
            16 * mm,
            9 * mm,
            _("Restricted — for the executives of %(organisation)s") % {"organisation": meta["organisation"]},
        )
        canvas.drawRightString(A4[0] - 16 * mm, 9 * mm, f"{quarter_label(meta)} · {doc.page}")
        canvas.restoreState()

    story: list[Any] = []
    # 1. Cover
    story += [
        Spacer(1, 40 * mm),
        text(_("NIS 2 compliance report"), "title"),
        text(meta["organisation"], "h1"),
        text(
            _("%(quarter)s: %(start)s – %(end)s")
            % {"quarter": quarter_label(meta), "start": day(meta["start"]), "end": day(meta["end"])},
            "h2",
        ),
        text(
            _("SIREN %(siren)s · %(status)s")
            % {"siren": meta["siren"], "status": _(STATUS_LABELS[meta["nis2_status"]])}
        ),
        text(_("Issued on %(date)s; figures as at the end of the quarter.") % {"date": day(meta["issued_at"])}),
        Spacer(1, 8 * mm),
        text(
            _("Restricted — for the executives of %(organisation)s") % {"organisation": meta["organisation"]}, "warning"
        ),
        text(
            _(
                "Directive (EU) 2022/2555, Article 20: the management body approves the cybersecurity risk-management measures and oversees their implementation."
            ),
            "small",
        ),
        PageBreak(),
    ]
    # 2. Executive summary
    story.append(text(_("Executive summary"), "h1"))
    story += [text("• " + sentence) for sentence in summary_sentences(snapshot)]
    story.append(text(_("Decisions asked of the executives"), "h2"))
    story += [text("• " + sentence) for sentence in decision_sentences(snapshot)]
    if snapshot.get("members"):
        story.append(text(_("Member communes"), "h2"))
        rows = [[_("Commune"), _("Maturity"), _("Incidents"), _("Significant"), _("Dependency index")]]
        for member in snapshot["members"]:
            if member.get("shared", True):  # snapshots issued before sharing was checked have no "shared"
                rows.append(
                    [
                        member["name"],
                        number((member["maturity"] or {}).get("level"), 2),
                        str(member["incidents"]["total"]),
                        str(member["incidents"]["significant"]),
                        number(member["dependency_index"]),
                    ]
                )
            else:
                rows.append([_("%(name)s not shared") % {"name": member["name"]}, "—", "—", "—", "—"])
        story.append(table(rows))
    story.append(PageBreak())
    # 3. Maturity
    maturity = snapshot["maturity"]
    story.append(text(_("Maturity by Article 21(2) measure"), "h1"))
    if maturity:
        story.append(
            text(
                _("%(framework)s, assessment %(label)s.")
                % {"framework": maturity["framework"][language], "label": maturity["label"]},
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
                [f"({m['point']})" for m in measures], series, value_max=5, value_step=1, width=int(width), height=200
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
        story.append(table(rows, [width * 0.52, width * 0.12, width * 0.12, width * 0.12, width * 0.12]))
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
        story.append(table(rows, [width * 0.7, width * 0.1, width * 0.1, width * 0.1]))
    else:
        story.append(text(_("No self-assessment covers this quarter.")))
    # 4. Action plan
    story.append(text(_("Action plan"), "h1"))
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
            story.append(table(rows, [width * 0.6, width * 0.25, width * 0.15]))
    story.append(PageBreak())
    # 5. Incidents
    incidents = snapshot["incidents"]
    stats = incidents["stats"]
    story.append(text(_("Incidents"), "h1"))
    story.append(
        text(
            _(
                "%(total)s incident(s), %(significant)s significant; reports on time: %(on_time)s, late: %(late)s, overdue: %(overdue)s; median time to root cause: %(hours)s h."
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
        rows = [
            [_("Date"), _("Incident"), _("Category"), _("Severity"), _("Significant"), _("Root cause"), _("Reports")]
        ]
        for row in incidents["rows"]:
            reports = ", ".join(_(status_label(status)) for status in row["obligations"]) or "—"
            rows.append(
                [
                    day(row["detected_at"]),
                    row["title"],
                    row["category"],
                    _(row["severity"].capitalize()),
                    _(row["significant"].capitalize()),
                    _(root_cause_label(row["root_cause"])),
                    reports,
                ]
            )
        story.append(table(rows, [width * w for w in (0.1, 0.26, 0.14, 0.1, 0.1, 0.14, 0.16)]))
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
            width=int(width),
            height=170,
        )
    )
    story.append(PageBreak())
    # 6. Dependencies
    dependencies = snapshot["dependencies"]
    story.append(text(_("Dependency on extra-European technology"), "h1"))
    story.append(
        text(
            _(
                "Index %(index)s / 100 (previous quarter: %(previous)s); %(share)s %% of spend (%(spend)s) with exposed vendors; %(oss)s %% open-source components."
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
                [f"{d['code']} {d['name'][language]}"[:40] for d in dependencies["by_domain"]],
                [f"E{level}" for level in range(5)],
                [[count or None for count in d["exposure_counts"]] for d in dependencies["by_domain"]],
                value_max=max(max(d["exposure_counts"]) for d in dependencies["by_domain"]) or 1,
                cell_width=50,
                label_width=230,
            )
        )
    story.append(text(_("Critical extra-European dependencies"), "h2"))
    if dependencies["top"]:
        rows = [[_("Component"), _("Score"), _("Class"), _("Strategy"), _("Alternatives")]]
        rows += [
            [
                f"{item['name']} ({item['product']})",
                str(item["score"]),
                str(item["class"]),
                item["strategy"] or "—",
                ", ".join(item["alternatives"]) or "—",
            ]
            for item in dependencies["top"]
        ]
        story.append(table(rows, [width * 0.4, width * 0.08, width * 0.08, width * 0.14, width * 0.3]))
    story.append(text(_("Contracts up for renewal in the next 12 months"), "h2"))
    if dependencies["renewals"]:
        rows = [[_("Component"), _("Contract end"), _("Exposure"), _("Strategy")]]
        rows += [
            [item["name"], day(item["contract_end"]), f"E{item['exposure']}", item["strategy"] or "—"]
            for item in dependencies["renewals"]
        ]
        story.append(table(rows, [width * 0.5, width * 0.2, width * 0.1, width * 0.2]))
    else:
        story.append(text(_("None.")))
    story.append(PageBreak())
    # 7. Appendix
    story.append(text(_("Appendix: method"), "h1"))
    for sentence in (
        _(
            "Maturity is rated per requirement from 0 (not performed) to 5 (optimising); a requirement not rated counts as 0; scores are weighted means over applicable requirements."
        ),
        _(
            "The dependency score is D = 100 × C × E × L / 64, with criticality C (1–4), exposure to extra-European decisions E (0–4) and lock-in L (1–4); classes 1 to 5."
        ),
        _(
            "Reporting deadlines follow Directive (EU) 2022/2555, Article 23(4): early warning within 24 hours, notification within 72 hours, final report one month later."
        ),
        _("All figures describe the state at the end of the quarter, read from the change history."),
    ):
        story.append(text("• " + sentence, "small"))
    if maturity:
        story.append(text(_("Requirements and their level"), "h2"))
        rows = [[_("Requirement"), _("Level"), _("Target")]]
        rows += [
            [
                f"{req['ref']} {req['title'][language] or req['title']['fr']}",
                (str(req["level"]) if req["level"] is not None else "—") if req["applicable"] else _("N/A"),
                str(req["target"]),
            ]
            for req in maturity["requirements"]
        ]
        story.append(KeepTogether([]))
        story.append(table(rows, [width * 0.8, width * 0.1, width * 0.1]))
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def status_label(status: str) -> str:
    return {
        "submitted": "on time",
        "submitted_late": "late",
        "overdue": "overdue",
        "pending": "pending",
        "due_soon": "pending",
        "due_now": "pending",
        "not_required": "not required",
    }.get(status, status)


def root_cause_label(category: str) -> str:
    return {
        "": "unknown",
        "undetermined": "Undetermined",
        "system_failure": "System failure",
        "natural_phenomenon": "Natural phenomenon",
        "human_error": "Human error",
        "malicious_action": "Malicious action",
        "third_party_failure": "Third-party failure",
    }.get(category, category)
