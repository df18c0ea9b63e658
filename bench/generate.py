"""Data generator for the benchmark: one essential entity with many components and incidents."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone


def generate(*, components: int, incidents: int) -> tuple:
    from controls import services as controls
    from controls.catalogue_loading import load_shipped_catalogues
    from controls.models import Framework
    from dependencies import services as dependencies
    from nis2 import services as tenancy
    from nis2.models import Membership
    from nis2.siren import siren_with_check_digit

    load_shipped_catalogues()
    dependencies.load_domains()
    dependencies.load_seed_catalogue()
    organisation = tenancy.organisation_create(
        actor=None,
        name="Métropole de banc d'essai",
        siren=siren_with_check_digit("99912345"),
        kind="metropole",
        population=400_000,
    )
    user = get_user_model().objects.create_user("bench", password="bench-password-2026")
    Membership.objects.create(user=user, organisation=organisation, role="admin")
    generator = random.Random(7)
    assessment = controls.assessment_create(
        organisation=organisation,
        framework=Framework.objects.get(code="recyf"),
        label="2026-T4",
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 12, 31),
        actor=user,
    )
    assessment.items.update(current_level=2)
    _add_components(organisation, components, generator)
    _add_incidents(organisation, user, incidents, generator)
    return organisation, user, assessment


def _add_components(organisation: Any, count: int, generator: random.Random) -> None:
    from dependencies.models import Component, Domain, Product

    domains, products = list(Domain.objects.all()), list(Product.objects.filter(organisation__isnull=True))
    Component.objects.bulk_create(
        Component(
            organisation=organisation,
            name=f"Composant {index:05d}",
            domain=generator.choice(domains),
            product=generator.choice(products),
            deployment=generator.choice(["on_premises", "vendor_saas", "public_cloud"]),
            criticality=generator.randint(1, 4),
            annual_cost_eur=Decimal(generator.randint(0, 50_000)),
            contract_end=timezone.localdate() + datetime.timedelta(days=generator.randint(1, 900)),
        )
        for index in range(count)
    )


def _add_incidents(organisation: Any, user: Any, count: int, generator: random.Random) -> None:
    from incidents import services as incident_services

    now = timezone.now()
    for index in range(count):
        detected = now - datetime.timedelta(hours=generator.randint(1, 24 * 200))
        incident_services.incident_create(
            organisation=organisation,
            actor=user,
            title=f"Incident {index}",
            detected_at=detected,
            aware_at=detected,
            category="malicious-code",
            subcategory="infected-system",
            severity="high",
            significant=generator.choice(["yes", "no"]),
            personal_data_breach=index % 5 == 0,
        )
