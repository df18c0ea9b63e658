"""Ownership chains of legal entities: the ultimate parent is derived by walking ``parent`` links, and
the shipped seed catalogue records who controls the vendors French local authorities rely on."""

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from dependencies import services
from dependencies.exposure import Party
from dependencies.models import LegalEntity, Product
from dependencies.selectors import EntityChains
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.dependencies.factories import ComponentFactory, LegalEntityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendor_held_by_a_us_fund() -> LegalEntity:
    """Éditeur Lyonnais (FR) → Holding Rhône (FR) → Fonds Atlantique (US)."""
    fund = LegalEntityFactory(key="fonds-atlantique", name="Fonds Atlantique", country="US")
    holding = LegalEntityFactory(key="holding-rhone", name="Holding Rhône", country="FR", parent=fund)
    return LegalEntityFactory(key="editeur-lyonnais", name="Éditeur Lyonnais", country="FR", parent=holding)


def test_the_party_of_a_vendor_carries_its_ultimate_parents_country(vendor_held_by_a_us_fund: LegalEntity) -> None:
    chains = EntityChains()

    assert chains.party(vendor_held_by_a_us_fund.pk) == Party(
        name="Éditeur Lyonnais", country="FR", ultimate_country="US"
    )
    assert chains.chain(vendor_held_by_a_us_fund.pk) == [
        ("Éditeur Lyonnais", "FR"),
        ("Holding Rhône", "FR"),
        ("Fonds Atlantique", "US"),
    ]
    assert chains.ultimate_name(vendor_held_by_a_us_fund.pk) == "Fonds Atlantique"
    assert chains.party(None) is None


def test_the_model_walks_the_same_chain(vendor_held_by_a_us_fund: LegalEntity) -> None:
    assert [entity.name for entity in vendor_held_by_a_us_fund.chain()] == [
        "Éditeur Lyonnais",
        "Holding Rhône",
        "Fonds Atlantique",
    ]
    assert vendor_held_by_a_us_fund.ultimate_parent.name == "Fonds Atlantique"


def test_the_api_gives_the_ultimate_parent(
    vendor_held_by_a_us_fund: LegalEntity,
    organisation: Organisation,
    api_client_for: Callable[..., APIClient],
    member_of: Callable[..., Membership],
) -> None:
    reader = member_of(organisation, Role.EXECUTIVE)

    response = api_client_for(reader.user).get(reverse("legal-entity-detail", args=[vendor_held_by_a_us_fund.pk]))

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["country"], body["parent"]) == (
        "Éditeur Lyonnais",
        "FR",
        vendor_held_by_a_us_fund.parent_id,
    )
    assert body["ultimate_parent"] == {"name": "Fonds Atlantique", "country": "US"}


@pytest.mark.parametrize(
    "new_parent_key",
    [
        pytest.param("editeur-lyonnais", id="the fund under the vendor it owns (three-entity loop)"),
        pytest.param("holding-rhone", id="the fund under its own holding (two-entity loop)"),
        pytest.param("fonds-atlantique", id="the fund as its own parent"),
    ],
)
def test_a_parent_that_would_make_the_chain_loop_is_refused(
    vendor_held_by_a_us_fund: LegalEntity, new_parent_key: str
) -> None:
    fund = LegalEntity.objects.get(key="fonds-atlantique")
    fund.parent = LegalEntity.objects.get(key=new_parent_key)

    with pytest.raises(ValidationError) as raised, translation.override("en"):
        fund.clean()

    assert raised.value.message_dict == {"parent": ["This parent would make the ownership chain loop."]}
    fund.refresh_from_db()
    assert fund.parent_id is None


def test_a_parent_higher_up_is_accepted(vendor_held_by_a_us_fund: LegalEntity) -> None:
    other_fund = LegalEntityFactory(key="autre-fonds", name="Autre fonds", country="US")
    holding = LegalEntity.objects.get(key="holding-rhone")
    holding.parent = other_fund

    holding.clean()  # no loop

    assert [entity.name for entity in holding.chain()] == ["Holding Rhône", "Autre fonds"]


def test_loading_the_seed_catalogue_twice_changes_nothing() -> None:
    first = services.load_seed_catalogue()
    first_counts = (LegalEntity.objects.count(), Product.objects.count())
    first_parents = dict(LegalEntity.objects.values_list("key", "parent__key"))
    first_alternatives = Product.alternatives.through.objects.count()

    second = services.load_seed_catalogue()

    assert second == first
    assert first == first_counts
    assert (LegalEntity.objects.count(), Product.objects.count()) == first_counts
    assert dict(LegalEntity.objects.values_list("key", "parent__key")) == first_parents
    assert Product.alternatives.through.objects.count() == first_alternatives
    assert not LegalEntity.objects.filter(organisation__isnull=False).exists()


def test_seed_catalogue_ownership_chains_and_the_exposure_they_bring(
    organisation: Organisation, api_client_for: Callable[..., APIClient], member_of: Callable[..., Membership]
) -> None:
    services.load_seed_catalogue()
    ciril = LegalEntity.objects.get(key="ciril-group", organisation=None)
    alcatel = LegalEntity.objects.get(key="alcatel-lucent-enterprise", organisation=None)

    assert (ciril.name, ciril.country) == ("Ciril GROUP", "FR")
    assert (ciril.ultimate_parent.name, ciril.ultimate_parent.country) == ("The Carlyle Group", "US")
    assert (alcatel.ultimate_parent.name, alcatel.ultimate_parent.country) == ("China Huaxin", "CN")

    # Given the Ciril finance and HR software, operated by Ciril as a SaaS
    component = ComponentFactory(
        organisation=organisation,
        name="Finances et paie",
        product=Product.objects.get(key="ciril-civil-net", organisation=None),
        operator=ciril,
        deployment="vendor_saas",
        data_country="FR",
    )
    reader = member_of(organisation, Role.EXECUTIVE)

    # When its record is read through the API
    body = api_client_for(reader.user).get(reverse("component-detail", args=[component.pk])).json()

    # Then it is exposed through the US owner of a French vendor
    assert (body["exposure"], body["derived_exposure"]) == (3, 3)
    assert body["exposed_laws"] == ["US_CLOUD_ACT", "US_FISA_702"]
    assert body["exposure_reasons"] == ["operator Ciril GROUP is controlled from US"]


def test_lists_read_only_the_chains_of_the_entities_they_show(
    vendor_held_by_a_us_fund: LegalEntity,
    organisation: Organisation,
    api_client_for: Callable[..., APIClient],
    member_of: Callable[..., Membership],
) -> None:
    """Issue 15: a page resolves the ownership chains of the entities its rows name, generation by
    generation; the legal-entity table is never read whole (it holds every organisation's vendors)."""
    ComponentFactory(organisation=organisation, operator=vendor_held_by_a_us_fund)
    LegalEntityFactory.create_batch(30, country="US")  # vendors no row of this organisation names
    reader = member_of(organisation, Role.IT)
    with CaptureQueriesContext(connection) as queries:
        response = api_client_for(reader.user).get(reverse("component-list"))
    assert response.status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "dependencies_legalentity"' in q["sql"]]
    assert reads, "the chains were read"
    assert all(" IN (" in sql for sql in reads), reads
    row = response.json()["results"][0]
    assert row["exposure"] >= 3  # the operator's chain, resolved up to the US fund
