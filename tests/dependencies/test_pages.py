"""The dependency map's web pages: the heat map and decision windows, a component's chain and factors,
the import page, and what an executive and a stranger may see."""

import datetime
import html
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dependencies import tabular
from dependencies.models import Component, LegalEntity, Product
from nis2.models import Membership, Organisation
from tests.dependencies.factories import ComponentFactory, LegalEntityFactory, ProductFactory, domain
from tests.nis2.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ciril_finance(organisation: Organisation) -> Component:
    """Ciril's finance software operated by Ciril GROUP (FR), owned by The Carlyle Group (US):
    C4 (continuity 3, legal obligation, sensitive data), E3, L3 (four unfavourable answers), D = 56."""
    carlyle = LegalEntityFactory(name="The Carlyle Group", country="US")
    ciril = LegalEntityFactory(name="Ciril GROUP", country="FR", parent=carlyle)
    return ComponentFactory(
        organisation=organisation,
        name="Finances et paie",
        domain=domain("D09"),
        product=ProductFactory(name="Civil Net RH", publisher=ciril),
        operator=ciril,
        deployment="vendor_saas",
        criticality=3,
        legal_obligation=True,
        data_sensitivity="sensitive",
        annual_cost_eur=Decimal(45_000),
        contract_end=timezone.localdate() + datetime.timedelta(days=200),
        alternative_exists=True,
    )


@pytest.fixture
def office_suite(organisation: Organisation) -> Component:
    """Open-source office suite on premises: E0."""
    return ComponentFactory(
        organisation=organisation,
        name="Bureautique",
        domain=domain("D02"),
        product=ProductFactory(
            name="Bureautique Libre",
            publisher=LegalEntityFactory(name="Fondation Documents", country="DE"),
            licence_model=Product.LicenceModel.OPEN_SOURCE,
        ),
        deployment="on_premises",
        criticality=2,
    )


def test_the_map_draws_the_heat_map_and_lists_the_decision_windows(
    english_client: Client, it_member: Membership, ciril_finance: Component, office_suite: Component
) -> None:
    english_client.force_login(it_member.user)

    response = english_client.get(reverse("dependency-map", args=[it_member.organisation_id]))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg role="img" aria-label="Components by domain and exposure"' in html
    list_url = reverse("component-list-page", args=[it_member.organisation_id])
    assert f'<a href="{list_url}?domain=D09&amp;exposure=3">1</a>' in html
    assert f'<a href="{list_url}?domain=D02&amp;exposure=0">1</a>' in html
    assert "Decision windows: contracts ending within 18 months" in html
    detail_url = reverse("component-detail-page", args=[it_member.organisation_id, ciril_finance.pk])
    assert f'<td><a href="{detail_url}">Finances et paie</a></td>' in html
    assert "<td>E3</td><td>4</td>" in html
    assert "No exposed critical contract ends in the next 18 months." not in html


def test_the_map_of_an_empty_organisation_says_no_contract_needs_a_decision(
    english_client: Client, it_member: Membership
) -> None:
    english_client.force_login(it_member.user)

    html = english_client.get(reverse("dependency-map", args=[it_member.organisation_id])).content.decode()

    assert "<svg" in html
    assert "No exposed critical contract ends in the next 18 months." in html


