"""Shared helpers."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils import timezone

from bench.national_copy import copy_rows, next_id
from bench.national_country import (
    AGGLOMERATION_NOT_SHARING,
    COMPONENT_WEIGHT,
    METROPOLE_COMPONENTS,
    NATIONAL_COMPONENTS,
    Country,
    Org,
)


def _component_counts(country: Country, scale: float, generator: random.Random) -> Counter[int]:
    counts: Counter[int] = Counter()
    fixed = {"metropole": METROPOLE_COMPONENTS, "agglomeration": 300, "member": 20}
    for org in country.organisations:
        if org.anchor:
            counts[org.id] = fixed[org.anchor]
    others = [org for org in country.organisations if not org.anchor]
    weights = [COMPONENT_WEIGHT.get(org.kind, 1 + min(org.population, 120_000) / 2_000) for org in others]
    # The measured organisations keep their size at every scale; the rest of the country scales.
    remaining = max(0, round((NATIONAL_COMPONENTS - sum(counts.values())) * scale))
    counts.update(org.id for org in generator.choices(others, weights, k=remaining))
    return counts


def generate_components(country: Country, scale: float, generator: random.Random) -> None:
    from dependencies.models import Component, DependencySharing, Domain, LegalEntity, Product

    domains = list(Domain.objects.values_list("pk", flat=True))
    products = list(Product.objects.filter(organisation__isnull=True).prefetch_related("domains"))
    product_domains = {product.pk: [domain.pk for domain in product.domains.all()] or domains for product in products}
    entities = list(LegalEntity.objects.filter(organisation__isnull=True).values_list("pk", flat=True))
    counts = _component_counts(country, scale, generator)
    component_id = next_id(Component)
    today = timezone.localdate()
    rows = []
    for org in country.organisations:
        ids = country.components.setdefault(org.id, [])
        for index in range(counts[org.id]):
            product = generator.choice(products)
            rows.append(
                _component_row(component_id, org, index, product, product_domains, entities, country, today, generator)
            )
            ids.append(component_id)
            component_id += 1
    copy_rows(Component, rows)
    copy_rows(DependencySharing, _sharing_rows(country, generator))


def _component_row(
    component_id: int,
    org: Org,
    index: int,
    product: Any,
    product_domains: dict[int, list[int]],
    entities: list[int],
    country: Country,
    today: datetime.date,
    generator: random.Random,
) -> dict[str, Any]:
    """One component of the organisation, drawn in the generator's order (the data set stays the same)."""
    criticality = generator.randint(1, 4)
    created = country.now - datetime.timedelta(days=generator.randint(1, 900), minutes=generator.randint(0, 900))
    return {
        "id": component_id,
        "organisation_id": org.id,
        "name": f"{product.name} {index + 1:05d}"[:200],
        "domain_id": generator.choice(product_domains[product.pk]),
        "product_id": product.pk,
        "deployment": generator.choice(["on_premises", "eu_private_hosting", "vendor_saas", "public_cloud"]),
        "operator_id": generator.choice(entities) if generator.random() < 0.3 else None,
        "hosting_provider_id": generator.choice(entities) if generator.random() < 0.3 else None,
        "hosting_country": generator.choice(["FR", "FR", "FR", "DE", "IE", "US", ""]),
        "data_country": generator.choice(["FR", "FR", "FR", "NL", "US", ""]),
        "criticality": criticality,
        "legal_obligation": criticality >= 3 and generator.random() < 0.4,
        "users": generator.randint(1, 2_000),
        "annual_cost_eur": Decimal(generator.randint(0, 60_000)),
        "contract_end": today + datetime.timedelta(days=generator.randint(-100, 1_200)),
        "full_export_open_formats": generator.random() < 0.4,
        "open_standards_apis": generator.random() < 0.5,
        "alternative_exists": generator.random() < 0.5,
        "reversibility": generator.random() < 0.3,
        "created_at": created,
        "updated_at": created,
    }


def _sharing_rows(country: Country, generator: random.Random) -> Iterator[dict[str, Any]]:
    """Whether each commune shares its components with its EPCI: the agglomeration's first members do not,
    its others do, a commune elsewhere now and then."""
    return (
        {
            "organisation_id": org.id,
            "share_with_parent": (index >= AGGLOMERATION_NOT_SHARING)
            if org.anchor == "member"
            else generator.random() < 0.3,
            "created_at": country.now,
            "updated_at": country.now,
        }
        for index, org in enumerate(
            country.agglomeration.members + [o for o in country.by_kind("commune") if not o.anchor]
        )
    )
