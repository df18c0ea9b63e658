"""The status of an obligation against its window, and the reminder thresholds it crosses."""

import datetime

import pytest

from incidents import deadlines
from incidents.deadlines import Status
from tests.incidents.deadline_rules import paris

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
