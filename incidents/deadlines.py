"""The NIS 2 reporting clock as pure functions: which reports are due, when, and their status.

Rules come from the database (incidents/data/reporting-rules.yaml); nothing here knows a deadline.
Hour delays are elapsed hours (UTC arithmetic); month delays are calendar months in Europe/Paris.
Directive (EU) 2022/2555, Art. 23(4): early warning within 24 h of becoming aware of a significant
incident, notification within 72 h, final report one month after the notification; if the incident
is still being handled then, a progress report is due at that date and the final report one month
after the handling ends.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from nis2.clock import add_calendar_months, add_elapsed_hours, to_utc

REMINDER_THRESHOLDS = (50, 80, 100)  # % of the window elapsed; 100 = overdue
DUE_SOON_SHARE = 0.8
PROGRESS_STEP = "progress"


class Condition(StrEnum):
    SIGNIFICANT = "significant"
    PERSONAL_DATA_BREACH = "personal_data_breach"


class RunsFrom(StrEnum):
    AWARENESS = "awareness"
    STEP_SUBMISSION = "step_submission"  # the submission of ``anchor_step`` (its due time until submitted)
    REQUEST = "request"  # created when an authority asks; due date entered by the user


class Status(StrEnum):
    PENDING = "pending"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    SUBMITTED = "submitted"
    SUBMITTED_LATE = "submitted_late"
    NOT_REQUIRED = "not_required"


@dataclass(frozen=True)
class Rule:
    code: str
    step: str
    authority: str
    condition: Condition
    runs_from: RunsFrom
    delay_hours: int | None = None
    delay_months: int | None = None
    anchor_step: str | None = None
    satisfies_step: str | None = None
    progress_if_unresolved: bool = False


@dataclass(frozen=True)
class IncidentClock:
    aware_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    significant: bool
    personal_data_breach: bool
    # Without a recorded awareness time, a personal data breach's clock starts at detection (the
    # earliest moment the organisation can have known: the conservative reading of GDPR Art. 33(1)).
    detected_at: datetime.datetime | None = None


@dataclass(frozen=True)
class PlannedObligation:
    step: str
    rule_code: str
    authority: str
    window_start: datetime.datetime
    due_at: datetime.datetime | None  # None: due one month after the handling ends, not yet known
    provisional: bool = False  # the anchor report is not submitted yet


def _applies(rule: Rule, clock: IncidentClock) -> bool:
    if rule.condition is Condition.SIGNIFICANT:
        return clock.significant
    return clock.personal_data_breach


def _delay(rule: Rule, start: datetime.datetime) -> datetime.datetime:
    if rule.delay_hours is not None:
        return add_elapsed_hours(start, rule.delay_hours)
    if rule.delay_months is not None:
        return add_calendar_months(start, rule.delay_months)
    raise ValueError(f"rule {rule.code} has no delay")


def plan_obligations(
    clock: IncidentClock, rules: list[Rule], submissions: dict[str, datetime.datetime], *, now: datetime.datetime
) -> list[PlannedObligation]:
    """The reports an incident owes, from the rules, the incident's facts and the first filing time of
    each step (``submissions``). Request-based rules (intermediate reports) are never planned here."""
    planned: dict[str, PlannedObligation] = {}
    applicable = [rule for rule in rules if _applies(rule, clock) and rule.runs_from is not RunsFrom.REQUEST]
    for rule in sorted(applicable, key=lambda rule: rule.runs_from is RunsFrom.STEP_SUBMISSION):
        if rule.runs_from is RunsFrom.AWARENESS:
            start = clock.aware_at
            if start is None and rule.condition is Condition.PERSONAL_DATA_BREACH:
                start = clock.detected_at
            if start is None:
                continue
            start = to_utc(start)
            planned[rule.step] = PlannedObligation(rule.step, rule.code, rule.authority, start, _delay(rule, start))
            continue
        anchor = planned.get(rule.anchor_step or "")
        submitted = submissions.get(rule.anchor_step or "")
        if submitted is not None:
            start, provisional = to_utc(submitted), False
        elif anchor is not None and anchor.due_at is not None:
            start, provisional = anchor.due_at, True
        else:
            continue
        due = _delay(rule, start)
        if rule.progress_if_unresolved:
            resolved_at = to_utc(clock.resolved_at) if clock.resolved_at else None
            still_handling_at_due = (resolved_at is None and now >= due) or (
                resolved_at is not None and resolved_at > due
            )
            if still_handling_at_due:
                planned[PROGRESS_STEP] = PlannedObligation(
                    PROGRESS_STEP, rule.code, rule.authority, start, due, provisional
                )
                final_due: datetime.datetime | None = None
                if resolved_at is not None:
                    start, final_due = resolved_at, _delay(rule, resolved_at)
                else:
                    start = due
                planned[rule.step] = PlannedObligation(
                    rule.step, rule.code, rule.authority, start, final_due, provisional
                )
                continue
        planned[rule.step] = PlannedObligation(rule.step, rule.code, rule.authority, start, due, provisional)
    return list(planned.values())


def effective_submissions(
    rules: list[Rule], first_filings: dict[str, datetime.datetime]
) -> dict[str, datetime.datetime]:
    """First filing time per step, where a later step's filing also satisfies an earlier pending one
    (a notification filed while the early warning is pending counts as both)."""
    effective = dict(first_filings)
    for rule in rules:
        if rule.satisfies_step and rule.step in first_filings:
            own = effective.get(rule.satisfies_step)
            by_later_step = first_filings[rule.step]
            effective[rule.satisfies_step] = min(own, by_later_step) if own else by_later_step
    return effective


def obligation_status(
    *,
    window_start: datetime.datetime,
    due_at: datetime.datetime | None,
    submitted_at: datetime.datetime | None,
    not_required: bool,
    now: datetime.datetime,
) -> Status:
    """Lateness is judged at the first filing and never changes afterwards."""
    if not_required:
        return Status.NOT_REQUIRED
    if submitted_at is not None:
        return Status.SUBMITTED if due_at is None or submitted_at <= due_at else Status.SUBMITTED_LATE
    if due_at is None:
        return Status.PENDING
    if now > due_at:
        return Status.OVERDUE
    if elapsed_share(window_start, due_at, now) >= DUE_SOON_SHARE:
        return Status.DUE_SOON
    return Status.PENDING


def elapsed_share(window_start: datetime.datetime, due_at: datetime.datetime, now: datetime.datetime) -> float:
    window = (to_utc(due_at) - to_utc(window_start)).total_seconds()
    if window <= 0:
        return 1.0
    return (to_utc(now) - to_utc(window_start)).total_seconds() / window


def thresholds_crossed(window_start: datetime.datetime, due_at: datetime.datetime, now: datetime.datetime) -> list[int]:
    """Reminder thresholds (50 %, 80 %, overdue) reached at ``now``."""
    share = elapsed_share(window_start, due_at, now)
    return [
        threshold for threshold in REMINDER_THRESHOLDS if share * 100 >= threshold and (threshold < 100 or now > due_at)
    ]
