"""Assembles the data of a report, as of its period's end (a quarter, or a year for the annual report to the
council), into one plain JSON-ready dict.

Everything is read through the pillars' selectors from the history tables, so a report for Q2
generated in October shows Q2's state. Rendering reads this snapshot alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation

from controls import scoring
from controls import selectors as controls
from dependencies import indexing
from dependencies import selectors as dependencies
from incidents import selectors as incidents
from incidents import statistics
from nis2.clock import PARIS
from nis2.entity_status import legal_basis
from nis2.models import Organisation
from nis2.periods import Period, Quarter, Year
from reports import selectors as governance

SNAPSHOT_VERSION = 2
Progress = Callable[[int], None]


def quarter_end_moment(quarter: Period) -> datetime.datetime:
    """The last instant of the period in Europe/Paris (the start of the next one, exclusive)."""
    return datetime.datetime.combine(quarter.next().start, datetime.time(), tzinfo=PARIS) - datetime.timedelta(
        microseconds=1
    )


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


def maturity(organisation_id: int, quarter: Period) -> dict[str, Any] | None:
    as_of = quarter_end_moment(quarter)
    assessment = controls.assessment_as_of(
        organisation_id=organisation_id, start=quarter.start, end=quarter.end, as_of=as_of
    )
    if assessment is None:
        return None
    rated = controls.ratings_as_of(assessment.pk, as_of)
    ratings = [rating for rating, _fr, _en in rated]
    titles = {rating.ref: {"fr": fr, "en": en} for rating, fr, en in rated}
    previous_quarter = quarter.previous()
    previous_as_of = quarter_end_moment(previous_quarter)
    previous = controls.assessment_as_of(
        organisation_id=organisation_id, start=previous_quarter.start, end=previous_quarter.end, as_of=previous_as_of
    )
    previous_ratings = (
        [rating for rating, _fr, _en in controls.ratings_as_of(previous.pk, previous_as_of)] if previous else []
    )
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


def actions(organisation_ids: list[int], quarter: Period) -> dict[str, Any]:
    as_of = quarter_end_moment(quarter)
    rows = controls.actions_as_of(organisation_ids=organisation_ids, as_of=as_of)
    next_quarter = quarter.next()

    def plain(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "title": row["title"],
            "owner": row["owner"],
            "due_date": row["due_date"].isoformat() if row["due_date"] else None,
            "status": row["status"],
            "priority": row["priority"],
        }

    open_statuses = ("open", "in_progress")
    previous = quarter.previous()
    previous_rows = controls.actions_as_of(organisation_ids=organisation_ids, as_of=quarter_end_moment(previous))
    return {
        "previous_overdue": sum(
            1
            for row in previous_rows
            if row["status"] in open_statuses and row["due_date"] and row["due_date"] <= previous.end
        ),
        "done": [
            plain(row)
            for row in rows
            if row["status"] == "done"
            and row["completed_at"]
            and quarter.start <= row["completed_at"].astimezone(PARIS).date() <= quarter.end
        ],
        "overdue": [
            plain(row)
            for row in rows
            if row["status"] in open_statuses and row["due_date"] and row["due_date"] <= quarter.end
        ],
        "due_next": [
            plain(row)
            for row in rows
            if row["status"] in open_statuses
            and row["due_date"]
            and next_quarter.start <= row["due_date"] <= next_quarter.end
        ],
    }


def _stats_json(stats: statistics.IncidentStats) -> dict[str, Any]:
    return {**stats.__dict__, "root_cause_identified_share": stats.root_cause_identified_share}


def trend_quarters(period: Period) -> list[Quarter]:
    """The quarters a trend chart shows: the four quarters of a year, or a quarter and the three before it."""
    if isinstance(period, Year):
        return period.quarters
    quarters = [period]
    for _index in range(3):
        quarters.append(quarters[-1].previous())
    return quarters[::-1]


def incident_section(organisation_ids: list[int], quarter: Period) -> dict[str, Any]:
    as_of = quarter_end_moment(quarter)
    start = datetime.datetime.combine(quarter.start, datetime.time(), tzinfo=PARIS)
    rows = incidents.incidents_as_of(organisation_ids=organisation_ids, as_of=as_of, detected_from=start)
    trend = []
    for cursor in trend_quarters(quarter):
        cursor_start = datetime.datetime.combine(cursor.start, datetime.time(), tzinfo=PARIS)
        in_quarter = list(
            incidents.incidents_as_of(
                organisation_ids=organisation_ids, as_of=quarter_end_moment(cursor), detected_from=cursor_start
            )
        )
        trend.append(
            {
                "quarter": cursor.code,
                "label": cursor.label_fr,
                "total": len(in_quarter),
                "significant": sum(1 for row in in_quarter if row.record.significant == "yes"),
            }
        )
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
            for row in rows
        ],
        "stats": _stats_json(statistics.compute([row.record for row in rows], now=as_of)),
        "trend": trend,
    }


def dependency_section(organisation_ids: list[int], quarter: Period) -> dict[str, Any]:
    as_of = quarter_end_moment(quarter)
    scored = dependencies.components_as_of(organisation_ids=organisation_ids, as_of=as_of)
    records = dependencies.records(scored)
    previous = dependencies.records(
        dependencies.components_as_of(organisation_ids=organisation_ids, as_of=quarter_end_moment(quarter.previous()))
    )
    overall = indexing.index(records)
    exposure_counts: dict[str, list[int]] = {}
    for item in scored:
        exposure_counts.setdefault(item.component.domain.code, [0] * 5)[item.exposure] += 1
    top = sorted(
        (item for item in scored if item.exposure >= indexing.EXPOSED and item.score.criticality >= indexing.CRITICAL),
        key=lambda item: -item.score.score,
    )[:10]
    horizon_records = indexing.decision_windows(records, today=quarter.end, months=12)
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
        "top": [
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
        ],
        "renewals": [
            {
                "name": record.name,
                "contract_end": record.contract_end.isoformat() if record.contract_end else None,
                "annual_cost_eur": _number(record.annual_cost_eur),
                "exposure": record.exposure,
                "strategy": record.strategy,
            }
            for record in horizon_records
        ],
    }


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
    shared_members = [member for member in members if member.pk in sharing]
    scope = [organisation.pk, *[member.pk for member in shared_members]]
    step(10)
    snapshot: dict[str, Any] = {
        "version": SNAPSHOT_VERSION,
        "meta": {
            "organisation": organisation.name,
            "siren": organisation.siren,
            "organisation_kind": organisation.kind,
            "nis2_status": organisation.nis2_status,
            "period": quarter.code,
            "quarter_number": quarter.number if isinstance(quarter, Quarter) else None,
            "year": quarter.year,
            "start": quarter.start.isoformat(),
            "end": quarter.end.isoformat(),
            "as_of": quarter_end_moment(quarter).isoformat(),
            "language": language,
            "issued_at": timezone.now().isoformat(),
            "consolidated": consolidated,
            "kind": "annual" if isinstance(quarter, Year) else "quarterly",
            "legal_basis": _legal_basis(organisation, language),
        },
        "maturity": maturity(organisation.pk, quarter),
    }
    step(35)
    snapshot["actions"] = actions(scope, quarter)
    step(50)
    snapshot["incidents"] = incident_section(scope, quarter)
    step(70)
    snapshot["dependencies"] = dependency_section(scope, quarter)
    step(85)
    snapshot["governance"] = governance_section(organisation.pk, quarter)
    if isinstance(quarter, Year):
        snapshot["year_by_quarter"] = year_by_quarter(organisation.pk, scope, quarter, snapshot["incidents"]["trend"])
    if consolidated:
        snapshot["members"] = [
            member_summary(member, quarter) if member.pk in sharing else {"name": member.name, "shared": False}
            for member in members
        ]
    return snapshot


def member_summary(member: Organisation, quarter: Period) -> dict[str, Any]:
    """A member commune's line in a consolidated report (only for a commune that shares its data)."""
    dependency = dependency_section([member.pk], quarter)
    return {
        "name": member.name,
        "shared": True,
        "maturity": (maturity(member.pk, quarter) or {}).get("overall"),
        "incidents": incident_section([member.pk], quarter)["stats"],
        "dependency_index": dependency["index"],
        "exposed_spend_share": dependency["exposed_spend_share"],
    }


def year_by_quarter(
    organisation_id: int, scope: list[int], year: Year, incident_trend: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The annual report's four quarters side by side: security level, incidents, exposed spend, overdue actions."""
    rows = []
    for quarter, incidents_in_quarter in zip(year.quarters, incident_trend, strict=True):
        level = maturity(organisation_id, quarter)
        exposure = indexing.index(
            dependencies.records(
                dependencies.components_as_of(organisation_ids=scope, as_of=quarter_end_moment(quarter))
            )
        )
        rows.append(
            {
                "quarter": quarter.code,
                "maturity_percent": level["overall"]["percent"] if level else None,
                "incidents": incidents_in_quarter["total"],
                "significant": incidents_in_quarter["significant"],
                "exposed_spend_share": _number(exposure.exposed_spend_share),
                "overdue_actions": len(actions(scope, quarter)["overdue"]),
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
    as_of = quarter_end_moment(period)
    return {
        "approvals": governance.approvals_in_force(organisation_id=organisation_id, as_of=as_of),
        "changes": governance.approval_changes(organisation_id=organisation_id, as_of=as_of),
        "training": dict(governance.training_summary(organisation_id=organisation_id, as_of=period.end)),
    }
