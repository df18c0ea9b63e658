"""The component file export (CSV or XLSX): it imports back unchanged, formulas quoted."""

import csv
import io
from typing import Any

import openpyxl
import pytest
from rest_framework.test import APIClient

from dependencies import tabular
from dependencies.models import Component
from nis2.models import Organisation
from tests.dependencies.component_files import MAIL, PAYROLL, VALID_ROWS, csv_bytes, snapshot, upload

pytestmark = pytest.mark.django_db


EXPORT_URL = "/api/v1/components/export/"  # route name component-export


def xlsx_rows(content: bytes) -> list[list[Any]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def test_export_of_no_component_is_the_header_alone(api: APIClient, organisation: Organisation) -> None:
    response = api.get(EXPORT_URL, {"format": "csv", "organisation": organisation.pk})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="components.csv"'
    assert response.content.decode() == ",".join(tabular.COLUMNS) + "\n"


def test_export_in_another_format_is_refused(api: APIClient) -> None:
    response = api.get(EXPORT_URL, {"format": "pdf"})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid input.",
        "errors": [{"field": "format", "code": "invalid", "message": "Expected csv or xlsx."}],
    }


@pytest.mark.usefixtures("shared_office_suite")
def test_the_csv_export_imports_back_unchanged(api: APIClient, organisation: Organisation) -> None:
    upload(api, organisation, csv_bytes(VALID_ROWS))
    before = snapshot()

    exported = api.get(EXPORT_URL, {"format": "csv", "organisation": organisation.pk}).content
    response = upload(api, organisation, exported)

    assert response.json() == {"created": 0, "updated": 0, "unchanged": 3, "catalogue_added": []}
    assert snapshot() == before
    rows = list(csv.DictReader(io.StringIO(exported.decode())))
    assert [row["name"] for row in rows] == ["Bureautique", "Messagerie", "Paie"]  # by domain code, then name
    assert rows[1] == {
        **dict.fromkeys(tabular.COLUMNS, ""),
        **MAIL,
        "hosting_country": "",
        "legal_obligation": "no",
        "alternative_exists": "yes",
        "reversibility": "no",
    }


@pytest.mark.usefixtures("shared_office_suite")
def test_the_xlsx_export_has_the_same_header_and_imports_back_unchanged(
    api: APIClient, organisation: Organisation
) -> None:
    upload(api, organisation, csv_bytes(VALID_ROWS))
    before = snapshot()

    response = api.get(EXPORT_URL, {"format": "xlsx", "organisation": organisation.pk})

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = xlsx_rows(response.content)
    assert rows[0] == list(tabular.COLUMNS)
    assert [row[0] for row in rows[1:]] == ["Bureautique", "Messagerie", "Paie"]
    again = upload(api, organisation, response.content, "components.xlsx")
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 3, "catalogue_added": []}
    assert snapshot() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_text_a_spreadsheet_would_run_as_a_formula_is_exported_quoted_and_imported_back_as_typed(
    api: APIClient, organisation: Organisation, fmt: str
) -> None:
    formula = '=HYPERLINK("https://exemple.org","Cliquez")'
    upload(api, organisation, csv_bytes([{**PAYROLL, "notes": formula}]))
    before = snapshot()

    response = api.get(EXPORT_URL, {"format": fmt, "organisation": organisation.pk})

    if fmt == "csv":
        exported = next(csv.DictReader(io.StringIO(response.content.decode())))["notes"]
    else:
        exported = xlsx_rows(response.content)[1][tabular.COLUMNS.index("notes")]
    assert exported == "'" + formula
    again = upload(api, organisation, response.content, f"components.{fmt}")
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 1, "catalogue_added": []}
    assert Component.objects.get(name="Paie").notes == formula
    assert snapshot() == before
