"""The annexes of a report's PDF, one function per section: the member communes side by side, the security
level, the action plan, the incidents and the dependence on non-European technology."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from reportlab.platypus import Flowable, PageBreak

from controls.art21 import ART21_TITLES
from nis2.charts import Series, grouped_bar_chart, heat_map
from nis2.pdf import text
from reports import labels
from reports.rendering.common import WIDTH, columns, day, euros, localised, number, percent, table
from reports.snapshot_types import Dependencies, Maturity, MemberSummary, Snapshot


def _member_row(member: MemberSummary) -> list[Any]:
    if not member.get("shared", True):
        return [member["name"], _("not shared"), _("not shared"), _("not shared")]
    maturity = member.get("maturity")
    incidents = member["incidents"]
    return [
        member["name"],
        percent(maturity["percent"] if maturity else None, unknown=_("not assessed")),
        f"{incidents['total']} ({incidents['significant']})",
        percent(member.get("exposed_spend_share")),
    ]


def members_page(snapshot: Snapshot) -> list[Flowable]:
    """The member communes side by side (consolidated report)."""
    members = snapshot.get("members")
    if not members:
        return []
    rows: list[list[Any]] = [
        [_("Commune"), _("Security level (share of its target)"), _("Incidents (reported)"), _("Spend exposed")]
    ]
    rows += [_member_row(member) for member in members]
    return [
        text(_("Member communes side by side"), "h1"),
        text(
            _(
                "A commune that has not agreed to share its data with the intercommunality appears as “not shared”: "
                "none of its figures is used in this report."
            ),
            "small",
        ),
        table(rows, columns(0.4, 0.22, 0.19, 0.19)),
        PageBreak(),
    ]


def _measures(maturity: Maturity) -> list[Flowable]:
    """The level per NIS 2 Art. 21(2) measure: a chart against the target (and the previous period), a table."""
    measures = maturity["by_measure"]
    series = [
        Series(_("Current"), [m["level"] or 0 for m in measures]),
        Series(_("Target"), [m["target"] or 0 for m in measures]),
    ]
    previous = maturity["previous"]
    if previous:
        series.append(Series(previous["label"], [m["previous_level"] for m in measures]))
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
    return [
        grouped_bar_chart(
            [f"({m['point']})" for m in measures], series, value_max=5, value_step=1, width=int(WIDTH), height=200
        ),
        table(rows, columns(0.52, 0.12, 0.12, 0.12, 0.12)),
    ]


def _top_gaps(maturity: Maturity, language: str) -> list[Flowable]:
    rows = [[_("Requirement"), _("Current"), _("Target"), _("Weighted gap")]]
    rows += [
        [
            f"{gap['ref']} {localised(gap['title'], language) or gap['title']['fr']}",
            str(gap["current"]),
            str(gap["target"]),
            str(gap["weighted_gap"]),
        ]
        for gap in maturity["top_gaps"]
    ]
    return [text(_("The ten biggest gaps"), "h2"), table(rows, columns(0.7, 0.1, 0.1, 0.1))]


def maturity_annex(snapshot: Snapshot) -> list[Flowable]:
    maturity = snapshot["maturity"]
    story: list[Flowable] = [text(_("Annex 1 — Security level by NIS 2 Article 21(2) measure"), "h1")]
    if not maturity:
        return [*story, text(_("No self-assessment covers this quarter."))]
    language = snapshot["meta"]["language"]
    overall = maturity["overall"]
    story.append(
        text(
            _(
                "%(framework)s, assessment %(label)s: mean level %(level)s out of 5 against a target of %(target)s, "
                "that is %(percent)s %% of the target."
            )
            % {
                "framework": localised(maturity["framework"], language),
                "label": maturity["label"],
                "level": number(overall["level"], 2),
                "target": number(overall["target"], 2),
                "percent": number(overall["percent"]),
            },
            "small",
        )
    )
    return [*story, *_measures(maturity), *_top_gaps(maturity, language)]


def actions_annex(snapshot: Snapshot) -> list[Flowable]:
    story: list[Flowable] = [text(_("Annex 2 — Action plan"), "h1")]
    actions = snapshot["actions"]
    for entries, title in (
        (actions["done"], _("Done this quarter")),
        (actions["overdue"], _("Overdue")),
        (actions["due_next"], _("Due next quarter")),
    ):
        story.append(text(f"{title} ({len(entries)})", "h2"))
        if entries:
            rows = [[_("Action"), _("Owner"), _("Due")]] + [
                [entry["title"], entry["owner"] or "—", day(entry["due_date"])] for entry in entries
            ]
            story.append(table(rows, columns(0.6, 0.25, 0.15)))
    story.append(PageBreak())
    return story


def incidents_annex(snapshot: Snapshot) -> list[Flowable]:
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
        rows += [
            [
                day(row["detected_at"]),
                row["title"],
                labels.incident_category(row["category"]),
                labels.severity(row["severity"]),
                labels.yes_no_unknown(row["significant"]),
                labels.root_cause(row["root_cause"]),
                ", ".join(labels.obligation_status(status) for status in row["obligations"]) or "—",
            ]
            for row in incidents["rows"]
        ]
        story.append(table(rows, columns(0.12, 0.2, 0.16, 0.1, 0.12, 0.14, 0.16)))
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


def _dependency_overview(dependencies: Dependencies, language: str) -> list[Flowable]:
    """The index, the exposed spend, and the components per domain and exposure level as a heat map."""
    story: list[Flowable] = [
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
    ]
    by_domain = dependencies["by_domain"]
    if by_domain:
        story.append(
            heat_map(
                [f"{d['code']} {localised(d['name'], language)}" for d in by_domain],
                [f"E{level}" for level in range(5)],
                [[count or None for count in d["exposure_counts"]] for d in by_domain],
                value_max=max(max(d["exposure_counts"]) for d in by_domain) or 1,
                cell_width=50,
                label_width=180,
                max_label_width=230,
            )
        )
    return story


def _critical_dependencies(dependencies: Dependencies) -> list[Flowable]:
    story: list[Flowable] = [text(_("Critical dependencies on non-European vendors"), "h2")]
    if not dependencies["top"]:
        return [*story, text(_("None."))]
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
    return [*story, table(rows, columns(0.38, 0.08, 0.08, 0.16, 0.3))]


def _renewals(dependencies: Dependencies) -> list[Flowable]:
    story: list[Flowable] = [text(_("Contracts up for renewal in the next 12 months"), "h2")]
    if not dependencies["renewals"]:
        return [*story, text(_("None."))]
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
    return [*story, table(rows, columns(0.45, 0.17, 0.18, 0.2))]


def dependencies_annex(snapshot: Snapshot) -> list[Flowable]:
    dependencies = snapshot["dependencies"]
    return [
        text(_("Annex 4 — Dependence on non-European technology"), "h1"),
        *_dependency_overview(dependencies, snapshot["meta"]["language"]),
        *_critical_dependencies(dependencies),
        *_renewals(dependencies),
        PageBreak(),
    ]
