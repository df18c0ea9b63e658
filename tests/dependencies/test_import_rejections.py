"""The component file import is all or nothing: a bad row, cell, name or header rejects the whole file
with every error."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from dependencies import tabular
from nis2.models import Organisation
from tests.dependencies.component_files import MAIL, OFFICE, PAYROLL, REJECTED, csv_bytes, snapshot, upload

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("shared_office_suite")
def test_one_bad_row_among_good_ones_rejects_the_whole_file_with_every_error(
    api: APIClient, organisation: Organisation
) -> None:
    bad = {
        **PAYROLL,
        "domain": "D99",
        "hosting_country": "FRA",
        "criticality": "7",
        "contract_end": "31/12/2027",
    }
    before = snapshot()

    response = upload(api, organisation, csv_bytes([MAIL, bad, OFFICE]))

    assert response.status_code == 400
    assert response.json() == {
        "detail": REJECTED,
        "errors": [
            {"row": 3, "field": "domain", "code": "invalid", "message": "unknown domain “D99”: use a code D01 to D18"},
            {
                "row": 3,
                "field": "hosting_country",
                "code": "invalid",
                "message": "expected an ISO 3166-1 alpha-2 country code, e.g. FR",
            },
            {"row": 3, "field": "criticality", "code": "invalid", "message": "expected a whole number from 1 to 4"},
            {"row": 3, "field": "contract_end", "code": "invalid", "message": "expected a date as YYYY-MM-DD"},
        ],
    }
    assert snapshot() == before


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        pytest.param({"name": ""}, "name", "required", id="no name"),
        pytest.param({"domain": "D19"}, "domain", "unknown domain “D19”: use a code D01 to D18", id="domain D19"),
        pytest.param(
            {"data_country": "U1"},
            "data_country",
            "expected an ISO 3166-1 alpha-2 country code, e.g. FR",
            id="data country with a digit",
        ),
        pytest.param({"criticality": "0"}, "criticality", "expected a whole number from 1 to 4", id="criticality 0"),
        pytest.param(
            {"criticality": "trois"}, "criticality", "expected a whole number from 1 to 4", id="criticality in words"
        ),
        pytest.param({"contract_end": "2027-02-30"}, "contract_end", "expected a date as YYYY-MM-DD", id="30 February"),
        pytest.param(
            {"deployment": "cloud"},
            "deployment",
            "expected one of: on_premises, eu_private_hosting, vendor_saas, public_cloud, hybrid",
            id="unknown deployment",
        ),
        pytest.param(
            {"data_sensitivity": "secret"},
            "data_sensitivity",
            "expected one of: public, internal, personal, sensitive, particular",
            id="unknown sensitivity",
        ),
        pytest.param({"reversibility": "maybe"}, "reversibility", "expected yes or no", id="yes/no answer"),
        pytest.param({"users": "-3"}, "users", "expected a whole number", id="negative users"),
        pytest.param(
            {"annual_cost_eur": "-10"},
            "annual_cost_eur",
            "expected an amount in euros, e.g. 12500.00",
            id="negative cost",
        ),
        pytest.param(
            {"annual_cost_eur": "douze"},
            "annual_cost_eur",
            "expected an amount in euros, e.g. 12500.00",
            id="cost in words",
        ),
        pytest.param(
            {"strategy": "wait"},
            "strategy",
            "expected one of: accept, negotiate, mitigate, migrate, pool, eliminate",
            id="unknown strategy",
        ),
        pytest.param(
            {"criticality": "2", "legal_obligation": "yes"},
            "criticality",
            "a component supporting a legal obligation has a criticality of 3 at least",
            id="legal obligation with criticality 2",
        ),
        pytest.param(
            {"vendor_country": ""},
            "vendor_country",
            "“Atlantic Mail Inc.” is not in the catalogue: give its head-office country to add it",
            id="new vendor without its country",
        ),
        pytest.param(
            {"operator": "Nuage Inconnu"},
            "operator",
            "“Nuage Inconnu” is not in the catalogue of legal entities",
            id="unknown operator",
        ),
    ],
)
def test_each_kind_of_bad_cell_is_reported_on_its_row_and_column(
    api: APIClient, organisation: Organisation, change: dict[str, str], field: str, message: str
) -> None:
    before = snapshot()

    response = upload(api, organisation, csv_bytes([PAYROLL, {**MAIL, **change}]))

    assert response.status_code == 400
    assert response.json() == {
        "detail": REJECTED,
        "errors": [{"row": 3, "field": field, "code": "invalid", "message": message}],
    }
    assert snapshot() == before


def test_two_rows_with_the_same_name_are_rejected(api: APIClient, organisation: Organisation) -> None:
    before = snapshot()

    response = upload(api, organisation, csv_bytes([MAIL, PAYROLL, {**PAYROLL, "name": "MESSAGERIE"}]))

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 4, "field": "name", "code": "invalid", "message": "same name as row 2"}
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("columns", "expected_errors"),
    [
        pytest.param(
            [*tabular.COLUMNS, "colour"],
            [{"row": 1, "field": "colour", "code": "invalid", "message": "unknown column"}],
            id="unknown column",
        ),
        pytest.param(
            [column for column in tabular.COLUMNS if column != "criticality"],
            [{"row": 1, "field": "criticality", "code": "invalid", "message": "required column missing"}],
            id="missing required column",
        ),
        pytest.param(
            ["name", "domain", "product", "vendor", "deployment", "criticite"],
            [
                {"row": 1, "field": "criticite", "code": "invalid", "message": "unknown column"},
                {"row": 1, "field": "criticality", "code": "invalid", "message": "required column missing"},
            ],
            id="misspelt required column",
        ),
    ],
)
def test_a_header_with_an_unknown_or_missing_column_is_rejected(
    api: APIClient, organisation: Organisation, columns: list[str], expected_errors: list[dict[str, Any]]
) -> None:
    before = snapshot()

    response = upload(api, organisation, csv_bytes([PAYROLL], columns=columns))

    assert response.status_code == 400
    assert response.json() == {"detail": REJECTED, "errors": expected_errors}
    assert snapshot() == before


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        pytest.param("components.ods", b"whatever", "expected a .csv or .xlsx file", id="another format"),
        pytest.param("components.xlsx", b"not a workbook", "not a readable XLSX file", id="corrupt workbook"),
    ],
)
def test_an_unreadable_file_is_rejected(
    api: APIClient, organisation: Organisation, filename: str, content: bytes, message: str
) -> None:
    before = snapshot()

    response = upload(api, organisation, content, filename)

    assert response.status_code == 400
    assert response.json()["errors"] == [{"row": 0, "field": None, "code": "invalid", "message": message}]
    assert snapshot() == before
