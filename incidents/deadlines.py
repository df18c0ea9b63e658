"""The reporting clock as pure functions: which reports are due, when, and their status.

Rules come from the database (incidents/data/reporting-rules.yaml); nothing here knows a deadline.
Hour delays are elapsed hours (UTC arithmetic); month delays are calendar months in Europe/Paris.
Directive (EU) 2022/2555, Art. 23(4): early warning within 24 h of becoming aware of a significant
incident, notification within 72 h, final report one month after the notification; if the incident
is still being handled then, a progress report is due at that date and the final report one month
after the handling ends. GDPR Art. 33(1): the supervisory authority within 72 h of becoming aware
of the personal data breach. docs/adr/0004-reading-of-the-reporting-clock.md gives the readings.

The plan depends on the incident's facts and filings only, never on the current time: what is due
does not change because time passes, only the status of each report does (``obligation_status``).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from nis2.clock import add_calendar_months, add_elapsed_hours, to_utc

REMINDER_THRESHOLDS = (50, 80, 100)  # % of the window elapsed; 100 = overdue
DUE_NOW_THRESHOLD = 100  # the one reminder of a report due "without undue delay"
DUE_SOON_SHARE = 0.8
PROGRESS_STEP = "progress"


class Condition(StrEnum):
    SIGNIFICANT = "significant"
    PERSONAL_DATA_BREACH = "personal_data_breach"
    BREACH_HIGH_RISK = "breach_high_risk"  # GDPR Art. 34
    RECIPIENTS_AFFECTED = "recipients_affected"  # NIS 2 Art. 23(1)-(2): significant and recipients affected


class RunsFrom(StrEnum):
    AWARENESS = "awareness"
    BREACH_AWARENESS = "breach_awareness"  # awareness of the personal data breach (GDPR Art. 33(1))
    STEP_SUBMISSION = "step_submission"  # the submission of ``anchor_step`` (its due time until submitted)
    REQUEST = "request"  # created when an authority asks; due date entered by the user


class Status(StrEnum):
    PENDING = "pending"
    DUE_NOW = "due_now"  # "without undue delay": no fixed hour, due until filed or judged not required
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
    without_undue_delay: bool = False


@dataclass(frozen=True)
class IncidentClock:
    aware_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    significant: bool
    personal_data_breach: bool
    # Without a recorded awareness time, a personal data breach's clock starts at detection (the
    # earliest moment the organisation can have known: the conservative reading of GDPR Art. 33(1)).
    detected_at: datetime.datetime | None = None
    breach_aware_at: datetime.datetime | None = None
    breach_high_risk: bool = False
    recipients_affected: bool = False

    def start(self, runs_from: RunsFrom) -> datetime.datetime | None:
        if runs_from is RunsFrom.BREACH_AWARENESS:
            return self.breach_aware_at or self.aware_at or self.detected_at
        return self.aware_at


@dataclass(frozen=True)
class PlannedObligation:
    step: str
    rule_code: str
    authority: str
    window_start: datetime.datetime
    due_at: datetime.datetime | None  # None: due one month after the handling ends, not yet known
    provisional: bool = False  # the anchor report is not submitted yet


def _applies(rule: Rule, clock: IncidentClock) -> bool:
    match rule.condition:
        case Condition.SIGNIFICANT:
            return clock.significant
        case Condition.PERSONAL_DATA_BREACH:
            return clock.personal_data_breach
        case Condition.BREACH_HIGH_RISK:
            return clock.personal_data_breach and clock.breach_high_risk
        case Condition.RECIPIENTS_AFFECTED:
            return clock.significant and clock.recipients_affected
    raise ValueError(f"unknown condition {rule.condition}")


def _delay(rule: Rule, start: datetime.datetime) -> datetime.datetime:
    if rule.without_undue_delay:
        return start
    if rule.delay_hours is not None:
        return add_elapsed_hours(start, rule.delay_hours)
    if rule.delay_months is not None:
        return add_calendar_months(start, rule.delay_months)
    raise ValueError(f"rule {rule.code} has no delay")


def plan_obligations(
    clock: IncidentClock, rules: list[Rule], submissions: dict[str, datetime.datetime]
) -> list[PlannedObligation]:
    """The reports an incident owes, from the rules, the incident's facts and the first filing time of
    each step (``submissions``). Request-based rules (intermediate reports) are never planned here."""
    planned: dict[str, PlannedObligation] = {}
    applicable = [rule for rule in rules if _applies(rule, clock) and rule.runs_from is not RunsFrom.REQUEST]
    for rule in sorted(applicable, key=lambda rule: rule.runs_from is RunsFrom.STEP_SUBMISSION):
        if rule.runs_from is not RunsFrom.STEP_SUBMISSION:
            start = clock.start(rule.runs_from)
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
            planned.update(_progress_and_final(rule, clock, start, due, provisional))
            continue
        planned[rule.step] = PlannedObligation(rule.step, rule.code, rule.authority, start, due, provisional)
    return list(planned.values())


def _progress_and_final(
    rule: Rule, clock: IncidentClock, start: datetime.datetime, due: datetime.datetime, provisional: bool
) -> dict[str, PlannedObligation]:
    """Directive (EU) 2022/2555, Art. 23(4)(d)-(e). Handled by ``due`` (one month after the notification):
    the final report is due then. Still being handled then (or not resolved yet): a progress report is due
    then, and the final report one month after the end of handling, unknown until the incident is resolved."""
    resolved_at = to_utc(clock.resolved_at) if clock.resolved_at else None
    if resolved_at is not None and resolved_at <= due:
        return {rule.step: PlannedObligation(rule.step, rule.code, rule.authority, start, due, provisional)}
    progress = PlannedObligation(PROGRESS_STEP, rule.code, rule.authority, start, due, provisional)
    if resolved_at is None:
        final = PlannedObligation(rule.step, rule.code, rule.authority, due, None, provisional)
    else:
        final = PlannedObligation(rule.step, rule.code, rule.authority, resolved_at, _delay(rule, resolved_at), False)
    return {PROGRESS_STEP: progress, rule.step: final}


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
    without_undue_delay: bool = False,
) -> Status:
    """Lateness is judged at the first filing and never changes afterwards. A report due "without undue
    delay" has no hour to miss: it is due now until filed (and then on time)."""
    if not_required:
        return Status.NOT_REQUIRED
    if without_undue_delay:
        return Status.SUBMITTED if submitted_at is not None else Status.DUE_NOW
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


