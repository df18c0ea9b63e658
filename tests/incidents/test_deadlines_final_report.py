"""When the final and progress reports fall due, after the notification or the end of handling (docs nis2.md §7)."""

import datetime

import pytest

from incidents import deadlines
from incidents.deadlines import IncidentClock, Status
from nis2.clock import UTC, add_elapsed_hours
from tests.incidents.deadline_rules import INTERMEDIATE, SHIPPED_RULES, SUMMER, WINTER, offset_time, paris, planned


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
