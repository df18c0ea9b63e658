"""Which moments are accepted: events between 1 January 2000 (Paris) and one day from now, deadlines up to
ten years ahead; and how a stored moment Paris time cannot represent is shown."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from nis2.clock import PARIS, UTC, paris_time_for_display
from nis2.event_time import EventTimeValidator, validate_deadline_time, validate_event_time

NOW = datetime.datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
ONE_DAY = datetime.timedelta(days=1)
ONE_SECOND = datetime.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("value", "refusal"),
    [
        pytest.param(datetime.datetime(1999, 12, 31, 23, 59, tzinfo=PARIS), "before_2000", id="1999-12-31-23:59-paris"),
        pytest.param(datetime.datetime(2000, 1, 1, 0, 0, tzinfo=PARIS), None, id="2000-01-01-00:00-paris"),
        pytest.param(
            datetime.datetime(1999, 12, 31, 23, 30, tzinfo=UTC), None, id="2000-01-01-00:30-paris-given-in-utc"
        ),
        pytest.param(
            datetime.datetime(1999, 12, 31, 22, 59, tzinfo=UTC), "before_2000", id="1999-12-31-23:59-paris-in-utc"
        ),
        pytest.param(NOW, None, id="now"),
        pytest.param(NOW - datetime.timedelta(days=400), None, id="last-year"),
        pytest.param(NOW + ONE_DAY, None, id="now-plus-one-day-exactly"),
        pytest.param(NOW + ONE_DAY + ONE_SECOND, "in_the_future", id="now-plus-one-day-and-one-second"),
        pytest.param(datetime.datetime(2040, 1, 1, tzinfo=PARIS), "in_the_future", id="2040"),
        pytest.param(datetime.datetime(1, 1, 1, tzinfo=PARIS), "before_2000", id="year-1-paris"),
        pytest.param(datetime.datetime(1, 1, 1, tzinfo=UTC), "before_2000", id="year-1-utc"),
        pytest.param(datetime.datetime(1900, 6, 1, 12, 0, tzinfo=PARIS), "before_2000", id="1900-paris-lmt"),
        pytest.param(datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=PARIS), "in_the_future", id="year-9999"),
        pytest.param(
            datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.timezone(datetime.timedelta(hours=-5))),
            "in_the_future",
            id="year-9999-west-of-utc",
        ),
    ],
)
def test_an_event_lies_between_2000_and_one_day_from_now(value, refusal) -> None:
    if refusal is None:
        validate_event_time(value, now=NOW)
        return
    with pytest.raises(ValidationError) as raised:
        validate_event_time(value, now=NOW)
    assert raised.value.code == refusal


@pytest.mark.parametrize(
    ("value", "refusal"),
    [
        pytest.param(datetime.datetime(1999, 12, 31, 23, 59, tzinfo=PARIS), "before_2000", id="1999-12-31-23:59-paris"),
        pytest.param(datetime.datetime(2000, 1, 1, 0, 0, tzinfo=PARIS), None, id="2000-01-01-00:00-paris"),
        pytest.param(NOW + datetime.timedelta(days=30), None, id="in-a-month"),
        pytest.param(NOW + datetime.timedelta(days=3653), None, id="ten-years-ahead-exactly"),
        pytest.param(NOW + datetime.timedelta(days=3653, seconds=1), "beyond_horizon", id="beyond-ten-years"),
        pytest.param(datetime.datetime(1, 1, 1, tzinfo=UTC), "before_2000", id="year-1"),
        pytest.param(datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=PARIS), "beyond_horizon", id="year-9999"),
    ],
)
def test_a_deadline_may_lie_ahead_but_not_before_2000(value, refusal) -> None:
    if refusal is None:
        validate_deadline_time(value, now=NOW)
        return
    with pytest.raises(ValidationError) as raised:
        validate_deadline_time(value, now=NOW)
    assert raised.value.code == refusal


def test_a_naive_value_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="naive"):
        validate_event_time(datetime.datetime(2026, 1, 1), now=NOW)  # noqa: DTZ001 - the case under test


def test_the_model_validator_reads_the_clock_and_is_serialisable_for_migrations() -> None:
    validator = EventTimeValidator()

    validator(datetime.datetime.now(tz=UTC))
    with pytest.raises(ValidationError):
        validator(datetime.datetime.now(tz=UTC) + ONE_DAY + datetime.timedelta(minutes=1))
    assert validator.deconstruct() == ("nis2.event_time.EventTimeValidator", (), {})
    assert validator == EventTimeValidator()


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        pytest.param(
            datetime.datetime(2026, 7, 1, 8, 0, tzinfo=UTC),
            datetime.datetime(2026, 7, 1, 10, 0, tzinfo=PARIS),
            id="summer-on-the-paris-clock",
        ),
        pytest.param(
            datetime.datetime(9999, 12, 31, 23, 30, tzinfo=UTC),
            datetime.datetime(9999, 12, 31, 23, 30, tzinfo=UTC),
            id="year-10000-in-paris-stays-in-utc",
        ),
        pytest.param(
            datetime.datetime(1, 1, 1, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=5))),
            datetime.datetime(1, 1, 1, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=5))),
            id="year-0-in-utc-stays-as-given",
        ),
    ],
)
def test_a_moment_is_displayed_in_paris_or_utc_when_paris_cannot_represent_it(moment, shown) -> None:
    displayed = paris_time_for_display(moment)

    assert (displayed, displayed.utcoffset()) == (shown, shown.utcoffset())
