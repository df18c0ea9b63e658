"""The dependency index, map and lists run the same number of queries for a few rows as for many."""

import datetime
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

from dependencies.models import Component, LegalEntity, Product
from nis2.models import Membership, Organisation
from tests.dependencies.factories import LegalEntityFactory, ProductFactory, domain


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
