"""The reports an incident owes, with their status as of now: filed, due, overdue (from the stored
obligations and filings, no query when they are prefetched)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from incidents import deadlines
from incidents.models import (
    Incident,
    Obligation,
    Step,
)

PENDING_STATUSES = (
    deadlines.Status.PENDING,
    deadlines.Status.DUE_SOON,
    deadlines.Status.OVERDUE,
    deadlines.Status.DUE_NOW,
)


@dataclass(frozen=True)
class ObligationView:
    obligation: Obligation
    status: deadlines.Status
    submitted_at: datetime.datetime | None
    satisfied_by: str | None  # the step whose filing also satisfied this one

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES


def obligation_views(incident: Incident, *, now: datetime.datetime) -> list[ObligationView]:
    """The incident's obligations with their status (no query when obligations and filings are prefetched).
    A filing of a later step also satisfies the step it covers (the notification covers the early warning)."""
    obligations = list(incident.obligations.all())
    first_filed = {obligation.pk: _first_filing_time(obligation) for obligation in obligations}
    by_step = {obligation.step: obligation for obligation in obligations if obligation.step != Step.INTERMEDIATE}
    views = []
    for obligation in obligations:
        submitted_at, satisfied_by = earliest_submission(
            obligation.step,
            first_filed[obligation.pk],
            ((other.step, other.rule.satisfies_step, first_filed[other.pk]) for other in by_step.values()),
        )
        status = deadlines.obligation_status(
            window_start=obligation.window_start,
            due_at=obligation.due_at,
            submitted_at=submitted_at,
            not_required=obligation.not_required,
            now=now,
            without_undue_delay=obligation.rule.without_undue_delay,
        )
        views.append(ObligationView(obligation, status, submitted_at, satisfied_by))
    return views


def earliest_submission(
    step: str,
    submitted_at: datetime.datetime | None,
    others: Iterable[tuple[str, str | None, datetime.datetime | None]],
) -> tuple[datetime.datetime | None, str | None]:
    """When ``step`` counts as submitted: its own first filing, or the earlier first filing of another
    step that also satisfies it (``others``: step, the step it satisfies, its first filing); and that
    other step, if so."""
    satisfied_by = None
    for other_step, satisfies_step, covering in others:
        if satisfies_step == step and covering and (not submitted_at or covering < submitted_at):
            submitted_at, satisfied_by = covering, other_step
    return submitted_at, satisfied_by


def _first_filing_time(obligation: Obligation) -> datetime.datetime | None:
    """The first recorded filing's submission time: corrections never change lateness."""
    originals = [filing for filing in obligation.filings.all() if filing.supersedes_id is None]
    return min(originals, key=lambda filing: (filing.recorded_at, filing.pk)).submitted_at if originals else None


def next_deadline(views: list[ObligationView]) -> ObligationView | None:
    earliest: tuple[datetime.datetime, ObligationView] | None = None
    for view in views:
        due_at = view.obligation.due_at
        if view.is_pending and due_at is not None and (earliest is None or due_at < earliest[0]):
            earliest = (due_at, view)
    return earliest[1] if earliest else None
