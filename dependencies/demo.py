"""Demo dependency map: about forty components across the eighteen domains for the intercommunality
(Microsoft 365 and Active Directory, a US hyperscaler for backups, French business software owned by
a US fund, self-hosted open-source pieces), a smaller set per commune, strategies on the worst ones (planned,
under way or done). The components are data: dependencies/data/demo.yaml."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import yaml
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from dependencies import services
from dependencies.models import Component, Domain, LegalEntity, Product
from nis2.demo import DemoTenancy, spread_history
from nis2.models import Organisation

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.yaml"
# Fields of a demo entry copied onto the component as they are (the model's default when left out).
PLAIN_FIELDS = (
    "name",
    "deployment",
    "data_country",
    "criticality",
    "data_sensitivity",
    "legal_obligation",
    "users",
    "full_export_open_formats",
    "open_standards_apis",
    "alternative_exists",
    "dependent_components",
    "reversibility",
)


class _Catalogue:
    """The domains and the shared catalogue, by code and key."""

    def __init__(self) -> None:
        self.domains = {domain.code: domain for domain in Domain.objects.all()}
        self.products = {product.key: product for product in Product.objects.filter(organisation__isnull=True)}
        self.entities = {entity.key: entity for entity in LegalEntity.objects.filter(organisation__isnull=True)}


def _strategy(entry: dict[str, Any], status: dict[str, str], actor: User, today: datetime.date) -> dict[str, Any]:
    strategy = entry.get("strategy", "")
    if not strategy:
        return {"strategy": "", "strategy_status": "", "strategy_owner": None, "strategy_target_date": None}
    return {
        "strategy": strategy,
        "strategy_status": status.get(entry["name"], "planned"),
        "strategy_owner": actor,
        "strategy_target_date": today + datetime.timedelta(days=365),
    }


def _add(
    organisation: Organisation,
    entries: list[dict[str, Any]],
    *,
    catalogue: _Catalogue,
    status: dict[str, str],
    actor: User,
    today: datetime.date,
) -> int:
    created = 0
    for entry in entries:
        if (
            Component.objects.filter(organisation=organisation, name=entry["name"]).exists()
            or entry["product"] not in catalogue.products
        ):
            continue
        months = entry.get("contract_months")
        services.component_create(
            organisation=organisation,
            actor=actor,
            domain=catalogue.domains[entry["domain"]],
            product=catalogue.products[entry["product"]],
            operator=catalogue.entities.get(entry.get("operator", "")),
            hosting_country=entry.get("data_country", ""),
            annual_cost_eur=Decimal(entry["annual_cost_eur"]),
            contract_end=today + datetime.timedelta(days=30 * months) if months else None,
            **{name: entry[name] for name in PLAIN_FIELDS if name in entry},
            **_strategy(entry, status, actor, today),
        )
        created += 1
    return created


def _person(tenancy: DemoTenancy, key: str) -> User:
    return cast(User, tenancy.users[key])  # the demo's people are rows of the user model


@transaction.atomic
def populate(tenancy: DemoTenancy) -> list[str]:
    services.load_domains()
    services.load_seed_catalogue()
    document = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    today = timezone.localdate()
    catalogue = _Catalogue()

    def add(organisation: Organisation, entries: list[dict[str, Any]], person: str) -> int:
        return _add(
            organisation,
            entries,
            catalogue=catalogue,
            status=document["strategy_status"],
            actor=_person(tenancy, person),
            today=today,
        )

    count = add(tenancy.intercommunality, document["intercommunality"], "dsi")
    count += add(tenancy.commune_a, document["commune"], "dsi-a")
    count += add(tenancy.commune_b, document["commune"][:5], "rssi-b")
    services.sharing_set(organisation=tenancy.commune_a, share_with_parent=True, actor=_person(tenancy, "dsi-a"))
    if count:
        mapped_at = timezone.now() - datetime.timedelta(days=270)
        organisations = [tenancy.intercommunality, tenancy.commune_a, tenancy.commune_b]
        spread_history(
            list(Component.history.filter(organisation__in=organisations)),
            mapped_at,
            mapped_at + datetime.timedelta(days=1),
        )
    return [f"{count} information-system components mapped"] if count else []
