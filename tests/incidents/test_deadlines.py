"""The NIS 2 reporting clock as pure functions, against the worked cases of docs nis2.md §7.

Hour deadlines are elapsed hours (UTC arithmetic); month deadlines are calendar months on the Paris
wall clock, clamped to the month's end. Expected times are written with the offset Paris has then,
and compared on both the instant and the offset.
"""

import datetime

import pytest
import yaml

from incidents import deadlines
from incidents.deadlines import Condition, IncidentClock, Rule, RunsFrom, Status
from incidents.reference_data import RULES_FILE
from nis2.clock import (
    PARIS,
    UTC,
    AmbiguousLocalTime,
    NonexistentLocalTime,
    add_calendar_months,
    add_elapsed_hours,
    localize_strict,
    to_utc,
)

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
# Directive (EU) 2022/2555, Art. 23(4), 2nd subparagraph: trust service providers notify within 24 h.
TRUST_SERVICE_RULES = [
    EARLY_WARNING,
    Rule(
        code="nis2-notification-trust-service",
        step="notification",
        authority="anssi",
        condition=Condition.SIGNIFICANT,
        runs_from=RunsFrom.AWARENESS,
        delay_hours=24,
        satisfies_step="early_warning",
    ),
    FINAL,
]


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def wall(*parts: int) -> datetime.datetime:
    """A naive wall-clock time, as a person types it."""
    return datetime.datetime(*parts)  # noqa: DTZ001 - zoned (or refused) by the code under test


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


def test_rules_used_here_mirror_the_shipped_file() -> None:
    document = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    shipped = [
        Rule(
            code=entry["code"],
            step=entry["step"],
            authority=entry["authority"],
            condition=Condition(entry["condition"]),
            runs_from=RunsFrom(entry["runs_from"]),
            delay_hours=entry.get("delay_hours"),
            delay_months=entry.get("delay_months"),
            anchor_step=entry.get("anchor_step"),
            satisfies_step=entry.get("satisfies_step"),
            progress_if_unresolved=entry.get("progress_if_unresolved", False),
            without_undue_delay=entry.get("without_undue_delay", False),
        )
        for entry in document["rules"]
    ]
    assert sorted(shipped, key=lambda rule: rule.code) == sorted(SHIPPED_RULES, key=lambda rule: rule.code)


