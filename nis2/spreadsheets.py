"""CSV and XLSX writing shared by every export: cells a spreadsheet would run as a formula are defused."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

import openpyxl
from django.http import HttpResponse

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def cell_text(value: object) -> str:
    """Cell text; text that a spreadsheet would run as a formula is prefixed with a quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def unquote_formula(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_STARTS else text


def write_csv(columns: Sequence[str], rows: Iterable[dict[str, object]]) -> bytes:
    """UTF-8 CSV; ``columns`` is the header row and the keys read from each row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: cell_text(row.get(column)) for column in columns})
    return buffer.getvalue().encode("utf-8")


def write_xlsx(columns: Sequence[str], rows: Iterable[dict[str, object]], *, sheet_title: str) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(list(columns))
    for row in rows:
        sheet.append([cell_text(row.get(column)) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def attachment(content: bytes, *, file_format: str, name: str) -> HttpResponse:
    """A written export as a download named ``<name>.<file_format>``; anything but XLSX is sent as CSV."""
    response = HttpResponse(content, content_type=CONTENT_TYPES.get(file_format, CONTENT_TYPES["csv"]))
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response
