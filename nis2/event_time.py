"""Which moments Rempart accepts, written once: a typo in a year (0001, 9999, 2040) must be refused where
it is typed, never stored, because a stored absurd date breaks every page and report that converts it.

An event (a detection, a filing, a timeline entry...) happened: it lies between 1 January 2000 in
Europe/Paris and now, with one day of slack for a clock that runs ahead. A deadline may lie ahead, but
not beyond a horizon no authority would set; so may the bound of a search. The forms' and the API's
date-time fields, the API's search filters and the model fields of events all validate through here.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from nis2.clock import PARIS

EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=PARIS)
CLOCK_SKEW = datetime.timedelta(days=1)
DEADLINE_HORIZON = datetime.timedelta(days=3653)  # ten years

MESSAGES = {
    "before_2000": _("This date is before 1 January 2000: check the year."),
    "in_the_future": _("This date is in the future: an event cannot be dated more than one day from now."),
    "beyond_horizon": _("This date is more than ten years away: check the year."),
}


def validate_event_time(value: datetime.datetime, *, now: datetime.datetime) -> None:
    """Refuse a moment an event cannot have happened at: before 1 January 2000 (Europe/Paris) or more
    than one day after ``now``. Both bounds are accepted. ``value`` and ``now`` are aware."""
    _refuse_before_2000(value)
    if value > now + CLOCK_SKEW:
        raise ValidationError(MESSAGES["in_the_future"], code="in_the_future")


def validate_deadline_time(value: datetime.datetime, *, now: datetime.datetime) -> None:
    """A deadline (an intermediate report asked for by the authority), or the bound of a search, may lie
    ahead, but not before 1 January 2000 nor more than ten years after ``now``."""
    _refuse_before_2000(value)
    if value > now + DEADLINE_HORIZON:
        raise ValidationError(MESSAGES["beyond_horizon"], code="beyond_horizon")


def _refuse_before_2000(value: datetime.datetime) -> None:
    if value.tzinfo is None:
        raise ValueError("naive datetime: interpret it with localize_strict() first")
    if value < EARLIEST:
        raise ValidationError(MESSAGES["before_2000"], code="before_2000")


@deconstructible(path="nis2.event_time.EventTimeValidator")
class EventTimeValidator:
    """``validate_event_time`` against the clock read at validation time, for the model fields of events."""

    def __call__(self, value: datetime.datetime) -> None:
        validate_event_time(value, now=timezone.now())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EventTimeValidator)

    def __hash__(self) -> int:
        return hash(EventTimeValidator)
