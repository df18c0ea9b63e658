"""The component file format (CSV or XLSX, one row per component), shared by import and export.
Reading returns plain rows; every problem is reported with its row and column."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import openpyxl

COLUMNS = (
    "name",
    "domain",
    "product",
    "vendor",
    "vendor_country",
    "deployment",
    "operator",
    "hosting_provider",
    "hosting_country",
    "data_country",
    "criticality",
    "legal_obligation",
    "data_sensitivity",
    "users",
    "annual_cost_eur",
    "contract_end",
    "full_export_open_formats",
    "open_standards_apis",
    "alternative_exists",
    "dependent_components",
    "reversibility",
    "strategy",
    "notes",
)
REQUIRED = ("name", "domain", "product", "vendor", "deployment", "criticality")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
TRUE_WORDS = {"yes", "oui", "true", "vrai", "1", "y", "o"}
FALSE_WORDS = {"no", "non", "false", "faux", "0", "n", ""}


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
    """Rows as {column: text}, in file order; unknown columns rejected, missing required ones too."""
    if len(content) > MAX_BYTES:
        raise FileRejected([RowError(0, None, f"the file exceeds {MAX_BYTES // 1024 // 1024} MB")])
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        header, rows = _read_xlsx(content)
    elif extension == "csv":
        header, rows = _read_csv(content)
    else:
        raise FileRejected([RowError(0, None, "expected a .csv or .xlsx file")])
    problems = [RowError(1, column, "unknown column") for column in header if column not in COLUMNS]
    problems += [RowError(1, column, "required column missing") for column in REQUIRED if column not in header]
    if problems:
        raise FileRejected(problems)
    if len(rows) > MAX_ROWS:
        raise FileRejected([RowError(0, None, f"at most {MAX_ROWS} rows per file")])
    return [{column: unquote_formula(cell) for column, cell in zip(header, row, strict=False)} for row in rows]


def _clean_header(cells: Iterable[object]) -> list[str]:
    return [str(cell or "").strip().lower() for cell in cells]


def _read_csv(content: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected([RowError(0, None, "the CSV file is not UTF-8 encoded")]) from None
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not lines:
        raise FileRejected([RowError(1, None, "the file is empty")])
    return _clean_header(lines[0]), [
        [cell.strip() for cell in line] for line in lines[1:] if any(cell.strip() for cell in line)
    ]


def _read_xlsx(content: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a corrupt file
        raise FileRejected([RowError(0, None, "not a readable XLSX file")]) from None
    sheet = workbook.worksheets[0]
    lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    if not lines:
        raise FileRejected([RowError(1, None, "the file is empty")])
    return _clean_header(lines[0]), [
        [_cell_text(cell) for cell in line] for line in lines[1:] if any(cell not in (None, "") for cell in line)
    ]


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


def parse_bool(text: str) -> bool | None:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def parse_int(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


def parse_decimal(text: str) -> Decimal | None:
    cleaned = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "").replace(",", ".")
    try:
        return Decimal(cleaned) if cleaned else Decimal(0)
    except InvalidOperation:
        return None


def parse_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        return None


def write_csv(rows: Iterable[dict[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: _export_text(row.get(column)) for column in COLUMNS})
    return buffer.getvalue().encode("utf-8")


def write_xlsx(rows: Iterable[dict[str, object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "components"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([_export_text(row.get(column)) for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _export_text(value: object) -> str:
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
