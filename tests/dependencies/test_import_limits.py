"""Hostile component files: each is built here, rejected with a 400 naming the limit (or the row and
column), writes nothing, and is read no further than one row past the limit."""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from rest_framework.test import APIClient

from dependencies import tabular
from nis2.models import Organisation
from tests.dependencies.component_files import IMPORT_URL, PAYROLL, REJECTED, csv_bytes, snapshot, upload

pytestmark = pytest.mark.django_db

XLSX_SHEET = "xl/worksheets/sheet1.xml"


def xlsx_with_rows(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(content: bytes, rewrite: Any) -> bytes:
    """The same workbook with its first sheet's XML rewritten, as a forger would."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as forged:
        for member in source.infolist():
            data = source.read(member)
            forged.writestr(member.filename, rewrite(data) if member.filename == XLSX_SHEET else data)
    return target.getvalue()


def set_dimension(reference: str) -> Any:
    return lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{reference}"/>'.encode(), xml)


def row_bomb_xlsx(rows: int) -> bytes:
    """A header and `rows` one-cell rows written straight as XML (openpyxl would take too long)."""
    header = xlsx_with_rows([list(tabular.COLUMNS)])
    cells = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n) for n in range(2, rows + 2)
    )
    return rewrite_sheet(header, lambda xml: xml.replace(b"</row></sheetData>", b"</row>" + cells + b"</sheetData>"))


@pytest.fixture
def rows_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rows the reader took from the file: a spy around openpyxl's and csv's row iterators."""
    count = [0]

    def counted(rows: Iterator[Any]) -> Iterator[Any]:
        for row in rows:
            count[0] += 1
            yield row

    original_sheet_rows = ReadOnlyWorksheet._cells_by_row
    monkeypatch.setattr(
        ReadOnlyWorksheet, "_cells_by_row", lambda *args, **kwargs: counted(original_sheet_rows(*args, **kwargs))
    )
    original_reader = csv.reader
    monkeypatch.setattr(tabular.csv, "reader", lambda *args, **kwargs: counted(original_reader(*args, **kwargs)))
    return count


def errors_of(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 400, response.content
    assert response.json()["detail"] == REJECTED
    return response.json()["errors"]


def test_a_forged_dimension_is_rejected_before_any_row_is_read(
    api: APIClient, organisation: Organisation, rows_read: list[int]
) -> None:
    # Given a 5 KB workbook that declares every cell of a sheet (16,384 columns, 1,048,576 rows)
    content = rewrite_sheet(
        xlsx_with_rows([list(tabular.COLUMNS), list(PAYROLL.values())]), set_dimension("A1:XFD1048576")
    )
    assert len(content) < 10_000
    before = snapshot()

    response = upload(api, organisation, content, "components.xlsx")

    assert errors_of(response) == [
        {"row": 0, "field": None, "code": "invalid", "message": "at most 5000 rows per file"}
    ]
    assert rows_read[0] == 0
    assert snapshot() == before


def test_a_dimension_wider_than_the_column_limit_is_rejected(
    api: APIClient, organisation: Organisation, rows_read: list[int]
) -> None:
    content = rewrite_sheet(xlsx_with_rows([list(tabular.COLUMNS)]), set_dimension("A1:XFD2"))
    before = snapshot()

    response = upload(api, organisation, content, "components.xlsx")

    assert errors_of(response) == [
        {"row": 0, "field": None, "code": "invalid", "message": "at most 60 columns per file"}
    ]
    assert rows_read[0] == 0
    assert snapshot() == before


@pytest.mark.parametrize(
    "rewrite",
    [
        pytest.param(set_dimension("A1:W2"), id="dimension forged small"),
        pytest.param(lambda xml: re.sub(rb"<dimension[^>]*/>", b"", xml), id="no dimension"),
        pytest.param(lambda xml: xml, id="true dimension"),
    ],
)
def test_a_row_bomb_is_read_no_further_than_one_row_past_the_limit(
    api: APIClient, organisation: Organisation, rows_read: list[int], rewrite: Any
) -> None:
    # Given 100,000 tiny rows, whatever the sheet declares
    content = rewrite_sheet(row_bomb_xlsx(100_000), rewrite)
    before = snapshot()

    response = upload(api, organisation, content, "components.xlsx")

    assert errors_of(response) == [
        {"row": 0, "field": None, "code": "invalid", "message": "at most 5000 rows per file"}
    ]
    assert rows_read[0] <= tabular.MAX_ROWS + 2  # the header, the limit, one more
    assert snapshot() == before


def test_a_row_far_below_the_limit_is_not_silently_dropped(api: APIClient, organisation: Organisation) -> None:
    # Given one valid row, then a row at the bottom of the sheet, and a dimension that hides it
    content = rewrite_sheet(
        xlsx_with_rows([list(tabular.COLUMNS)]),
        lambda xml: set_dimension("A1:W1")(
            xml.replace(
                b"</row></sheetData>",
                b'</row><row r="900000"><c r="A900000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
            )
        ),
    )
    before = snapshot()

    response = upload(api, organisation, content, "components.xlsx")

    assert errors_of(response) == [
        {"row": 0, "field": None, "code": "invalid", "message": "at most 5000 rows per file"}
    ]
    assert snapshot() == before


def test_a_row_of_countless_cells_is_rejected_before_parsing(
    api: APIClient, organisation: Organisation, rows_read: list[int]
) -> None:
    cells = b"<c/>" * (tabular.MAX_CELLS + 1)
    content = rewrite_sheet(
        xlsx_with_rows([list(tabular.COLUMNS)]),
        lambda xml: set_dimension("A1:W2")(
            xml.replace(b"</row></sheetData>", b'</row><row r="2">' + cells + b"</row></sheetData>")
        ),
    )
    assert len(content) < 100_000
    before = snapshot()

    response = upload(api, organisation, content, "components.xlsx")

    assert errors_of(response) == [
        {"row": 0, "field": None, "code": "invalid", "message": f"at most {tabular.MAX_CELLS} cells per file"}
    ]
    assert rows_read[0] == 0
    assert snapshot() == before


def test_a_zip_bomb_is_rejected_by_its_unzipped_size(api: APIClient, organisation: Organisation) -> None:
    content = rewrite_sheet(
        xlsx_with_rows([list(tabular.COLUMNS)]),
        lambda xml: xml.replace(b"</worksheet>", b" " * (tabular.MAX_UNCOMPRESSED_BYTES + 1) + b"</worksheet>"),
    )
    before = snapshot()

    response = upload(api, organisation, content, "components.xlsx")

    assert errors_of(response) == [
        {"row": 0, "field": None, "code": "invalid", "message": "the unzipped file exceeds 50 MB"}
    ]
    assert snapshot() == before


def test_an_xml_entity_bomb_is_refused(api: APIClient, organisation: Organisation) -> None:
    # "Billion laughs": defusedxml refuses the entity declaration; without it the sheet would expand.
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    content = rewrite_sheet(
        xlsx_with_rows([list(tabular.COLUMNS)]),
        lambda xml: (
            bomb
            + xml.replace(
                b"</row></sheetData>",
                b'</row><row r="2"><c r="A2" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData>',
            )
        ),
    )
    before = snapshot()

    response = upload(api, organisation, content, "components.xlsx")

    assert response.status_code == 400
    assert snapshot() == before


def test_a_csv_row_bomb_is_read_no_further_than_one_row_past_the_limit(
    api: APIClient, organisation: Organisation, rows_read: list[int]
) -> None:
    content = ",".join(tabular.COLUMNS).encode() + b"\nx" * 100_000
    before = snapshot()

    response = upload(api, organisation, content)

    assert errors_of(response) == [
        {"row": 0, "field": None, "code": "invalid", "message": "at most 5000 rows per file"}
    ]
    assert rows_read[0] == tabular.MAX_ROWS + 2
    assert snapshot() == before


def test_a_windows_1252_row_bomb_is_read_no_further_than_one_row_past_the_limit(
    api: APIClient, organisation: Organisation, rows_read: list[int]
) -> None:
    # "é" in Windows-1252 (0xe9) is not UTF-8: the file is decoded as Windows-1252, then read within the limits.
    content = ",".join(tabular.COLUMNS).encode() + b"\n\xe9" * 100_000
    before = snapshot()

    response = upload(api, organisation, content)

    assert errors_of(response) == [
        {"row": 0, "field": None, "code": "invalid", "message": "at most 5000 rows per file"}
    ]
    assert rows_read[0] == tabular.MAX_ROWS + 2
    assert snapshot() == before


def test_a_file_over_the_size_limit_is_rejected_unread(api: APIClient, organisation: Organisation) -> None:
    content = csv_bytes([PAYROLL]) + b"#" * tabular.MAX_BYTES
    before = snapshot()

    response = upload(api, organisation, content)

    assert errors_of(response) == [{"row": 0, "field": None, "code": "invalid", "message": "the file exceeds 2 MB"}]
    assert snapshot() == before


def test_a_limit_is_named_in_french(api: APIClient, organisation: Organisation) -> None:
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    content = ",".join(tabular.COLUMNS).encode() + b"\nx" * (tabular.MAX_ROWS + 1)

    response = upload(api, organisation, content)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 0, "field": None, "code": "invalid", "message": "5000 lignes par fichier au plus"}
    ]


