"""Time-zone handling, written once: datetimes are stored as aware UTC, shown in Europe/Paris, and
wall-clock times typed by people are interpreted in Europe/Paris with daylight-saving gaps and
overlaps refused rather than guessed."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC


class NonexistentLocalTime(ValueError):
    """The wall-clock time falls in a spring-forward gap (e.g. 2026-03-29 02:30 in Paris)."""


class AmbiguousLocalTime(ValueError):
    """The wall-clock time occurs twice on a fall-back night (e.g. 2026-10-25 02:30 in Paris)."""


def localize_strict(naive: datetime.datetime, zone: ZoneInfo = PARIS) -> datetime.datetime:
    """Attach ``zone`` to a naive wall-clock time, refusing times that do not exist or are ambiguous."""
    if naive.tzinfo is not None:
        return naive
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        # In a gap, both folds round-trip to another wall time; in an overlap, both are real.
        if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
            raise NonexistentLocalTime(naive.isoformat(sep=" "))
        raise AmbiguousLocalTime(naive.isoformat(sep=" "))
    return first


def to_utc(moment: datetime.datetime) -> datetime.datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: interpret it with localize_strict() first")
    return moment.astimezone(UTC)


def add_elapsed_hours(moment: datetime.datetime, hours: int) -> datetime.datetime:
    """``hours`` of elapsed time: computed in UTC, so a daylight-saving change does not shift it."""
    return to_utc(moment) + datetime.timedelta(hours=hours)


def add_calendar_months(moment: datetime.datetime, months: int, zone: ZoneInfo = PARIS) -> datetime.datetime:
    """Same wall-clock time ``months`` later in ``zone``, the day clamped to the month's end
    (31 January → 28 or 29 February), following Regulation (EEC, Euratom) No 1182/71, Art. 3(2)(c)."""
    local = to_utc(moment).astimezone(zone)
    month_index = local.month - 1 + months
    year, month = local.year + month_index // 12, month_index % 12 + 1
    day = min(local.day, _days_in_month(year, month))
    wall = local.replace(tzinfo=None, year=year, month=month, day=day)
    target = wall.replace(tzinfo=zone, fold=0)
    # A wall time that falls in the spring-forward gap is read with the winter offset, i.e. one hour
    # later on the summer clock (02:30 becomes 03:30): never earlier than the month elapsed.
    return target.astimezone(UTC)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, clamped to the month's end (31 January + 1 → 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, _days_in_month(year, month)))


def _days_in_month(year: int, month: int) -> int:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return (following - datetime.timedelta(days=1)).day


def paris_time_for_display(moment: datetime.datetime) -> datetime.datetime:
    """``moment`` on the Paris clock, or in UTC, or as given, when Paris time would fall outside the years
    1 to 9999 (only an absurd stored date, such as 9999-12-31 23:30 UTC): a page showing it must not fail."""
    for zone in (PARIS, UTC):
        try:
            return moment.astimezone(zone)
        except OverflowError:
            continue
    return moment
