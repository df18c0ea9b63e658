"""Assembles the data of a report, as of its period's end (a quarter, or a year for the annual report to the
council), into one plain JSON-ready dict.

Everything is read through the pillars' selectors from the history tables, so a report for Q2
generated in October shows Q2's state. Rendering reads this snapshot alone. The reads are made once for the
organisation and all its sharing member communes (``reports.snapshot_data``, set-based: as many queries for 150
members as for 2); each section below is computed from that data.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation

from controls import scoring
from dependencies import indexing
from dependencies import selectors as dependencies
from incidents import statistics
from nis2.clock import PARIS
from nis2.entity_status import legal_basis
from nis2.models import Organisation
from nis2.periods import Period, Quarter, Year
from reports import selectors as governance
from reports.snapshot_data import SnapshotData, quarter_end_moment, trend_quarters

__all__ = ["SNAPSHOT_VERSION", "build_snapshot", "quarter_end_moment", "trend_quarters"]

SNAPSHOT_VERSION = 2
Progress = Callable[[int], None]


def _number(value: Decimal | float | None) -> float | None:
    return float(value) if value is not None else None


def _score(value: scoring.Score) -> dict[str, Any]:
    return {
        "level": _number(value.level),
        "percent": _number(value.percent_of_target),
        "target": _number(value.target_level),
        "assessed": value.assessed,
        "applicable": value.applicable,
    }


def maturity(data: SnapshotData, organisation_id: int, period: Period) -> dict[str, Any] | None:
    """The organisation's self-assessment of the period, compared with the previous period's."""
    assessment = data.assessment(organisation_id, period)
    if assessment is None:
        return None
    rated = data.ratings(organisation_id, period)
    ratings = [rating for rating, _fr, _en in rated]
    titles = {rating.ref: {"fr": fr, "en": en} for rating, fr, en in rated}
    previous = data.assessment(organisation_id, period.previous())
    previous_ratings = [rating for rating, _fr, _en in data.ratings(organisation_id, period.previous())]
    by_point = scoring.scores_by_art21_point(ratings)
    previous_by_point = scoring.scores_by_art21_point(previous_ratings)
    return {
        "framework": {"fr": assessment.framework.name_fr, "en": assessment.framework.name_en},
        "label": assessment.label,
        "status": assessment.status,
        "entity_category": assessment.entity_category,
        "overall": _score(scoring.score(ratings)),
        "previous": {"label": previous.label, "overall": _score(scoring.score(previous_ratings))} if previous else None,
        "by_measure": [
            {
                "point": point,
                **_score(value),
                "previous_level": _number(previous_by_point[point].level) if point in previous_by_point else None,
            }
            for point, value in by_point.items()
        ],
        "top_gaps": [
            {
                "ref": gap.ref,
                "title": titles[gap.ref],
                "current": gap.current_level,
                "target": gap.target_level,
                "weighted_gap": gap.weighted_gap,
            }
            for gap in scoring.gaps(ratings)[:10]
        ],
        "requirements": [
            {
                "ref": rating.ref,
                "title": titles[rating.ref],
                "applicable": rating.applicable,
                "level": rating.current_level,
                "target": rating.target_level,
                "alternative": rating.alternative,
            }
            for rating in ratings
        ],
    }


def overall_maturity(data: SnapshotData, organisation_id: int, period: Period) -> dict[str, Any] | None:
    """The organisation's overall score for the period, None without an assessment."""
    if data.assessment(organisation_id, period) is None:
        return None
    return _score(scoring.score(rating for rating, _fr, _en in data.ratings(organisation_id, period)))


OPEN_STATUSES = ("open", "in_progress")


def _open(row: dict[str, Any]) -> bool:
    return row["status"] in OPEN_STATUSES


def overdue_at_end(data: SnapshotData, period: Period) -> list[dict[str, Any]]:
    """The actions still open at the period's end that were due by then."""
    return [
        row
        for row in data.actions[quarter_end_moment(period)]
        if _open(row) and row["due_date"] and row["due_date"] <= period.end
    ]


