"""The sections of a report's snapshot that read the pillars (``reports.snapshot`` assembles them): the
self-assessment, the action plan, the incidents and the dependency map, each computed from the data read once
for the report (``reports.snapshot_data``) with the pillars' pure rules."""

from __future__ import annotations

from typing import Any

from controls import scoring
from dependencies import indexing
from dependencies import selectors as dependencies
from incidents import selectors as incident_selectors
from incidents import statistics
from nis2.clock import PARIS
from nis2.numbers import decimal_to_float as _number
from nis2.periods import Period
from reports.snapshot_data import SnapshotData, quarter_end_moment
from reports.snapshot_types import (
    Action,
    Actions,
    Dependencies,
    IncidentRow,
    Incidents,
    IncidentStatistics,
    LocalisedText,
    Maturity,
    QuarterCounts,
    Renewal,
    Score,
    TopComponent,
)


def _score(value: scoring.Score) -> Score:
    return {
        "level": _number(value.level),
        "percent": _number(value.percent_of_target),
        "target": _number(value.target_level),
        "assessed": value.assessed,
        "applicable": value.applicable,
    }


def maturity(data: SnapshotData, organisation_id: int, period: Period) -> Maturity | None:
    """The organisation's self-assessment of the period, compared with the previous period's."""
    assessment = data.assessment(organisation_id, period)
    if assessment is None:
        return None
    rated = data.ratings(organisation_id, period)
    ratings = [rating for rating, _fr, _en in rated]
    titles: dict[str, LocalisedText] = {rating.ref: {"fr": fr, "en": en} for rating, fr, en in rated}
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


def overall_maturity(data: SnapshotData, organisation_id: int, period: Period) -> Score | None:
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


def _plain_action(row: dict[str, Any]) -> Action:
    return {
        "title": row["title"],
        "owner": row["owner"],
        "due_date": row["due_date"].isoformat() if row["due_date"] else None,
        "status": row["status"],
        "priority": row["priority"],
    }


def actions(data: SnapshotData) -> Actions:
    quarter = data.period
    rows = data.actions[data.end]
    next_quarter = quarter.next()
    plain = _plain_action
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


def _stats_json(stats: statistics.IncidentStats) -> IncidentStatistics:
    return {
        "total": stats.total,
        "by_category": stats.by_category,
        "by_severity": stats.by_severity,
        "by_status": stats.by_status,
        "significant": stats.significant,
        "closed": stats.closed,
        "closed_with_root_cause": stats.closed_with_root_cause,
        "unknown_cause_after_30_days": stats.unknown_cause_after_30_days,
        "median_hours_to_root_cause": stats.median_hours_to_root_cause,
        "median_hours_to_containment": stats.median_hours_to_containment,
        "obligations_on_time": stats.obligations_on_time,
        "obligations_late": stats.obligations_late,
        "obligations_overdue": stats.obligations_overdue,
        "root_cause_identified_share": stats.root_cause_identified_share,
    }


def incident_stats(data: SnapshotData, organisation_id: int | None = None) -> IncidentStatistics:
    """Statistics of the incidents detected in the period, of one organisation when it is given."""
    rows = data.incidents if organisation_id is None else data.incidents_by_organisation.get(organisation_id, [])
    return _stats_json(statistics.compute([row.record for row in rows], now=data.end))


def _incident_row(row: incident_selectors.IncidentAsOf) -> IncidentRow:
    return {
        "title": row.title,
        "detected_at": row.record.detected_at.isoformat(),
        "category": row.record.category,
        "severity": row.record.severity,
        "significant": row.record.significant,
        "status": row.record.status,
        "root_cause": row.record.root_cause_category,
        "obligations": list(row.record.obligation_statuses),
    }


def incident_section(data: SnapshotData) -> Incidents:
    trend: list[QuarterCounts] = [
        {"quarter": quarter.code, "label": quarter.label_fr, "total": counts.total, "significant": counts.significant}
        for quarter, counts in data.trend.items()
    ]
    return {"rows": [_incident_row(row) for row in data.incidents], "stats": incident_stats(data), "trend": trend}


def dependency_section(data: SnapshotData) -> Dependencies:
    quarter = data.period
    scored = data.components.at(data.end)
    records = data.components.records(data.end)
    previous = data.components.records(data.previous_end)
    overall = indexing.index(records)
    exposure_counts: dict[str, list[int]] = {}
    for item in scored:
        exposure_counts.setdefault(item.component.domain.code, [0] * 5)[item.exposure] += 1
    domains: dict[str, LocalisedText] = {
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


def top_components(scored: list[dependencies.ScoredComponent]) -> list[TopComponent]:
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


def renewals(records: list[indexing.ComponentRecord]) -> list[Renewal]:
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