def test_reading_past_the_time_budget_is_rejected(
    api: APIClient, organisation: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tabular, "READ_BUDGET_SECONDS", 0)
    before = snapshot()

    response = upload(api, organisation, csv_bytes([PAYROLL]))

    assert errors_of(response) == [
        {"row": 0, "field": None, "code": "invalid", "message": "the file took more than 0 seconds to read"}
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        pytest.param({"notes": "a\x00b"}, "notes", "the cell contains a NUL character", id="NUL byte"),
        pytest.param(
            {"annual_cost_eur": "NaN"}, "annual_cost_eur", "expected an amount in euros, e.g. 12500.00", id="NaN"
        ),
        pytest.param(
            {"annual_cost_eur": "inf"}, "annual_cost_eur", "expected an amount in euros, e.g. 12500.00", id="inf"
        ),
        pytest.param(
            {"annual_cost_eur": "-Infinity"}, "annual_cost_eur", "expected an amount in euros, e.g. 12500.00", id="-inf"
        ),
        pytest.param(
            {"annual_cost_eur": "1e400"},
            "annual_cost_eur",
            "Ensure that there are no more than 12 digits in total.",
            id="1e400",
        ),
        pytest.param(
            {"contract_end": "0001-01-01"}, "contract_end", "expected a date from 1900-01-01 to 2199-12-31", id="year 1"
        ),
        pytest.param(
            {"contract_end": "9999-12-31"},
            "contract_end",
            "expected a date from 1900-01-01 to 2199-12-31",
            id="year 9999",
        ),
        pytest.param(
            {"contract_end": "99999-01-01"}, "contract_end", "expected a date as YYYY-MM-DD", id="5-digit year"
        ),
        pytest.param({"users": "9" * 5000}, "users", "expected a whole number", id="5,000-digit number"),
    ],
)
def test_a_hostile_cell_is_a_400_naming_its_row_and_column(
    api: APIClient, organisation: Organisation, cells: dict[str, str], column: str, message: str
) -> None:
    before = snapshot()

    response = upload(api, organisation, csv_bytes([PAYROLL, {**PAYROLL, "name": "Paie 2", **cells}]))

    assert errors_of(response) == [{"row": 3, "field": column, "code": "invalid", "message": message}]
    assert snapshot() == before