@pytest.mark.parametrize(
    ("aware_at", "submissions", "rules", "expected"),
    [
        pytest.param(
            paris(2026, 3, 2, 10),
            {},
            SHIPPED_RULES,
            {
                "early_warning": (offset_time(2026, 3, 3, 10, 0, WINTER), False),
                "notification": (offset_time(2026, 3, 5, 10, 0, WINTER), False),
                # Not filed yet: provisionally one month after the notification's due time.
                "final": (offset_time(2026, 4, 5, 10, 0, SUMMER), True),
            },
            id="1-baseline-before-any-filing",
        ),
        pytest.param(
            paris(2026, 3, 2, 10),
            {"notification": paris(2026, 3, 5, 10)},
            SHIPPED_RULES,
            {
                "early_warning": (offset_time(2026, 3, 3, 10, 0, WINTER), False),
                "notification": (offset_time(2026, 3, 5, 10, 0, WINTER), False),
                "final": (offset_time(2026, 4, 5, 10, 0, SUMMER), False),
            },
            id="1-baseline-notification-filed-at-its-deadline",
        ),
        pytest.param(
            paris(2026, 3, 2, 10),
            {"notification": paris(2026, 3, 4, 15, 20)},
            SHIPPED_RULES,
            {
                "early_warning": (offset_time(2026, 3, 3, 10, 0, WINTER), False),
                "notification": (offset_time(2026, 3, 5, 10, 0, WINTER), False),
                "final": (offset_time(2026, 4, 4, 15, 20, SUMMER), False),
            },
            id="2-final-runs-from-the-notification-submission",
        ),
        pytest.param(
            paris(2026, 3, 28, 10),
            {},
            SHIPPED_RULES,
            {
                "early_warning": (offset_time(2026, 3, 29, 11, 0, SUMMER), False),
                "notification": (offset_time(2026, 3, 31, 11, 0, SUMMER), False),
                "final": (offset_time(2026, 4, 30, 11, 0, SUMMER), True),
            },
            id="3-spring-forward-inside-24h",
        ),
        pytest.param(
            paris(2026, 3, 27, 10),
            {},
            SHIPPED_RULES,
            {
                "early_warning": (offset_time(2026, 3, 28, 10, 0, WINTER), False),
                "notification": (offset_time(2026, 3, 30, 11, 0, SUMMER), False),
                "final": (offset_time(2026, 4, 30, 11, 0, SUMMER), True),
            },
            id="4-spring-forward-inside-72h-only",
        ),
        pytest.param(
            paris(2026, 10, 24, 10),
            {},
            SHIPPED_RULES,
            {
                "early_warning": (offset_time(2026, 10, 25, 9, 0, WINTER), False),
                "notification": (offset_time(2026, 10, 27, 9, 0, WINTER), False),
                "final": (offset_time(2026, 11, 27, 9, 0, WINTER), True),
            },
            id="5-fall-back-inside-24h",
        ),
        pytest.param(
            datetime.datetime(2026, 10, 25, 2, 30, tzinfo=SUMMER),
            {},
            [EARLY_WARNING],
            {"early_warning": (offset_time(2026, 10, 26, 1, 30, WINTER), False)},
            id="7-ambiguous-0230-first-occurrence-+02",
        ),
        pytest.param(
            datetime.datetime(2026, 10, 25, 2, 30, tzinfo=WINTER),
            {},
            [EARLY_WARNING],
            {"early_warning": (offset_time(2026, 10, 26, 2, 30, WINTER), False)},
            id="7-ambiguous-0230-second-occurrence-+01",
        ),
        pytest.param(
            paris(2026, 1, 30, 16),
            {"notification": paris(2026, 1, 31, 16)},
            [NOTIFICATION, FINAL],
            {
                "notification": (offset_time(2026, 2, 2, 16, 0, WINTER), False),
                "final": (offset_time(2026, 2, 28, 16, 0, WINTER), False),
            },
            id="8-month-end-31-january-to-28-february",
        ),
        pytest.param(
            paris(2028, 1, 30, 16),
            {"notification": paris(2028, 1, 31, 16)},
            [NOTIFICATION, FINAL],
            {
                "notification": (offset_time(2028, 2, 2, 16, 0, WINTER), False),
                "final": (offset_time(2028, 2, 29, 16, 0, WINTER), False),
            },
            id="8-month-end-leap-year-29-february",
        ),
        pytest.param(
            paris(2026, 3, 30, 16),
            {"notification": paris(2026, 3, 31, 16)},
            [NOTIFICATION, FINAL],
            {
                "notification": (offset_time(2026, 4, 2, 16, 0, SUMMER), False),
                "final": (offset_time(2026, 4, 30, 16, 0, SUMMER), False),
            },
            id="8-month-end-31-march-to-30-april",
        ),
        pytest.param(
            # Detected 2026-03-02 08:00, qualified significant at 14:00: the clock runs from 14:00.
            paris(2026, 3, 2, 14),
            {},
            [EARLY_WARNING, NOTIFICATION],
            {
                "early_warning": (offset_time(2026, 3, 3, 14, 0, WINTER), False),
                "notification": (offset_time(2026, 3, 5, 14, 0, WINTER), False),
            },
            id="9-clock-runs-from-awareness-not-detection",
        ),
        pytest.param(
            paris(2026, 3, 6, 18),
            {},
            [EARLY_WARNING, NOTIFICATION],
            {
                "early_warning": (offset_time(2026, 3, 7, 18, 0, WINTER), False),  # Saturday
                "notification": (offset_time(2026, 3, 9, 18, 0, WINTER), False),  # Monday
            },
            id="12-weekend-no-rollover",
        ),
        pytest.param(
            paris(2026, 3, 2, 10),
            {},
            TRUST_SERVICE_RULES,
            {
                "early_warning": (offset_time(2026, 3, 3, 10, 0, WINTER), False),
                "notification": (offset_time(2026, 3, 3, 10, 0, WINTER), False),
                "final": (offset_time(2026, 4, 3, 10, 0, SUMMER), True),
            },
            id="13-trust-service-notification-within-24h",
        ),
    ],
)
def test_deadlines_of_the_worked_cases(aware_at, submissions, rules, expected) -> None:
    assert planned(aware_at, submissions, rules=rules) == expected


