"""The register as it stood at a date (quarterly reports read the history tables)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from incidents import deadlines, statistics
from incidents.models import (
    Filing,
    Incident,
    Obligation,
    ReportingRule,
)
from incidents.selectors.analysis import RECORD_FIELDS
from incidents.selectors.obligations import earliest_submission


@dataclass(frozen=True)
class IncidentAsOf:
    record: statistics.IncidentRecord
    incident_id: int
    organisation_id: int
    title: str


def _real_incidents_as_of(
    organisation_ids: list[int], as_of: datetime.datetime, detected_from: datetime.datetime | None
) -> QuerySet[Incident]:
    queryset: QuerySet[Incident] = Incident.history.as_of(as_of).filter(
        organisation_id__in=organisation_ids, is_exercise=False
    )
    if detected_from is not None:
        queryset = queryset.filter(detected_at__gte=detected_from)
    return queryset


def incidents_as_of(
    *, organisation_ids: list[int], as_of: datetime.datetime, detected_from: datetime.datetime | None = None
) -> list[IncidentAsOf]:
    """Real incidents as they stood at ``as_of`` (detected before it), with their reports' statuses then,
    in the order of detection. Four queries, whatever the number of organisations and incidents."""
    incidents = list(
        _real_incidents_as_of(organisation_ids, as_of, detected_from).values(
            "id", "organisation_id", "title", *RECORD_FIELDS
        )
    )
    statuses = _obligation_statuses_as_of([row["id"] for row in incidents], as_of)
    return [
        IncidentAsOf(
            record=statistics.IncidentRecord(
                **{name: row[name] for name in RECORD_FIELDS}, obligation_statuses=tuple(statuses.get(row["id"], ()))
            ),
            incident_id=row["id"],
            organisation_id=row["organisation_id"],
            title=row["title"],
        )
        for row in sorted(incidents, key=lambda row: row["detected_at"])
    ]


def _obligation_statuses_as_of(incident_ids: list[int], as_of: datetime.datetime) -> dict[int, list[str]]:
    """The status at ``as_of`` of each incident's reports, by incident id. A filing of a later step also
    satisfies the step it covers. Filings are append-only, so a filing counts when it was both submitted and
    recorded by ``as_of``."""
    obligations = list(
        Obligation.history.as_of(as_of)
        .filter(incident_id__in=incident_ids)
        .values("id", "incident_id", "step", "rule_id", "window_start", "due_at", "not_required")
    )
    rules = _rule_facts()
    satisfies = {pk: step for pk, step, _immediate in rules}
    immediate = {pk for pk, _step, without_undue_delay in rules if without_undue_delay}
    first_filed: dict[int, datetime.datetime] = {}
    for obligation_id, submitted_at in (
        Filing.objects.filter(
            obligation_id__in=[row["id"] for row in obligations],
            submitted_at__lte=as_of,
            recorded_at__lte=as_of,
            supersedes__isnull=True,
        )
        .order_by("recorded_at", "pk")
        .values_list("obligation_id", "submitted_at")
    ):
        first_filed.setdefault(obligation_id, submitted_at)
    by_incident: dict[int, list[dict[str, Any]]] = {}
    for row in obligations:
        by_incident.setdefault(row["incident_id"], []).append(row)
    statuses: dict[int, list[str]] = {}
    for incident_id, rows in by_incident.items():
        for row in rows:
            settled_at, _satisfied_by = earliest_submission(
                row["step"],
                first_filed.get(row["id"]),
                ((other["step"], satisfies.get(other["rule_id"]), first_filed.get(other["id"])) for other in rows),
            )
            status = deadlines.obligation_status(
                window_start=row["window_start"],
                due_at=row["due_at"],
                submitted_at=settled_at,
                not_required=row["not_required"],
                now=as_of,
                without_undue_delay=row["rule_id"] in immediate,
            )
            statuses.setdefault(incident_id, []).append(status.value)
    return statuses


def _rule_facts() -> list[tuple[int, str, bool]]:
    """(id, step it also satisfies, due without undue delay) of every reporting rule, in one query."""
    return list(ReportingRule.objects.order_by().values_list("pk", "satisfies_step", "without_undue_delay"))


@dataclass(frozen=True)
class IncidentCounts:
    total: int
    significant: int


def incident_counts_as_of(
    *, organisation_ids: list[int], as_of: datetime.datetime, detected_from: datetime.datetime | None = None
) -> IncidentCounts:
    """How many of the incidents ``incidents_as_of`` gives there are, and how many of them are significant,
    in one query (a report's trend over past quarters)."""
    counts = _real_incidents_as_of(organisation_ids, as_of, detected_from).aggregate(
        total=Count("history_id"), significant=Count("history_id", filter=Q(significant="yes"))
    )
    return IncidentCounts(total=counts["total"], significant=counts["significant"])
