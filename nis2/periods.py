"""Calendar quarters, the period of assessments and reports ("2026-Q3", "T3 2026")."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

QUARTER_PATTERN = re.compile(
    r"^\s*(?:(\d{4})\s*[-_ ]?\s*[QT]([1-4])|[QT]([1-4])\s*[-_ ]?\s*(\d{4}))\s*$", re.IGNORECASE
)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        """Last day of the quarter."""
        return self.next().start - datetime.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label_fr(self) -> str:
        return f"T{self.number} {self.year}"

    def __str__(self) -> str:
        return self.code


def quarter_of(day: datetime.date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(text: str) -> Quarter | None:
    """Read "2026-Q3", "2026-T3", "T3 2026" or "Q3-2026"; None when the text names no quarter."""
    match = QUARTER_PATTERN.match(text or "")
    if not match:
        return None
    year, number = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
    return Quarter(int(year), int(number))


YEAR_PATTERN = re.compile(r"^\s*(\d{4})\s*$")


@dataclass(frozen=True, order=True)
class Year:
    """A calendar year, the period of the annual report to the council; shaped like ``Quarter``."""

    year: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    def next(self) -> Year:
        return Year(self.year + 1)

    def previous(self) -> Year:
        return Year(self.year - 1)

    @property
    def quarters(self) -> list[Quarter]:
        return [Quarter(self.year, number) for number in range(1, 5)]

    @property
    def code(self) -> str:
        return str(self.year)

    @property
    def label_fr(self) -> str:
        return str(self.year)

    def __str__(self) -> str:
        return self.code


Period = Quarter | Year


def parse_year(text: str) -> Year | None:
    match = YEAR_PATTERN.match(text or "")
    return Year(int(match.group(1))) if match else None