def test_final_report_window_starts_at_the_notification_submission() -> None:
    clock = IncidentClock(
        aware_at=paris(2026, 3, 2, 10), resolved_at=paris(2026, 3, 3, 18), significant=True, personal_data_breach=False
    )

    plan = deadlines.plan_obligations(clock, SHIPPED_RULES, {"notification": paris(2026, 3, 4, 15, 20)})

    final = next(obligation for obligation in plan if obligation.step == "final")
    assert final.window_start == datetime.datetime(2026, 3, 4, 14, 20, tzinfo=UTC)
    assert (final.rule_code, final.authority) == ("nis2-final", "anssi")


def test_combined_submission_satisfies_early_warning_and_starts_the_final_report() -> None:
    """Case 14: a full notification filed 10 h after awareness counts as the early warning too."""
    aware_at = paris(2026, 3, 2, 10)
    filed_at = paris(2026, 3, 2, 20)

    submissions = deadlines.effective_submissions(SHIPPED_RULES, {"notification": filed_at})

    assert submissions == {"notification": filed_at, "early_warning": filed_at}
    assert planned(aware_at, submissions) == {
        "early_warning": (offset_time(2026, 3, 3, 10, 0, WINTER), False),
        "notification": (offset_time(2026, 3, 5, 10, 0, WINTER), False),
        "final": (offset_time(2026, 4, 2, 20, 0, SUMMER), False),
    }
    early_warning_status = deadlines.obligation_status(
        window_start=aware_at,
        due_at=add_elapsed_hours(aware_at, 24),
        submitted_at=submissions["early_warning"],
        not_required=False,
        now=paris(2026, 3, 4, 9),
    )
    assert early_warning_status is Status.SUBMITTED


def test_earlier_own_filing_of_the_early_warning_is_kept() -> None:
    early_warning_at, notification_at = paris(2026, 3, 2, 12), paris(2026, 3, 3, 9)

    submissions = deadlines.effective_submissions(
        SHIPPED_RULES, {"early_warning": early_warning_at, "notification": notification_at}
    )

    assert submissions == {"early_warning": early_warning_at, "notification": notification_at}


@pytest.mark.parametrize(
    ("resolved_at", "expected_progress", "expected_final"),
    [
        # Notification filed Thu 5 March 10:00 (CET); one calendar month later: Sun 5 April 10:00 (CEST).
        pytest.param(
            None,
            (offset_time(2026, 4, 5, 10, 0, SUMMER), False),
            (None, False),
            id="10-still-handled-progress-report-at-one-month-final-unknown",
        ),
        pytest.param(
            paris(2026, 5, 20, 17),
            (offset_time(2026, 4, 5, 10, 0, SUMMER), False),
            (offset_time(2026, 6, 20, 17, 0, SUMMER), False),
            id="10-handling-ended-20-may-final-one-month-later",
        ),
        pytest.param(
            paris(2026, 3, 20, 12),
            None,
            (offset_time(2026, 4, 5, 10, 0, SUMMER), False),
            id="resolved-before-the-month-no-progress-report",
        ),
        pytest.param(
            paris(2026, 4, 5, 10),
            None,
            (offset_time(2026, 4, 5, 10, 0, SUMMER), False),
            id="resolved-at-the-very-minute-final-report-then",
        ),
        pytest.param(
            paris(2026, 4, 5, 10, 1),
            (offset_time(2026, 4, 5, 10, 0, SUMMER), False),
            (offset_time(2026, 5, 5, 10, 1, SUMMER), False),
            id="resolved-a-minute-late-progress-then-final-a-month-after",
        ),
    ],
)
def test_ongoing_incident_owes_a_progress_report_and_a_later_final(
    resolved_at, expected_progress, expected_final
) -> None:
    plan = planned(paris(2026, 3, 2, 10), {"notification": paris(2026, 3, 5, 10)}, resolved_at=resolved_at)

    assert plan.get("progress") == expected_progress
    assert plan["final"] == expected_final
    assert plan["notification"] == (offset_time(2026, 3, 5, 10, 0, WINTER), False)