def next_reminder_at(
    *,
    window_start: datetime.datetime,
    due_at: datetime.datetime | None,
    without_undue_delay: bool,
    sent: Collection[int],
) -> datetime.datetime | None:
    """When the first reminder not yet sent for this due date falls due (``thresholds_crossed`` turns it
    up at that moment or after); None when every reminder has gone or there is no due date. Stored on the
    obligation, it lets the reminder task read only the obligations whose moment has come."""
    if due_at is None:
        return None
    if without_undue_delay:
        return None if DUE_NOW_THRESHOLD in sent else to_utc(window_start)
    start, end = to_utc(window_start), to_utc(due_at)
    moments = [
        end + datetime.timedelta(microseconds=1) if threshold >= 100 else start + (end - start) * threshold / 100
        for threshold in REMINDER_THRESHOLDS
        if threshold not in sent
    ]
    return min(moments, default=None)


def thresholds_crossed(window_start: datetime.datetime, due_at: datetime.datetime, now: datetime.datetime) -> list[int]:
    """Reminder thresholds (50 %, 80 %, overdue) reached at ``now``."""
    share = elapsed_share(window_start, due_at, now)
    return [
        threshold for threshold in REMINDER_THRESHOLDS if share * 100 >= threshold and (threshold < 100 or now > due_at)
    ]
