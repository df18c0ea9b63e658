"""The dependency index of an organisation, per domain and overall, and its decision windows: first as
pure functions over hand-built records, then through the API and the map page, with constant queries."""

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dependencies import services
from dependencies.indexing import ComponentRecord, DependencyIndex, add_months, decision_windows, index, index_by_domain
from dependencies.models import Component, LegalEntity, Product
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.dependencies.factories import ComponentFactory, LegalEntityFactory, ProductFactory, domain
from tests.nis2.factories import OrganisationFactory

RECORD_IDS = itertools.count(1)


def record(
    name: str,
    *,
    domain: str = "D02",
    cost: str = "0",
    score: int = 0,
    exposure: int = 0,
    criticality: int = 2,
    open_source: bool = False,
    vendor: str = "Microsoft",
    contract_end: datetime.date | None = None,
) -> ComponentRecord:
    return ComponentRecord(
        component_id=next(RECORD_IDS),
        name=name,
        domain=domain,
        annual_cost_eur=Decimal(cost),
        score=score,
        exposure=exposure,
        criticality=criticality,
        open_source=open_source,
        ultimate_vendor=vendor,
        contract_end=contract_end,
    )


# Spend 100 000 €: Microsoft 70 000 (70 %), Berger-Levrault 30 000 (30 %), Keycloak 0.
RECORDS = [
    record("Messagerie", domain="D02", cost="10000", score=50, exposure=4, criticality=4),
    record("Bureautique", domain="D02", cost="30000", score=10, exposure=1, vendor="Berger-Levrault"),
    record("Annuaire", domain="D04", cost="0", score=0, exposure=0, criticality=3, open_source=True, vendor="Keycloak"),
    record("Finances", domain="D09", cost="60000", score=75, exposure=3, criticality=4),
]


def test_the_index_is_the_spend_weighted_mean_with_the_financial_view() -> None:
    result = index(RECORDS)

    # (10 000 × 50 + 30 000 × 10 + 0 × 0 + 60 000 × 75) / 100 000 = 53; HHI = 70² + 30² + 0² = 5 800
    assert result == DependencyIndex(
        components=4,
        dependency_index=Decimal("53.0"),
        total_spend_eur=Decimal(100_000),
        exposed_spend_eur=Decimal(70_000),
        exposed_spend_share=Decimal("70.0"),
        open_source_share=Decimal("25.0"),
        supplier_concentration=Decimal(5800),
        top_supplier="Microsoft",
        top_supplier_share=Decimal("70.0"),
    )


def test_the_index_per_domain() -> None:
    result = index_by_domain(RECORDS)

    assert list(result) == ["D02", "D04", "D09"]
    # D02: (10 000 × 50 + 30 000 × 10) / 40 000 = 20; Microsoft 25 %, Berger-Levrault 75 %: HHI 625 + 5 625
    assert result["D02"] == DependencyIndex(
        components=2,
        dependency_index=Decimal("20.0"),
        total_spend_eur=Decimal(40_000),
        exposed_spend_eur=Decimal(10_000),
        exposed_spend_share=Decimal("25.0"),
        open_source_share=Decimal("0.0"),
        supplier_concentration=Decimal(6250),
        top_supplier="Berger-Levrault",
        top_supplier_share=Decimal("75.0"),
    )
    # D04 has no spend: a simple mean, and no financial view
    assert result["D04"] == DependencyIndex(
        1, Decimal("0.0"), Decimal(0), Decimal(0), None, Decimal("100.0"), None, None, None
    )
    assert (
        result["D09"].dependency_index,
        result["D09"].exposed_spend_share,
        result["D09"].supplier_concentration,
    ) == (
        Decimal("75.0"),
        Decimal("100.0"),
        Decimal(10_000),
    )


