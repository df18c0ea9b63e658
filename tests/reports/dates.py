"""The quarters the report tests date their data in, and Paris moments within them."""

import datetime

from nis2.clock import PARIS
from nis2.periods import Quarter

Q2 = Quarter(2026, 2)
Q3 = Quarter(2026, 3)


def paris(month: int, day: int, hour: int = 9, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=PARIS)
