"""The dependency index through the API: per domain, decision windows, scoping and the communes of an
intercommunality."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dependencies import services
from dependencies.models import Component, LegalEntity
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.dependencies.factories import ComponentFactory, LegalEntityFactory, ProductFactory, domain
from tests.nis2.factories import OrganisationFactory


@pytest.fixture
def us_vendor(db: None) -> LegalEntity:
    return LegalEntityFactory(name="Atlantic Mail Inc.", country="US")


@pytest.fixture
def french_vendor(db: None) -> LegalEntity:
    return LegalEntityFactory(name="Éditions Garonne", country="FR")


def mail(organisation: Organisation, vendor: LegalEntity, **fields: Any) -> Component:
    """US SaaS, C4, four unfavourable lock-in answers (L3): D = 100 × 4 × 4 × 3 / 64 = 75."""
    return ComponentFactory(
        organisation=organisation,
        name=fields.pop("name", "Messagerie"),
        domain=domain("D02"),
        product=ProductFactory(name="Courriel Pro", publisher=vendor),
        deployment="vendor_saas",
        criticality=4,
        annual_cost_eur=Decimal(10_000),
        **fields,
    )


def finance(organisation: Organisation, vendor: LegalEntity, **fields: Any) -> Component:
    """French software on premises, C2, no unfavourable answer (L1): D = 100 × 2 × 1 × 1 / 64 = 3."""
    return ComponentFactory(
        organisation=organisation,
        name=fields.pop("name", "Finances"),
        domain=domain("D09"),
        product=ProductFactory(name="Finances Territoriales", publisher=vendor),
        deployment="on_premises",
        criticality=2,
        annual_cost_eur=Decimal(30_000),
        full_export_open_formats=True,
        open_standards_apis=True,
        alternative_exists=True,
        reversibility=True,
        **fields,
    )


def index_json(**values: Any) -> dict[str, Any]:
    """An index as the API gives it: the empty one, with ``values`` set."""
    return {
        "components": 0,
        "dependency_index": None,
        "total_spend_eur": 0.0,
        "exposed_spend_eur": 0.0,
        "exposed_spend_share": None,
        "open_source_share": None,
        "supplier_concentration": None,
        "top_supplier": None,
        "top_supplier_share": None,
        **values,
    }


# mail() and finance() together: (10 000 × 75 + 30 000 × 3) / 40 000 = 21; exposed spend 10 000 (25 %);
# HHI 25² + 75² = 6 250.
MAIL_AND_FINANCE_INDEX = {
    "overall": index_json(
        components=2,
        dependency_index=21.0,
        total_spend_eur=40000.0,
        exposed_spend_eur=10000.0,
        exposed_spend_share=25.0,
        open_source_share=0.0,
        supplier_concentration=6250.0,
        top_supplier="Éditions Garonne",
        top_supplier_share=75.0,
    ),
    "by_domain": {
        "D02": index_json(
            components=1,
            dependency_index=75.0,
            total_spend_eur=10000.0,
            exposed_spend_eur=10000.0,
            exposed_spend_share=100.0,
            open_source_share=0.0,
            supplier_concentration=10000.0,
            top_supplier="Atlantic Mail Inc.",
            top_supplier_share=100.0,
        ),
        "D09": index_json(
            components=1,
            dependency_index=3.0,
            total_spend_eur=30000.0,
            exposed_spend_eur=0.0,
            exposed_spend_share=0.0,
            open_source_share=0.0,
            supplier_concentration=10000.0,
            top_supplier="Éditions Garonne",
            top_supplier_share=100.0,
        ),
    },
}


@pytest.mark.django_db
def test_the_api_gives_the_index_per_domain_and_the_decision_windows(
    organisation: Organisation,
    executive: Membership,
    api_client_for: Callable[..., APIClient],
    us_vendor: LegalEntity,
    french_vendor: LegalEntity,
) -> None:
    contract_end = timezone.localdate() + datetime.timedelta(days=100)
    messagerie = mail(organisation, us_vendor, contract_end=contract_end, strategy="negotiate")
    finance(organisation, french_vendor, contract_end=contract_end)
    mail(OrganisationFactory(), us_vendor, name="Messagerie voisine")  # another commune's: not counted

    response = api_client_for(executive.user).get(reverse("dependency-index"), {"organisation": organisation.pk})

    assert response.status_code == 200
    assert response.json() == {
        "organisation": organisation.pk,
        **MAIL_AND_FINANCE_INDEX,
        "decision_windows": [
            {
                "component": messagerie.pk,
                "name": "Messagerie",
                "domain": "D02",
                "contract_end": contract_end.isoformat(),
                "exposure": 4,
                "criticality": 4,
                "strategy": "negotiate",
            }
        ],
    }


@pytest.mark.django_db
def test_the_index_of_an_organisation_the_user_cannot_read_is_not_found(
    executive: Membership, api_client_for: Callable[..., APIClient], us_vendor: LegalEntity
) -> None:
    stranger = OrganisationFactory(name="Commune voisine")
    mail(stranger, us_vendor)

    response = api_client_for(executive.user).get(reverse("dependency-index"), {"organisation": stranger.pk})

    assert response.status_code == 404
    assert "Messagerie" not in response.content.decode()


@pytest.mark.django_db
def test_the_index_needs_an_organisation(executive: Membership, api_client_for: Callable[..., APIClient]) -> None:
    response = api_client_for(executive.user).get(reverse("dependency-index"))

    assert response.status_code == 400


@pytest.mark.django_db
def test_an_intercommunality_sees_only_the_member_communes_that_opted_in(
    api_client_for: Callable[..., APIClient],
    member_of: Callable[..., Membership],
    us_vendor: LegalEntity,
    french_vendor: LegalEntity,
) -> None:
    intercommunality = OrganisationFactory(name="Communauté de communes", kind=Organisation.Kind.COMMUNAUTE_COMMUNES)
    sharing, refusing, silent = (
        OrganisationFactory(name=name, parent=intercommunality) for name in ("Partageuse", "Réservée", "Muette")
    )
    for commune, share in ((sharing, True), (refusing, False)):
        services.sharing_set(organisation=commune, share_with_parent=share, actor=member_of(commune, Role.IT).user)
    soon = timezone.localdate() + datetime.timedelta(days=30)
    mail(sharing, us_vendor, name="Messagerie de Partageuse", contract_end=soon)
    finance(sharing, french_vendor, name="Finances de Partageuse")
    mail(refusing, us_vendor, name="Messagerie de Réservée")
    mail(silent, us_vendor, name="Messagerie de Muette")
    finance(intercommunality, french_vendor, name="Finances communautaires")
    reader = member_of(intercommunality, Role.IT)

    response = api_client_for(reader.user).get(
        reverse("dependency-index"), {"organisation": intercommunality.pk, "include": "shared"}
    )

    body = response.json()
    assert (body["overall"]["components"], body["decision_windows"]) == (1, [])
    assert body["shared"] == {"organisations": 1, **MAIL_AND_FINANCE_INDEX}
    text = response.content.decode()
    for name in ("Partageuse", "Réservée", "Muette", "Messagerie", "Finances de"):
        assert name not in text


@pytest.mark.django_db
def test_without_include_the_intercommunality_gets_its_own_index_only(
    api_client_for: Callable[..., APIClient], member_of: Callable[..., Membership], us_vendor: LegalEntity
) -> None:
    intercommunality = OrganisationFactory(kind=Organisation.Kind.COMMUNAUTE_COMMUNES)
    commune = OrganisationFactory(parent=intercommunality)
    services.sharing_set(organisation=commune, share_with_parent=True, actor=member_of(commune, Role.IT).user)
    mail(commune, us_vendor)

    body = (
        api_client_for(member_of(intercommunality, Role.IT).user)
        .get(reverse("dependency-index"), {"organisation": intercommunality.pk})
        .json()
    )

    assert "shared" not in body
    assert body["overall"] == index_json()