def test_without_spend_every_component_weighs_the_same() -> None:
    records = [record("A", score=10), record("B", score=10), record("C", score=11, open_source=True)]

    result = index(records)

    # 31 / 3 = 10.33…
    assert result == DependencyIndex(
        components=3,
        dependency_index=Decimal("10.3"),
        total_spend_eur=Decimal(0),
        exposed_spend_eur=Decimal(0),
        exposed_spend_share=None,
        open_source_share=Decimal("33.3"),
        supplier_concentration=None,
        top_supplier=None,
        top_supplier_share=None,
    )


def test_the_index_of_nothing_is_empty() -> None:
    assert index([]) == DependencyIndex(0, None, Decimal(0), Decimal(0), None, None, None, None, None)
    assert index_by_domain([]) == {}


def test_the_mean_rounds_half_up_to_one_decimal() -> None:
    # (1 × 10 + 3 × 11) / 4 = 10.75 → 10.8
    result = index([record("A", cost="1", score=10), record("B", cost="3", score=11)])

    assert result.dependency_index == Decimal("10.8")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(datetime.date(2026, 1, 15), 18, datetime.date(2027, 7, 15), id="mid-month"),
        pytest.param(datetime.date(2026, 3, 31), 18, datetime.date(2027, 9, 30), id="31st into a 30-day month"),
        pytest.param(datetime.date(2026, 8, 31), 18, datetime.date(2028, 2, 29), id="into February of a leap year"),
        pytest.param(datetime.date(2027, 8, 31), 18, datetime.date(2029, 2, 28), id="into February of a common year"),
        pytest.param(datetime.date(2026, 7, 1), 18, datetime.date(2028, 1, 1), id="across two year ends"),
        pytest.param(datetime.date(2026, 12, 31), 1, datetime.date(2027, 1, 31), id="December to January"),
    ],
)
def test_adding_months_clamps_to_the_end_of_the_month(day: datetime.date, months: int, expected: datetime.date) -> None:
    assert add_months(day, months) == expected


def test_decision_windows_are_exposed_critical_contracts_ending_within_18_months() -> None:
    today = datetime.date(2026, 3, 31)  # horizon: 30 September 2027
    records = [
        record("Fin de l'horizon", exposure=3, criticality=3, contract_end=datetime.date(2027, 9, 30)),
        record("Après l'horizon", exposure=4, criticality=4, contract_end=datetime.date(2027, 10, 1)),
        record("Aujourd'hui", exposure=4, criticality=3, contract_end=datetime.date(2026, 3, 31)),
        record("Hier", exposure=4, criticality=4, contract_end=datetime.date(2026, 3, 30)),
        record("Peu exposé", exposure=2, criticality=4, contract_end=datetime.date(2026, 6, 1)),
        record("Peu critique", exposure=4, criticality=2, contract_end=datetime.date(2026, 6, 1)),
        record("Sans date", exposure=4, criticality=4, contract_end=None),
        record("Dans un an", exposure=4, criticality=4, contract_end=datetime.date(2027, 3, 31)),
    ]

    windows = decision_windows(records, today=today)

    assert [window.name for window in windows] == ["Aujourd'hui", "Dans un an", "Fin de l'horizon"]


# --- Through the API ----------------------------------------------------------------------------


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


# --- Constant queries ---------------------------------------------------------------------------


def bulk_components(organisation: Organisation, count: int, start: int = 0) -> None:
    """``count`` components spread over five products (two vendors with a parent, one operator)."""
    fund = LegalEntity.objects.get_or_create(key="bulk-fund", defaults={"name": "Fonds Atlantique", "country": "US"})[0]
    products = list(Product.objects.filter(key__startswith="bulk-"))
    if not products:
        holding = LegalEntityFactory(key="bulk-holding", name="Holding Rhône", country="FR", parent=fund)
        products = [
            ProductFactory(key=f"bulk-{index}", publisher=holding if index % 2 else LegalEntityFactory())
            for index in range(5)
        ]
        products[0].alternatives.set(products[1:3])
    domains = [domain(f"D{number:02d}") for number in range(1, 19)]
    soon = timezone.localdate() + datetime.timedelta(days=60)
    Component.objects.bulk_create(
        Component(
            organisation=organisation,
            name=f"Composant {index:05d}",
            domain=domains[index % 18],
            product=products[index % 5],
            deployment="vendor_saas" if index % 3 else "on_premises",
            operator=fund if index % 7 == 0 else None,
            criticality=1 + index % 4,
            annual_cost_eur=Decimal(1000 + index),
            contract_end=soon if index % 4 == 3 else None,
        )
        for index in range(start, start + count)
    )


