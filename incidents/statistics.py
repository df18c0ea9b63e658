"""Incident statistics over plain records (exercises already left out): used by the API, the pages and
the quarterly report, whatever the date the records describe."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from incidents import lifecycle
from nis2.clock import to_utc


@dataclass(frozen=True)
class IncidentRecord:
    category: str
    severity: str
    status: str
    significant: str
    detected_at: datetime.datetime
    aware_at: datetime.datetime | None
    contained_at: datetime.datetime | None
    root_cause_category: str
    root_cause_identified_at: datetime.datetime | None
    obligation_statuses: tuple[str, ...] = field(default=())

    @property
    def root_cause_identified(self) -> bool:
        return bool(self.root_cause_category) and self.root_cause_category != "undetermined"


@dataclass(frozen=True)
class IncidentStats:
    total: int
    by_category: dict[str, int]
    by_severity: dict[str, int]
    by_status: dict[str, int]
    significant: int
    closed: int
    closed_with_root_cause: int
    unknown_cause_after_30_days: int
    median_hours_to_root_cause: float | None
    median_hours_to_containment: float | None
    obligations_on_time: int
    obligations_late: int
    obligations_overdue: int

    @property
    def root_cause_identified_share(self) -> float | None:
        return round(100 * self.closed_with_root_cause / self.closed, 1) if self.closed else None


def _count(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def compute(records: Iterable[IncidentRecord], *, now: datetime.datetime) -> IncidentStats:
    rows = list(records)
    to_root_cause = [
        (to_utc(row.root_cause_identified_at) - to_utc(row.aware_at or row.detected_at)).total_seconds() / 3600
        for row in rows
        if row.root_cause_identified and row.root_cause_identified_at
    ]
    to_containment = [(row.contained_at - row.detected_at).total_seconds() / 3600 for row in rows if row.contained_at]
    closed = [row for row in rows if row.status == "closed"]
    statuses = [status for row in rows for status in row.obligation_statuses]
    return IncidentStats(
        total=len(rows),
        by_category=_count(row.category for row in rows),
        by_severity=_count(row.severity for row in rows),
        by_status=_count(row.status for row in rows),
        significant=sum(1 for row in rows if row.significant == "yes"),
        closed=len(closed),
        closed_with_root_cause=sum(1 for row in closed if row.root_cause_identified),
        unknown_cause_after_30_days=sum(
            1
            for row in rows
            if lifecycle.cause_unknown_too_long(
                aware_at=row.aware_at,
                detected_at=row.detected_at,
                root_cause_identified=row.root_cause_identified,
                now=now,
            )
        ),
        median_hours_to_root_cause=round(statistics.median(to_root_cause), 1) if to_root_cause else None,
        median_hours_to_containment=round(statistics.median(to_containment), 1) if to_containment else None,
        obligations_on_time=statuses.count("submitted"),
        obligations_late=statuses.count("submitted_late"),
        obligations_overdue=statuses.count("overdue"),
    )
