"""The component file format (CSV or XLSX, one row per component), shared by import and export.
Reading returns plain rows; every problem is reported with its row and column."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import openpyxl
from django.utils.translation import gettext as _

from dependencies import columns
from nis2 import spreadsheets
from nis2.spreadsheets import unquote_formula

# The columns, their order and the required ones, declared with their readers in dependencies/columns.py.
COLUMNS = columns.NAMES
REQUIRED = columns.REQUIRED
# Limits on an uploaded file, so that any member allowed to import cannot exhaust the web worker
# (a forged XLSX dimension or a row bomb used to take gigabytes and tens of seconds). They are
# checked while streaming: the sheet is never materialised, reading stops at the first row past
# a limit. A local authority's information system is a few hundred components: these are wide.
MAX_BYTES = 2 * 1024 * 1024  # the upload as sent
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # the XLSX parts once unzipped (a zip bomb is small when sent)
MAX_ROWS = 5_000  # components per file, header excluded
MAX_COLUMNS = 60  # the header has 23 columns; room for a few of the user's own, which are rejected by name
READ_BUDGET_SECONDS = 10  # wall-clock time allowed to read the file, checked at every row
# XLSX cell elements in the whole archive, counted before parsing: openpyxl parses a row's cells
# all at once, so one row of millions of empty cells would otherwise be held in memory.
MAX_CELLS = (MAX_ROWS + 1) * MAX_COLUMNS


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number: the header is row 1
    column: str | None
    message: str


class FileRejected(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} error(s)")


def read(content: bytes, filename: str) -> list[dict[str, str]]:
    """Rows as {column: text}, in file order; unknown columns rejected, missing required ones too.
    The limits above are enforced while reading: a file past one is rejected naming it."""
    if len(content) > MAX_BYTES:
        raise _rejected(_("the file exceeds %(megabytes)s MB") % {"megabytes": MAX_BYTES // 1024 // 1024})
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        lines = _read_xlsx(content)
    elif extension == "csv":
        lines = _read_csv(content)
    else:
        raise _rejected(_("expected a .csv or .xlsx file"))
    header, rows = _within_limits(lines, deadline=time.monotonic() + READ_BUDGET_SECONDS)
    problems = [RowError(1, column, _("unknown column")) for column in header if column not in COLUMNS]
    problems += [RowError(1, column, _("required column missing")) for column in REQUIRED if column not in header]
    if problems:
        raise FileRejected(problems)
    return [{column: unquote_formula(cell) for column, cell in zip(header, row, strict=False)} for row in rows]


def _rejected(message: str) -> FileRejected:
    return FileRejected([RowError(0, None, message)])


def _too_many_rows() -> FileRejected:
    return _rejected(_("at most %(limit)s rows per file") % {"limit": MAX_ROWS})


def _too_many_columns() -> FileRejected:
    return _rejected(_("at most %(limit)s columns per file") % {"limit": MAX_COLUMNS})


def _within_limits(lines: Iterator[list[str]], *, deadline: float) -> tuple[list[str], list[list[str]]]:
    """The header and the non-blank rows, reading no further than the first row past a limit."""
    header_cells = next(lines, None)
    if header_cells is None:
        raise FileRejected([RowError(1, None, _("the file is empty"))])
    while header_cells and not header_cells[-1]:
        header_cells.pop()
    if len(header_cells) > MAX_COLUMNS:
        raise _too_many_columns()
    header = [cell.strip().lower() for cell in header_cells]
    rows: list[list[str]] = []
    for number, line in enumerate(lines, start=2):
        if time.monotonic() >= deadline:
            raise _rejected(_("the file took more than %(seconds)s seconds to read") % {"seconds": READ_BUDGET_SECONDS})
        if not any(line):
            continue
        if len(rows) == MAX_ROWS:
            raise _too_many_rows()
        for column, cell in zip(header, line, strict=False):
            if "\x00" in cell:
                raise FileRejected([RowError(number, column, _("the cell contains a NUL character"))])
        rows.append(line)
    return header, rows


def _read_csv(content: bytes) -> Iterator[list[str]]:
    text = decode_csv(content)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    while True:
        try:
            line = next(reader)
        except StopIteration:
            return
        except csv.Error:  # a cell past the csv module's field size, a quote never closed...
            raise FileRejected([RowError(reader.line_num, None, _("not a readable CSV file"))]) from None
        yield [cell.strip() for cell in line]


def decode_csv(content: bytes) -> str:
    """The text of a CSV in UTF-8 (with or without a BOM) or, failing that, in Windows-1252: what Excel
    in French saves as "CSV UTF-8" and as "CSV (separator: semicolon)" respectively.

    A Rempart rule, not a standard: a file is in one encoding, so Windows-1252 is tried only when the
    first byte that is not UTF-8 is also the file's first non-ASCII byte. A file with a BOM, or with valid
    UTF-8 accented letters before a stray byte, is a UTF-8 file with an error: it is rejected naming the
    row, rather than read whole as Windows-1252 and imported with garbled letters. The whole upload
    (at most MAX_BYTES) is decoded at once; rows are still parsed one at a time, within the limits."""
    has_bom = content.startswith(codecs.BOM_UTF8)
    body = content[len(codecs.BOM_UTF8) :] if has_bom else content
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        if has_bom or not body[: error.start].isascii():
            raise _undecodable(
                body, error.start, _("the byte %(byte)s is not valid UTF-8: save the file as CSV UTF-8")
            ) from None
    try:
        return body.decode("cp1252")
    except UnicodeDecodeError as error:
        raise _undecodable(
            body,
            error.start,
            _("the byte %(byte)s is neither UTF-8 nor Windows-1252: save the file as CSV UTF-8"),
        ) from None


def _undecodable(body: bytes, position: int, message: str) -> FileRejected:
    """The error on the line holding the byte at ``position`` (the header is row 1)."""
    row = body[:position].count(b"\n") + 1
    return FileRejected([RowError(row, None, message % {"byte": f"{body[position]:#04x}"})])


def _read_xlsx(content: bytes) -> Iterator[list[str]]:
    """The first sheet, row by row. The declared size is checked before reading; then at most one
    row and one column past the limits are read whatever the sheet declares, so that neither a
    forged dimension nor a missing one can make openpyxl produce millions of cells."""
    try:
        _check_archive(content)
        # openpyxl parses the XML with defusedxml when it is installed (no entity expansion).
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except FileRejected:
        raise
    except Exception:  # openpyxl and zipfile raise many kinds of errors on a corrupt file
        raise _rejected(_("not a readable XLSX file")) from None
    try:
        # A header row plus MAX_ROWS rows.
        if sheet.max_row is not None and sheet.max_row > MAX_ROWS + 1:
            raise _too_many_rows()
        if sheet.max_column is not None and sheet.max_column > MAX_COLUMNS:
            raise _too_many_columns()
        cells = sheet.iter_rows(min_row=1, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS + 1, values_only=True)
        number = 1
        while True:
            try:
                line = next(cells, None)
            except Exception:  # a cell openpyxl cannot convert (a date out of range...)
                raise FileRejected([RowError(number, None, _("not a readable XLSX file"))]) from None
            if line is None:
                return
            if number > MAX_ROWS + 1:  # openpyxl gives this row only if the sheet goes further
                raise _too_many_rows()
            yield [_cell_text(cell) for cell in line]
            number += 1
    finally:
        workbook.close()


def _check_archive(content: bytes) -> None:
    """The declared unzipped size (zipfile never inflates a part past it), then the number of cell
    elements, counted on the raw XML in chunks without parsing it."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = archive.infolist()
        if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
            raise _rejected(
                _("the unzipped file exceeds %(megabytes)s MB") % {"megabytes": MAX_UNCOMPRESSED_BYTES // 1024 // 1024}
            )
        cells = 0
        for member in members:
            with archive.open(member) as part:
                while chunk := part.read(1024 * 1024):
                    # "<c" also counts a few other elements (<col>, <color>): an overestimate is safe.
                    cells += chunk.count(b"<c") + chunk.count(b":c ") + chunk.count(b":c>") + chunk.count(b":c/")
            if cells > MAX_CELLS:
                raise _rejected(_("at most %(limit)s cells per file") % {"limit": MAX_CELLS})


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def write_csv(rows: Iterable[dict[str, object]]) -> bytes:
    return spreadsheets.write_csv(COLUMNS, rows)


def write_xlsx(rows: Iterable[dict[str, object]]) -> bytes:
    return spreadsheets.write_xlsx(COLUMNS, rows, sheet_title="components")