def count_queries(client: Any, url: str, params: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(queries)


def assert_constant_queries(
    routes: list[tuple[Any, str, dict[str, Any]]], add_many: Callable[[], None], django_assert_max_num_queries: Any
) -> None:
    few = [count_queries(http, url, params) for http, url, params in routes]

    add_many()

    for (http, url, params), few_queries in zip(routes, few, strict=True):
        with django_assert_max_num_queries(few_queries, info=f"{url} {params}"):
            response = http.get(url, params)
        assert response.status_code == 200


@pytest.mark.django_db
def test_index_map_and_component_page_do_not_grow_with_the_number_of_components(
    organisation: Organisation,
    it_member: Membership,
    api_client_for: Callable[..., APIClient],
    client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    api = api_client_for(it_member.user)
    client.force_login(it_member.user)
    bulk_components(organisation, 10)

    assert_constant_queries(
        [
            (api, reverse("dependency-index"), {"organisation": organisation.pk}),
            (client, reverse("dependency-map", args=[organisation.pk]), {}),
            (client, reverse("component-list-page", args=[organisation.pk]), {}),
            (client, reverse("component-list-page", args=[organisation.pk]), {"exposure": "4", "sort": "cost"}),
        ],
        lambda: bulk_components(organisation, 990, start=10),
        django_assert_max_num_queries,
    )

    index_body = api.get(reverse("dependency-index"), {"organisation": organisation.pk}).json()
    assert index_body["overall"]["components"] == 1000
    # Index i ending in 3 modulo 4 has C4 and a contract ending in 60 days; it is exposed (E3 or E4) when its
    # product is published by the holding (odd i modulo 5) or the fund operates it as a SaaS (i % 7 == 0, i % 3 != 0):
    # 115 of the 1000.
    assert len(index_body["decision_windows"]) == 115


@pytest.mark.django_db
def test_the_product_list_does_not_grow_with_the_number_of_products(
    it_member: Membership, api_client_for: Callable[..., APIClient], django_assert_max_num_queries: Any
) -> None:
    api = api_client_for(it_member.user)
    bulk_components(it_member.organisation, 1)  # five products, the first with two alternatives

    assert_constant_queries(
        [(api, reverse("product-list"), {"page_size": 500})],
        lambda: [ProductFactory(publisher=LegalEntityFactory()).domains.set([domain("D05")]) for _ in range(40)],
        django_assert_max_num_queries,
    )


@pytest.mark.django_db
def test_the_component_and_legal_entity_lists_do_not_grow_with_the_number_of_rows(
    organisation: Organisation,
    it_member: Membership,
    api_client_for: Callable[..., APIClient],
    django_assert_max_num_queries: Any,
) -> None:
    api = api_client_for(it_member.user)
    bulk_components(organisation, 10)

    def add_many() -> None:
        bulk_components(organisation, 490, start=10)
        LegalEntityFactory.create_batch(40)

    assert_constant_queries(
        [
            (api, reverse("component-list"), {"page_size": 500}),
            (api, reverse("component-list"), {"page_size": 500, "exposure": "4"}),
            (api, reverse("legal-entity-list"), {"page_size": 500}),
        ],
        add_many,
        django_assert_max_num_queries,
    )