def test_a_cell_past_the_csv_field_size_is_a_400(api: APIClient, organisation: Organisation) -> None:
    content = csv_bytes([PAYROLL, {**PAYROLL, "name": "Paie 2", "notes": "x" * 200_000}])
    before = snapshot()

    response = upload(api, organisation, content)

    assert errors_of(response) == [{"row": 3, "field": None, "code": "invalid", "message": "not a readable CSV file"}]
    assert snapshot() == before


@pytest.mark.parametrize("organisation_id", ["abc", "1.5", "١", "99999999999999999999999", "-1"])
def test_an_organisation_that_is_not_a_number_is_a_400_naming_the_field(api: APIClient, organisation_id: str) -> None:
    before = snapshot()

    response = api.post(
        IMPORT_URL,
        {"organisation": organisation_id, "file": SimpleUploadedFile("components.csv", csv_bytes([PAYROLL]))},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "organisation",
            "code": "invalid",
            "message": f"Invalid pk “{organisation_id}” - object does not exist.",
        }
    ]
    assert snapshot() == before


@pytest.mark.slow
def test_the_largest_accepted_file_imports(api: APIClient, organisation: Organisation) -> None:

    rows = [{**PAYROLL, "name": f"Composant {number}"} for number in range(tabular.MAX_ROWS)]

    response = upload(api, organisation, csv_bytes(rows))

    assert response.status_code == 200, response.content
    assert response.json()["created"] == tabular.MAX_ROWS
