"""What every page of a report's PDF uses: the width between the margins, the table style, and the formats of
numbers, amounts, dates and periods in the report's language."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle

from nis2.pdf import CONTENT_WIDTH, RULE, text
from reports import verdicts
from reports.snapshot_types import LocalisedText, Meta

WIDTH = CONTENT_WIDTH
TABLE_STYLE = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEF0F6")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
)


def number(value: float | None, places: int = 1) -> str:
    """A figure of the annexes: one decimal unless told otherwise, "—" when unknown."""
    return verdicts.number(value, places)


def percent(value: float | None, *, unknown: str = "—") -> str:
    """A share, rounded to the unit: "66 %"; ``unknown`` when there is none."""
    return f"{number(value, 0)} %" if value is not None else unknown


def euros(value: float | None) -> str:
    return "—" if value is None else f"{number(value, 0)} €"


def day(value: str | None) -> str:
    return formats.date_format(datetime.date.fromisoformat(value[:10]), "SHORT_DATE_FORMAT") if value else "—"


def period_label(meta: Meta) -> str:
    if meta.get("kind") == "annual":
        return _("Year %(year)s") % {"year": meta["year"]}
    return _("Q%(number)s %(year)s") % {"number": meta["quarter_number"], "year": meta["year"]}


def table(rows: list[list[Any]], widths: list[float] | None = None) -> Table:
    """A table with a header row repeated on every page; strings become small paragraphs (escaped)."""
    cells = [[cell if not isinstance(cell, str) else text(cell, "small") for cell in row] for row in rows]
    result = Table(cells, colWidths=widths, repeatRows=1)
    result.setStyle(TABLE_STYLE)
    return result


def columns(*shares: float) -> list[float]:
    """Column widths as shares of the page's width."""
    return [WIDTH * share for share in shares]


def localised(value: LocalisedText, language: str) -> str:
    """The text in the report's language (French or English)."""
    return value["en"] if language == "en" else value["fr"]