def test_final_report_window_after_handling_starts_at_the_end_of_handling() -> None:
    clock = IncidentClock(
        aware_at=paris(2026, 3, 2, 10), resolved_at=paris(2026, 5, 20, 17), significant=True, personal_data_breach=False
    )

    plan = deadlines.plan_obligations(clock, SHIPPED_RULES, {"notification": paris(2026, 3, 5, 10)})

    by_step = {obligation.step: obligation for obligation in plan}
    assert by_step["progress"].window_start == datetime.datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    assert by_step["final"].window_start == datetime.datetime(2026, 5, 20, 15, 0, tzinfo=UTC)


def test_intermediate_report_is_never_planned() -> None:
    """Case 11: it exists only when the CSIRT asks, with the deadline the request gives."""
    plan = planned(paris(2026, 3, 2, 10), {"notification": paris(2026, 3, 3, 10)}, rules=[INTERMEDIATE])

    assert plan == {}
    assert "intermediate" not in planned(paris(2026, 3, 2, 10))


@pytest.mark.parametrize(
    ("significant", "personal_data_breach", "expected"),
    [
        pytest.param(
            False,
            True,
            {"gdpr_breach": (offset_time(2026, 3, 5, 10, 0, WINTER), False)},
            id="personal-data-only-cnil-clock",
        ),
        pytest.param(
            True,
            True,
            {
                "early_warning": (offset_time(2026, 3, 3, 10, 0, WINTER), False),
                "notification": (offset_time(2026, 3, 5, 10, 0, WINTER), False),
                "final": (offset_time(2026, 4, 5, 10, 0, SUMMER), True),
                "gdpr_breach": (offset_time(2026, 3, 5, 10, 0, WINTER), False),
            },
            id="significant-with-personal-data-both-regimes",
        ),
        pytest.param(False, False, {}, id="not-significant-nothing-owed"),
    ],
)
def test_which_regimes_apply(significant, personal_data_breach, expected) -> None:
    plan = planned(paris(2026, 3, 2, 10), significant=significant, personal_data_breach=personal_data_breach)

    assert plan == expected


def test_gdpr_obligation_goes_to_the_cnil() -> None:
    clock = IncidentClock(
        aware_at=paris(2026, 3, 2, 10), resolved_at=None, significant=False, personal_data_breach=True
    )

    [gdpr] = deadlines.plan_obligations(clock, SHIPPED_RULES, {})

    assert (gdpr.step, gdpr.rule_code, gdpr.authority) == ("gdpr_breach", "gdpr-breach", "cnil")
    assert gdpr.window_start == datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_no_awareness_no_clock() -> None:
    assert planned(None, significant=True, personal_data_breach=True) == {}


# --- Status of an obligation --------------------------------------------------------------------

WINDOW_START = paris(2026, 3, 2, 10)
DUE_AT = paris(2026, 3, 3, 10)  # 24 h later


