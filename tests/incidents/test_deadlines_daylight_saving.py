"""The Paris wall clock: strict localisation, calendar months and elapsed hours across clock changes."""

import datetime

import pytest

from nis2.clock import (
    AmbiguousLocalTime,
    NonexistentLocalTime,
    add_calendar_months,
    add_elapsed_hours,
    localize_strict,
    to_utc,
)
from tests.incidents.deadline_rules import SUMMER, WINTER, offset_time, paris, shown


def wall(*parts: int) -> datetime.datetime:
    """A naive wall-clock time, as a person types it."""
    return datetime.datetime(*parts)  # noqa: DTZ001 - zoned (or refused) by the code under test


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