def test_the_component_page_shows_who_controls_it_and_the_factors(
    english_client: Client, executive: Membership, ciril_finance: Component
) -> None:
    english_client.force_login(executive.user)

    response = english_client.get(reverse("component-detail-page", args=[executive.organisation_id, ciril_finance.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Publisher</strong> : Ciril GROUP (FR) → The Carlyle Group (US)</p>" in html
    assert "<strong>Operator</strong> : Ciril GROUP (FR) → The Carlyle Group (US)</p>" in html
    assert "Extraterritorial laws that reach it: US CLOUD Act (2018), US FISA, section 702</p>" in html
    assert '<th scope="row">Criticality C (1–4)</th><td>4</td>' in html
    assert '<th scope="row">Exposure E (0–4)</th><td>3</td><td>operator Ciril GROUP is controlled from US</td>' in html
    assert '<th scope="row">Lock-in L (1–4)</th><td>3</td>' in html
    assert '<th scope="row">Dependency D</th><td>56</td><td>100 × 4 × 3 × 3 / 64, rounded</td>' in html
    assert '<span class="badge class-4">4</span>' in html
    # Each factor is worded for the component's state: a tick never sits before a negative sentence.
    assert "✓ A European or open-source alternative exists" in html
    assert "No European or open-source alternative" not in html
    assert "✗ No reversibility clause or tested exit plan" in html
    assert "<button" not in html.split("<h2>Strategy</h2>")[1]  # an executive reads, does not edit


def test_a_component_with_a_full_export_says_so_in_french(
    client: Client, executive: Membership, ciril_finance: Component
) -> None:
    Component.objects.filter(pk=ciril_finance.pk).update(full_export_open_formats=True)
    client.force_login(executive.user)
    url = reverse("component-detail-page", args=[executive.organisation_id, ciril_finance.pk])
    page = html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert "✓ Export complet dans des formats ouverts" in page
    assert "Pas d'export complet" not in page
    assert "✗ Pas de clause de réversibilité" in page


def test_the_component_page_of_another_organisation_is_not_found(
    client: Client, it_member: Membership, ciril_finance: Component
) -> None:
    stranger = OrganisationFactory(name="Commune voisine")
    foreign = ComponentFactory(organisation=stranger, name="Messagerie voisine")
    client.force_login(it_member.user)

    through_own_organisation = client.get(
        reverse("component-detail-page", args=[it_member.organisation_id, foreign.pk])
    )
    through_stranger = client.get(reverse("component-detail-page", args=[stranger.pk, foreign.pk]))
    own_through_stranger = client.get(reverse("component-detail-page", args=[stranger.pk, ciril_finance.pk]))

    assert [through_own_organisation.status_code, through_stranger.status_code, own_through_stranger.status_code] == [
        404,
        404,
        404,
    ]
    assert "Messagerie voisine" not in through_own_organisation.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param({}, ["Finances et paie", "Messagerie", "Bureautique"], id="all, by score"),
        pytest.param({"domain": "D02"}, ["Messagerie", "Bureautique"], id="domain D02"),
        pytest.param({"exposure": "0"}, ["Bureautique"], id="exposure E0"),
        pytest.param({"exposure": "4"}, ["Messagerie"], id="exposure E4"),
        pytest.param({"domain": "D02", "exposure": "3"}, [], id="domain D02 and exposure E3"),
        pytest.param({"sort": "name"}, ["Bureautique", "Finances et paie", "Messagerie"], id="sorted by name"),
    ],
)
def test_the_component_list_filters_by_domain_and_exposure(
    english_client: Client,
    it_member: Membership,
    ciril_finance: Component,
    office_suite: Component,
    query: dict[str, str],
    expected: list[str],
) -> None:
    ComponentFactory(
        organisation=it_member.organisation,
        name="Messagerie",
        domain=domain("D02"),
        product=ProductFactory(publisher=LegalEntityFactory(name="Atlantic Mail Inc.", country="US")),
        deployment="vendor_saas",
        criticality=2,
    )
    english_client.force_login(it_member.user)

    response = english_client.get(reverse("component-list-page", args=[it_member.organisation_id]), query)

    shown = [item.component.name for item in response.context["items"]]
    assert shown == expected
    if not expected:
        assert "No component yet." in response.content.decode()


BAD_FILE = (
    ",".join(tabular.REQUIRED)
    + "\nParc,D01,Postes,Éditions Garonne,on_premises,2\nArchives,D42,GED,Éditions Garonne,on_premises,9\n"
)


def test_the_import_page_lists_every_error_of_a_bad_file_and_writes_nothing(
    english_client: Client, it_member: Membership
) -> None:
    LegalEntityFactory(name="Éditions Garonne", country="FR")
    before = (Component.objects.count(), Product.objects.count(), LegalEntity.objects.count())
    english_client.force_login(it_member.user)

    response = english_client.post(
        reverse("dependency-import", args=[it_member.organisation_id]),
        {"file": SimpleUploadedFile("components.csv", BAD_FILE.encode())},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "The file was rejected: 2 errors. Nothing was imported." in html
    assert "<tr><td>3</td><td>domain</td><td>unknown domain “D42”: use a code D01 to D18</td></tr>" in html
    assert "<tr><td>3</td><td>criticality</td><td>expected a whole number from 1 to 4</td></tr>" in html
    assert (Component.objects.count(), Product.objects.count(), LegalEntity.objects.count()) == before


def test_the_import_page_reports_what_a_valid_file_did(english_client: Client, it_member: Membership) -> None:
    LegalEntityFactory(name="Éditions Garonne", country="FR")
    english_client.force_login(it_member.user)
    content = ",".join(tabular.REQUIRED) + "\nParc,D01,Postes,Éditions Garonne,on_premises,2\n"

    response = english_client.post(
        reverse("dependency-import", args=[it_member.organisation_id]),
        {"file": SimpleUploadedFile("components.csv", content.encode())},
    )

    html = response.content.decode()
    assert "1 created, 0 updated, 0 unchanged." in html
    assert "Added to your catalogue: product “Postes”" in html
    assert list(Component.objects.values_list("organisation", "name")) == [(it_member.organisation_id, "Parc")]


def test_the_template_is_the_header_line(client: Client, executive: Membership) -> None:
    client.force_login(executive.user)

    response = client.get(reverse("dependency-import-template", args=[executive.organisation_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rempart-components-template.csv"'
    assert response.content.decode() == ",".join(tabular.COLUMNS) + "\n"


def test_an_executive_sees_no_import_link_and_cannot_import(client: Client, executive: Membership) -> None:
    organisation_id = executive.organisation_id
    LegalEntityFactory(name="Éditions Garonne", country="FR")
    client.force_login(executive.user)
    import_url = reverse("dependency-import", args=[organisation_id])
    content = ",".join(tabular.REQUIRED) + "\nParc,D01,Postes,Éditions Garonne,on_premises,2\n"
    before = (Component.objects.count(), Product.objects.count())

    map_html = client.get(reverse("dependency-map", args=[organisation_id])).content.decode()
    posted = client.post(import_url, {"file": SimpleUploadedFile("components.csv", content.encode())})

    assert import_url not in map_html
    assert reverse("component-list-page", args=[organisation_id]) in map_html
    assert posted.status_code == 403
    assert client.get(import_url).status_code == 403
    assert (Component.objects.count(), Product.objects.count()) == before


def test_the_it_department_sees_the_import_link(client: Client, it_member: Membership) -> None:
    client.force_login(it_member.user)

    html = client.get(reverse("dependency-map", args=[it_member.organisation_id])).content.decode()

    assert reverse("dependency-import", args=[it_member.organisation_id]) in html