def actions(data: SnapshotData) -> dict[str, Any]:
    quarter = data.period
    rows = data.actions[data.end]
    next_quarter = quarter.next()

    def plain(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "title": row["title"],
            "owner": row["owner"],
            "due_date": row["due_date"].isoformat() if row["due_date"] else None,
            "status": row["status"],
            "priority": row["priority"],
        }

    return {
        "previous_overdue": len(overdue_at_end(data, quarter.previous())),
        "done": [
            plain(row)
            for row in rows
            if row["status"] == "done"
            and row["completed_at"]
            and quarter.start <= row["completed_at"].astimezone(PARIS).date() <= quarter.end
        ],
        "overdue": [plain(row) for row in overdue_at_end(data, quarter)],
        "due_next": [
            plain(row)
            for row in rows
            if _open(row) and row["due_date"] and next_quarter.start <= row["due_date"] <= next_quarter.end
        ],
    }


def _stats_json(stats: statistics.IncidentStats) -> dict[str, Any]:
    return {**stats.__dict__, "root_cause_identified_share": stats.root_cause_identified_share}


def incident_stats(data: SnapshotData, organisation_id: int | None = None) -> dict[str, Any]:
    """Statistics of the incidents detected in the period, of one organisation when it is given."""
    rows = data.incidents if organisation_id is None else data.incidents_by_organisation.get(organisation_id, [])
    return _stats_json(statistics.compute([row.record for row in rows], now=data.end))


def incident_section(data: SnapshotData) -> dict[str, Any]:
    return {
        "rows": [
            {
                "title": row.title,
                "detected_at": row.record.detected_at.isoformat(),
                "category": row.record.category,
                "severity": row.record.severity,
                "significant": row.record.significant,
                "status": row.record.status,
                "root_cause": row.record.root_cause_category,
                "obligations": list(row.record.obligation_statuses),
            }
            for row in data.incidents
        ],
        "stats": incident_stats(data),
        "trend": [
            {
                "quarter": quarter.code,
                "label": quarter.label_fr,
                "total": counts.total,
                "significant": counts.significant,
            }
            for quarter, counts in data.trend.items()
        ],
    }


def dependency_section(data: SnapshotData) -> dict[str, Any]:
    quarter = data.period
    scored = data.components.at(data.end)
    records = data.components.records(data.end)
    previous = data.components.records(data.previous_end)
    overall = indexing.index(records)
    exposure_counts: dict[str, list[int]] = {}
    for item in scored:
        exposure_counts.setdefault(item.component.domain.code, [0] * 5)[item.exposure] += 1
    domains = {
        item.component.domain.code: {"fr": item.component.domain.name_fr, "en": item.component.domain.name_en}
        for item in scored
    }
    by_domain = indexing.index_by_domain(records)
    return {
        "index": _number(overall.dependency_index),
        "previous_index": _number(indexing.index(previous).dependency_index) if previous else None,
        "previous_exposed_spend_share": _number(indexing.index(previous).exposed_spend_share) if previous else None,
        "components": overall.components,
        "total_spend_eur": _number(overall.total_spend_eur),
        "exposed_spend_eur": _number(overall.exposed_spend_eur),
        "exposed_spend_share": _number(overall.exposed_spend_share),
        "open_source_share": _number(overall.open_source_share),
        "by_domain": [
            {
                "code": code,
                "name": domains[code],
                "index": _number(value.dependency_index),
                "exposure_counts": exposure_counts.get(code, [0] * 5),
            }
            for code, value in by_domain.items()
        ],
        "top": top_components(scored),
        "renewals": renewals(indexing.decision_windows(records, today=quarter.end, months=12)),
    }


def top_components(scored: list[dependencies.ScoredComponent]) -> list[dict[str, Any]]:
    """The ten exposed critical components with the highest dependency score."""
    top = sorted(
        (item for item in scored if item.exposure >= indexing.EXPOSED and item.score.criticality >= indexing.CRITICAL),
        key=lambda item: -item.score.score,
    )[:10]
    return [
        {
            "name": item.component.name,
            "domain": item.component.domain.code,
            "product": item.component.product.name,
            "score": item.score.score,
            "class": item.score.dependency_class,
            "exposure": item.exposure,
            "strategy": item.component.strategy,
            "alternatives": [product.name for product in item.component.product.alternatives.all()][:3],
        }
        for item in top
    ]


def renewals(records: list[indexing.ComponentRecord]) -> list[dict[str, Any]]:
    return [
        {
            "name": record.name,
            "contract_end": record.contract_end.isoformat() if record.contract_end else None,
            "annual_cost_eur": _number(record.annual_cost_eur),
            "exposure": record.exposure,
            "strategy": record.strategy,
        }
        for record in records
    ]