@pytest.mark.parametrize(
    ("now", "submitted_at", "not_required", "due_at", "expected"),
    [
        pytest.param(paris(2026, 3, 2, 10), None, False, DUE_AT, Status.PENDING, id="pending-at-the-start"),
        pytest.param(paris(2026, 3, 3, 5), None, False, DUE_AT, Status.PENDING, id="pending-at-79-percent"),
        pytest.param(paris(2026, 3, 3, 5, 12), None, False, DUE_AT, Status.DUE_SOON, id="due-soon-at-80-percent"),
        pytest.param(paris(2026, 3, 3, 10), None, False, DUE_AT, Status.DUE_SOON, id="due-soon-at-the-due-time"),
        pytest.param(
            DUE_AT + datetime.timedelta(seconds=1), None, False, DUE_AT, Status.OVERDUE, id="overdue-one-second-after"
        ),
        pytest.param(paris(2026, 3, 4), paris(2026, 3, 2, 18), False, DUE_AT, Status.SUBMITTED, id="submitted-on-time"),
        pytest.param(paris(2026, 3, 4), DUE_AT, False, DUE_AT, Status.SUBMITTED, id="submitted-at-the-due-time"),
        pytest.param(
            paris(2026, 3, 3, 11), paris(2026, 3, 3, 10, 1), False, DUE_AT, Status.SUBMITTED_LATE, id="submitted-late"
        ),
        pytest.param(
            paris(2027, 1, 1),
            paris(2026, 3, 3, 10, 1),
            False,
            DUE_AT,
            Status.SUBMITTED_LATE,
            id="submitted-late-stays-late-months-later",
        ),
        pytest.param(
            paris(2026, 3, 2, 11),
            paris(2026, 3, 3, 10, 1),
            False,
            DUE_AT,
            Status.SUBMITTED_LATE,
            id="submitted-late-whatever-now",
        ),
        pytest.param(paris(2026, 3, 5), None, True, DUE_AT, Status.NOT_REQUIRED, id="not-required-even-past-due"),
        pytest.param(
            paris(2026, 3, 5), paris(2026, 3, 4), True, DUE_AT, Status.NOT_REQUIRED, id="not-required-wins-over-filing"
        ),
        pytest.param(paris(2026, 9, 1), None, False, None, Status.PENDING, id="final-awaiting-end-of-handling"),
        pytest.param(
            paris(2026, 9, 1), paris(2026, 8, 1), False, None, Status.SUBMITTED, id="filed-before-a-due-date-exists"
        ),
    ],
)
def test_obligation_status(now, submitted_at, not_required, due_at, expected) -> None:
    status = deadlines.obligation_status(
        window_start=WINDOW_START, due_at=due_at, submitted_at=submitted_at, not_required=not_required, now=now
    )

    assert status is expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        pytest.param(paris(2026, 3, 2, 10), [], id="0-percent"),
        pytest.param(paris(2026, 3, 2, 21, 45) + datetime.timedelta(seconds=36), [], id="49-percent"),
        pytest.param(paris(2026, 3, 2, 22), [50], id="50-percent"),
        pytest.param(paris(2026, 3, 3, 5, 12), [50, 80], id="80-percent"),
        pytest.param(paris(2026, 3, 3, 10), [50, 80], id="100-percent-not-yet-overdue"),
        pytest.param(paris(2026, 3, 3, 10, 1), [50, 80, 100], id="after-the-due-time"),
    ],
)
def test_reminder_thresholds_crossed(now, expected) -> None:
    assert deadlines.thresholds_crossed(WINDOW_START, DUE_AT, now) == expected


def test_elapsed_share_counts_real_hours_across_a_clock_change() -> None:
    """2026-03-05 10:00 → 2026-04-05 10:00 in Paris is 743 h, not 744 h: half is 371 h 30 min."""
    start, due = paris(2026, 3, 5, 10), paris(2026, 4, 5, 10)

    assert deadlines.elapsed_share(start, due, start + datetime.timedelta(hours=371, minutes=30)) == 0.5


# --- The clock: wall times, elapsed hours, calendar months -------------------------------------


