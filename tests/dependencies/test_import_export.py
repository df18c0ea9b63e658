"""The component file (CSV or XLSX): an all-or-nothing import that upserts by name and adds missing
products and vendors to the organisation's own catalogue, and an export that imports back unchanged."""

import datetime
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dependencies import tabular
from dependencies.models import Component, LegalEntity, Product
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.dependencies.component_files import MAIL, OFFICE, PAYROLL, VALID_ROWS, csv_bytes, snapshot, upload
from tests.dependencies.factories import LegalEntityFactory
from tests.nis2.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def xlsx_bytes(rows: list[dict[str, Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(tabular.COLUMNS))
    for row in rows:
        sheet.append([row.get(column) for column in tabular.COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
