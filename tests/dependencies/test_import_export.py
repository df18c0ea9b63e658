"""The component file (CSV or XLSX): an all-or-nothing import that upserts by name and adds missing
products and vendors to the organisation's own catalogue, and an export that imports back unchanged."""

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from dependencies import tabular
from dependencies.models import Component, LegalEntity, Product
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.dependencies.factories import LegalEntityFactory
from tests.nis2.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/api/v1/components/import/"  # route name component-import-file
EXPORT_URL = "/api/v1/components/export/"  # route name component-export
REJECTED = "The file was rejected; nothing was imported."


def csv_bytes(rows: list[dict[str, Any]], columns: tuple[str, ...] | list[str] = tabular.COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[dict[str, Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(tabular.COLUMNS))
    for row in rows:
        sheet.append([row.get(column) for column in tabular.COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_rows(content: bytes) -> list[list[Any]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def upload(client: APIClient, organisation: Organisation, content: bytes, filename: str = "components.csv") -> Any:
    return client.post(
        IMPORT_URL,
        {"organisation": organisation.pk, "file": SimpleUploadedFile(filename, content)},
        format="multipart",
    )


def snapshot() -> dict[str, int]:
    """What an import may write: components, catalogue entries and their history."""
    return {
        "components": Component.objects.count(),
        "entities": LegalEntity.objects.count(),
        "products": Product.objects.count(),
        "component history": Component.history.count(),
        "entity history": LegalEntity.history.count(),
        "product history": Product.history.count(),
    }


MAIL = {
    "name": "Messagerie",
    "domain": "D02",
    "product": "Courriel Pro",
    "vendor": "Atlantic Mail Inc.",
    "vendor_country": "US",
    "deployment": "vendor_saas",
    "operator": "Atlantic Mail Inc.",
    "data_country": "FR",
    "criticality": "3",
    "data_sensitivity": "personal",
    "users": "420",
    "annual_cost_eur": "12000.00",
    "contract_end": "2027-06-30",
    "full_export_open_formats": "no",
    "open_standards_apis": "yes",
    "alternative_exists": "oui",
    "dependent_components": "4",
    "reversibility": "non",
    "strategy": "negotiate",
    "notes": "Renouvellement en 2027",
}
PAYROLL = {
    "name": "Paie",
    "domain": "D09",
    "product": "Paie Territoriale",
    "vendor": "Éditions Garonne",
    "vendor_country": "FR",
    "deployment": "on_premises",
    "criticality": "3",
    "legal_obligation": "yes",
    "annual_cost_eur": "8000.50",
}
OFFICE = {
    "name": "Bureautique",
    "domain": "d02",
    "product": "Bureautique Libre",
    "vendor": "Fondation Documents",
    "deployment": "on_premises",
    "criticality": "2",
    "full_export_open_formats": "yes",
    "alternative_exists": "yes",
}
VALID_ROWS = [MAIL, PAYROLL, OFFICE]
ADDED = [
    "vendor “Atlantic Mail Inc.”",
    "product “Courriel Pro”",
    "vendor “Éditions Garonne”",
    "product “Paie Territoriale”",
]


@pytest.mark.usefixtures("shared_office_suite")
@pytest.mark.parametrize(
    ("filename", "content"),
    [
        pytest.param("components.csv", csv_bytes(VALID_ROWS), id="CSV"),
        pytest.param(
            "components.xlsx",
            xlsx_bytes(
                [
                    {
                        **MAIL,
                        "criticality": 3,
                        "users": 420,
                        "annual_cost_eur": 12000,
                        "contract_end": datetime.date(2027, 6, 30),
                    },
                    {**PAYROLL, "criticality": 3, "annual_cost_eur": 8000.5},
                    OFFICE,
                ]
            ),
            id="XLSX with numbers and a date cell",
        ),
    ],
)
def test_a_valid_file_creates_the_components_and_the_missing_catalogue_entries(
    api: APIClient, organisation: Organisation, filename: str, content: bytes
) -> None:
    response = upload(api, organisation, content, filename)

    assert response.status_code == 200, response.content
    assert response.json() == {"created": 3, "updated": 0, "unchanged": 0, "catalogue_added": ADDED}
    mail = Component.objects.select_related("product__publisher", "operator", "domain").get(name="Messagerie")
    assert (mail.organisation, mail.domain.code, mail.deployment, mail.data_country) == (
        organisation,
        "D02",
        "vendor_saas",
        "FR",
    )
    assert (mail.criticality, mail.data_sensitivity, mail.users, mail.annual_cost_eur) == (3, "personal", 420, 12000)
    assert (mail.contract_end, mail.strategy, mail.notes) == (
        datetime.date(2027, 6, 30),
        "negotiate",
        "Renouvellement en 2027",
    )
    assert (
        mail.full_export_open_formats,
        mail.open_standards_apis,
        mail.alternative_exists,
        mail.dependent_components,
        mail.reversibility,
    ) == (False, True, True, 4, False)
    assert (mail.product.organisation, mail.product.verified, mail.product.domains.get().code) == (
        organisation,
        False,
        "D02",
    )
    assert (mail.product.publisher.name, mail.product.publisher.country, mail.product.publisher.organisation) == (
        "Atlantic Mail Inc.",
        "US",
        organisation,
    )
    assert mail.operator == mail.product.publisher
    payroll = Component.objects.get(name="Paie")
    assert (payroll.legal_obligation, payroll.annual_cost_eur, payroll.contract_end) == (True, 8000.5, None)
    assert Component.objects.get(name="Bureautique").product.organisation is None  # the shared entry, reused
    assert Product.objects.filter(organisation=organisation).count() == 2
    assert LegalEntity.objects.filter(organisation=organisation).count() == 2


@pytest.mark.usefixtures("shared_office_suite")
def test_importing_the_same_file_again_changes_nothing(api: APIClient, organisation: Organisation) -> None:
    upload(api, organisation, csv_bytes(VALID_ROWS))
    before = snapshot()

    response = upload(api, organisation, csv_bytes(VALID_ROWS))

    assert response.status_code == 200
    assert response.json() == {"created": 0, "updated": 0, "unchanged": 3, "catalogue_added": []}
    assert snapshot() == before


@pytest.mark.usefixtures("shared_office_suite")
def test_a_modified_row_updates_that_component_only(api: APIClient, organisation: Organisation) -> None:
    upload(api, organisation, csv_bytes(VALID_ROWS))
    before = snapshot()

    response = upload(api, organisation, csv_bytes([{**MAIL, "criticality": "4", "contract_end": ""}, PAYROLL, OFFICE]))

    assert response.json() == {"created": 0, "updated": 1, "unchanged": 2, "catalogue_added": []}
    mail = Component.objects.get(name="Messagerie")
    assert (mail.criticality, mail.contract_end) == (4, None)
    assert snapshot() == {**before, "component history": before["component history"] + 1}
    history = api.get(reverse("component-history", args=[mail.pk])).json()["results"]
    assert [(record["history_type"], record["history_user"]) for record in history] == [
        ("changed", "dsi"),
        ("created", "dsi"),
    ]
    assert history[0]["changes"]["criticality"] == {"old": 3, "new": 4}


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


def test_a_semicolon_separated_file_with_a_bom_is_read(api: APIClient, organisation: Organisation) -> None:
    # What a French spreadsheet saves as "CSV UTF-8".
    content = "\ufeff" + ";".join(tabular.REQUIRED) + "\nParc;D01;Postes Garonne;Éditions Garonne;on_premises;2\n"
    LegalEntityFactory(name="Éditions Garonne", country="FR")

    response = upload(api, organisation, content.encode("utf-8"))

    assert response.json() == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "catalogue_added": ["product “Postes Garonne”"],
    }


def test_catalogue_entries_added_by_an_import_stay_with_the_organisation(
    api: APIClient,
    organisation: Organisation,
    api_client_for: Callable[..., APIClient],
    member_of: Callable[..., Membership],
) -> None:
    upload(api, organisation, csv_bytes([MAIL]))
    neighbour = member_of(OrganisationFactory(name="Commune voisine"), Role.IT)
    neighbour_api = api_client_for(neighbour.user)

    own_products = [product["name"] for product in api.get(reverse("product-list")).json()["results"]]
    neighbour_products = [product["name"] for product in neighbour_api.get(reverse("product-list")).json()["results"]]
    neighbour_entities = [
        entity["name"] for entity in neighbour_api.get(reverse("legal-entity-list")).json()["results"]
    ]

    assert own_products == ["Courriel Pro"]
    assert neighbour_products == []
    assert neighbour_entities == []
    # The neighbour importing a row naming the same product gets its own entries, not the first commune's.
    response = upload(neighbour_api, neighbour.organisation, csv_bytes([MAIL]))
    assert response.json()["catalogue_added"] == ADDED[:2]
    assert Product.objects.filter(name="Courriel Pro").count() == 2


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


def test_importing_into_an_organisation_the_user_does_not_belong_to_is_refused(api: APIClient) -> None:
    stranger = OrganisationFactory(name="Commune voisine")
    before = snapshot()

    response = upload(api, stranger, csv_bytes([PAYROLL]))

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid input.",
        "errors": [
            {
                "field": "organisation",
                "code": "invalid",
                "message": f"Invalid pk “{stranger.pk}” - object does not exist.",
            }
        ],
    }
    assert snapshot() == before


def test_an_executive_cannot_import(
    organisation: Organisation, executive: Membership, api_client_for: Callable[..., APIClient]
) -> None:
    before = snapshot()

    response = upload(api_client_for(executive.user), organisation, csv_bytes([PAYROLL]))

    assert response.status_code == 403
    assert response.json()["detail"] == "You do not have permission to perform this action."
    assert snapshot() == before


def test_an_executive_here_who_runs_it_elsewhere_cannot_import_here(
    organisation: Organisation,
    executive: Membership,
    api_client_for: Callable[..., APIClient],
) -> None:
    MembershipFactory(user=executive.user, organisation=OrganisationFactory(name="Autre commune"), role=Role.IT)
    before = snapshot()

    response = upload(api_client_for(executive.user), organisation, csv_bytes([PAYROLL]))

    assert response.status_code == 403
    assert response.json()["detail"] == "Your role does not allow this change in this organisation."
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