@pytest.mark.parametrize(
    ("wall", "error"),
    [
        pytest.param(wall(2026, 3, 29, 2, 30), NonexistentLocalTime, id="spring-gap-0230"),
        pytest.param(wall(2026, 3, 29, 2, 0), NonexistentLocalTime, id="spring-gap-0200"),
        pytest.param(wall(2026, 10, 25, 2, 30), AmbiguousLocalTime, id="fall-back-0230"),
        pytest.param(wall(2026, 10, 25, 2, 0), AmbiguousLocalTime, id="fall-back-0200"),
    ],
)
def test_localize_strict_refuses_times_that_do_not_exist_or_happen_twice(wall, error) -> None:
    with pytest.raises(error, match=wall.isoformat(sep=" ")):
        localize_strict(wall)


@pytest.mark.parametrize(
    ("wall", "expected"),
    [
        pytest.param(
            datetime.datetime(2026, 3, 29, 2, 30, tzinfo=WINTER),
            offset_time(2026, 3, 29, 2, 30, WINTER),
            id="explicit-offset-in-the-gap-kept",
        ),
        pytest.param(
            datetime.datetime(2026, 10, 25, 2, 30, tzinfo=SUMMER),
            offset_time(2026, 10, 25, 2, 30, SUMMER),
            id="explicit-offset-in-the-overlap-kept",
        ),
        pytest.param(wall(2026, 3, 29, 1, 59), offset_time(2026, 3, 29, 1, 59, WINTER), id="before-gap"),
        pytest.param(wall(2026, 3, 29, 3, 0), offset_time(2026, 3, 29, 3, 0, SUMMER), id="after-gap"),
        pytest.param(wall(2026, 10, 25, 1, 59), offset_time(2026, 10, 25, 1, 59, SUMMER), id="before-overlap"),
        pytest.param(wall(2026, 10, 25, 3, 0), offset_time(2026, 10, 25, 3, 0, WINTER), id="after-overlap"),
    ],
)
def test_localize_strict_accepts_real_times_and_explicit_offsets(wall, expected) -> None:
    assert localize_strict(wall).isoformat() == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param(paris(2026, 1, 31, 16), 1, offset_time(2026, 2, 28, 16, 0, WINTER), id="31-jan-to-28-feb"),
        pytest.param(paris(2028, 1, 31, 16), 1, offset_time(2028, 2, 29, 16, 0, WINTER), id="leap-year-29-feb"),
        pytest.param(paris(2026, 3, 31, 16), 1, offset_time(2026, 4, 30, 16, 0, SUMMER), id="31-mar-to-30-apr"),
        pytest.param(paris(2026, 3, 5, 10), 1, offset_time(2026, 4, 5, 10, 0, SUMMER), id="same-wall-time-across-dst"),
        pytest.param(paris(2026, 12, 31, 9), 1, offset_time(2027, 1, 31, 9, 0, WINTER), id="over-the-new-year"),
        pytest.param(paris(2026, 1, 31, 16), 13, offset_time(2027, 2, 28, 16, 0, WINTER), id="thirteen-months"),
        pytest.param(
            # The target wall time happens twice: the earlier instant, the conservative deadline.
            datetime.datetime(2026, 9, 25, 2, 30, tzinfo=SUMMER),
            1,
            offset_time(2026, 10, 25, 2, 30, SUMMER),
            id="target-in-the-fall-back-overlap-takes-the-first",
        ),
    ],
)
def test_add_calendar_months(start, months, expected) -> None:
    assert shown(add_calendar_months(start, months)) == expected


def test_elapsed_hours_are_real_hours_across_a_clock_change() -> None:
    """Case 7's warning: 2026-03-05 10:00 → 2026-04-05 10:00 in Paris is 743 h, not 744 h."""
    start, end = paris(2026, 3, 5, 10), paris(2026, 4, 5, 10)

    assert add_elapsed_hours(start, 743) == end
    assert to_utc(end) - to_utc(start) == datetime.timedelta(hours=743)
    assert end - start == datetime.timedelta(hours=744)  # Python's wall-clock subtraction: why to_utc exists


def test_naive_datetimes_are_refused_by_the_clock() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        add_elapsed_hours(datetime.datetime(2026, 3, 5, 10), 24)  # noqa: DTZ001 - the point of the test
