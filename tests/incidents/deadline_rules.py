"""The reporting rules and time helpers shared by the deadline tests (docs nis2.md §7)."""

import datetime
from dataclasses import dataclass, field

from incidents import deadlines
from incidents.deadlines import Condition, IncidentClock, Rule, RunsFrom
from nis2.clock import PARIS, UTC

WINTER = datetime.timezone(datetime.timedelta(hours=1))  # CET, +01:00
SUMMER = datetime.timezone(datetime.timedelta(hours=2))  # CEST, +02:00

# The shipped rules (incidents/data/reporting-rules.yaml) as the engine sees them.
EARLY_WARNING = Rule(
    code="nis2-early-warning",
    step="early_warning",
    authority="anssi",
    condition=Condition.SIGNIFICANT,
    runs_from=RunsFrom.AWARENESS,
    delay_hours=24,
)

NOTIFICATION = Rule(
    code="nis2-notification",
    step="notification",
    authority="anssi",
    condition=Condition.SIGNIFICANT,
    runs_from=RunsFrom.AWARENESS,
    delay_hours=72,
    satisfies_step="early_warning",
)

FINAL = Rule(
    code="nis2-final",
    step="final",
    authority="anssi",
    condition=Condition.SIGNIFICANT,
    runs_from=RunsFrom.STEP_SUBMISSION,
    delay_months=1,
    anchor_step="notification",
    progress_if_unresolved=True,
)

INTERMEDIATE = Rule(
    code="nis2-intermediate",
    step="intermediate",
    authority="anssi",
    condition=Condition.SIGNIFICANT,
    runs_from=RunsFrom.REQUEST,
)

GDPR_BREACH = Rule(
    code="gdpr-breach",
    step="gdpr_breach",
    authority="cnil",
    condition=Condition.PERSONAL_DATA_BREACH,
    runs_from=RunsFrom.BREACH_AWARENESS,
    delay_hours=72,
)

GDPR_DATA_SUBJECTS = Rule(
    code="gdpr-data-subjects",
    step="gdpr_data_subjects",
    authority="data-subjects",
    condition=Condition.BREACH_HIGH_RISK,
    runs_from=RunsFrom.BREACH_AWARENESS,
    without_undue_delay=True,
)

RECIPIENTS = Rule(
    code="nis2-recipients",
    step="recipients",
    authority="service-recipients",
    condition=Condition.RECIPIENTS_AFFECTED,
    runs_from=RunsFrom.AWARENESS,
    without_undue_delay=True,
)

SHIPPED_RULES = [EARLY_WARNING, NOTIFICATION, FINAL, INTERMEDIATE, GDPR_BREACH, GDPR_DATA_SUBJECTS, RECIPIENTS]


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def shown(moment: datetime.datetime | None) -> str | None:
    """The instant as Paris shows it, offset included: equal strings mean same instant and same offset."""
    return moment.astimezone(PARIS).isoformat() if moment else None


def offset_time(year: int, month: int, day: int, hour: int, minute: int, zone: datetime.tzinfo) -> str:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=zone).isoformat()


HANDLED_AT_ONCE = paris(2000, 1, 1)  # stands for "resolved as soon as it was known" in ``planned``


def planned(
    aware_at: datetime.datetime | None,
    submissions: dict[str, datetime.datetime] | None = None,
    *,
    resolved_at: datetime.datetime | None = HANDLED_AT_ONCE,
    significant: bool = True,
    personal_data_breach: bool = False,
    rules: list[Rule] = SHIPPED_RULES,
) -> dict[str, tuple[str | None, bool]]:
    """{step: (due time as Paris shows it, provisional)} for what ``plan_obligations`` plans. Unless told
    otherwise the incident was handled at once (so the final report is due one month after the notification);
    ``resolved_at=None`` is an incident still being handled."""
    if resolved_at is HANDLED_AT_ONCE:
        resolved_at = aware_at
    clock = IncidentClock(
        aware_at=aware_at, resolved_at=resolved_at, significant=significant, personal_data_breach=personal_data_breach
    )
    plan = deadlines.plan_obligations(clock, rules, submissions or {})
    return {obligation.step: (shown(obligation.due_at), obligation.provisional) for obligation in plan}


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UTC)


@dataclass(frozen=True)
class Case:
    aware: datetime.datetime | None
    filed: dict[str, datetime.datetime] = field(default_factory=dict)  # first filing of each step
    resolved: datetime.datetime | None = None
    significant: bool = True
    breach: bool = False
    breach_aware: datetime.datetime | None = None
    high_risk: bool = False
    recipients: bool = False
    detected: datetime.datetime | None = None


def due_dates(case: Case) -> dict[str, str | None]:
    clock = IncidentClock(
        aware_at=case.aware,
        resolved_at=case.resolved,
        significant=case.significant,
        personal_data_breach=case.breach,
        detected_at=case.detected,
        breach_aware_at=case.breach_aware,
        breach_high_risk=case.high_risk,
        recipients_affected=case.recipients,
    )
    submissions = deadlines.effective_submissions(SHIPPED_RULES, case.filed)
    return {
        planned.step: planned.due_at.astimezone(PARIS).isoformat() if planned.due_at else None
        for planned in deadlines.plan_obligations(clock, SHIPPED_RULES, submissions)
    }