def build_snapshot(
    organisation: Organisation,
    quarter: Period,
    *,
    language: str,
    consolidated: bool = False,
    progress: Progress | None = None,
) -> dict[str, Any]:
    def step(percent: int) -> None:
        if progress:
            progress(percent)

    members = list(organisation.children.order_by("name")) if consolidated else []
    # Only the communes that opted in to sharing contribute data; the others are named, nothing more.
    sharing = set(dependencies.shared_children(organisation).values_list("pk", flat=True)) if consolidated else set()
    data = SnapshotData(
        organisation_id=organisation.pk,
        member_ids=[member.pk for member in members if member.pk in sharing],
        period=quarter,
    )
    step(10)
    snapshot: dict[str, Any] = {
        "version": SNAPSHOT_VERSION,
        "meta": meta(organisation, quarter, language=language, consolidated=consolidated),
        "maturity": maturity(data, organisation.pk, quarter),
    }
    step(35)
    snapshot["actions"] = actions(data)
    step(50)
    snapshot["incidents"] = incident_section(data)
    step(70)
    snapshot["dependencies"] = dependency_section(data)
    step(85)
    snapshot["governance"] = governance_section(organisation.pk, quarter)
    if isinstance(quarter, Year):
        snapshot["year_by_quarter"] = year_by_quarter(data, snapshot["incidents"]["trend"])
    if consolidated:
        snapshot["members"] = [
            member_summary(data, member) if member.pk in sharing else {"name": member.name, "shared": False}
            for member in members
        ]
    return snapshot


def meta(organisation: Organisation, period: Period, *, language: str, consolidated: bool) -> dict[str, Any]:
    return {
        "organisation": organisation.name,
        "siren": organisation.siren,
        "organisation_kind": organisation.kind,
        "nis2_status": organisation.nis2_status,
        "period": period.code,
        "quarter_number": period.number if isinstance(period, Quarter) else None,
        "year": period.year,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "as_of": quarter_end_moment(period).isoformat(),
        "language": language,
        "issued_at": timezone.now().isoformat(),
        "consolidated": consolidated,
        "kind": "annual" if isinstance(period, Year) else "quarterly",
        "legal_basis": _legal_basis(organisation, language),
    }


def member_summary(data: SnapshotData, member: Organisation) -> dict[str, Any]:
    """A member commune's line in a consolidated report (only for a commune that shares its data)."""
    dependency = indexing.index(data.components.records(data.end, member.pk))
    return {
        "name": member.name,
        "shared": True,
        "maturity": overall_maturity(data, member.pk, data.period),
        "incidents": incident_stats(data, member.pk),
        "dependency_index": _number(dependency.dependency_index),
        "exposed_spend_share": _number(dependency.exposed_spend_share),
    }


def year_by_quarter(data: SnapshotData, incident_trend: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The annual report's four quarters side by side: security level, incidents, exposed spend, overdue actions."""
    assert isinstance(data.period, Year)
    rows = []
    for quarter, incidents_in_quarter in zip(data.period.quarters, incident_trend, strict=True):
        level = overall_maturity(data, data.organisation_id, quarter)
        exposure = indexing.index(data.components.records(quarter_end_moment(quarter)))
        rows.append(
            {
                "quarter": quarter.code,
                "maturity_percent": level["percent"] if level else None,
                "incidents": incidents_in_quarter["total"],
                "significant": incidents_in_quarter["significant"],
                "exposed_spend_share": _number(exposure.exposed_spend_share),
                "overdue_actions": len(overdue_at_end(data, quarter)),
            }
        )
    return rows


def _legal_basis(organisation: Organisation, language: str) -> dict[str, Any]:
    """What the organisation's NIS 2 status rests on (the bill, not promulgated at the last check), in the
    report's language."""
    with translation.override(language):
        return legal_basis(organisation.kind).as_dict()


def governance_section(organisation_id: int, period: Period) -> dict[str, Any]:
    """The approvals in force at the period's end, what changed since each, and the management body's training
    (NIS 2 Art. 20), as the reports app's selectors read them."""
    approvals, changes = governance.approvals_and_changes(
        organisation_id=organisation_id, as_of=quarter_end_moment(period)
    )
    return {
        "approvals": approvals,
        "changes": changes,
        "training": dict(governance.training_summary(organisation_id=organisation_id, as_of=period.end)),
    }
