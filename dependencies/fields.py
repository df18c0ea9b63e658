"""The fields of a component a member edits, declared once: their names and types. The services'
keyword arguments, the API serializer's and the strategy form's field lists derive from it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TypedDict

from django.contrib.auth.models import User

from dependencies.models import Domain, LegalEntity, Product


class ComponentFields(TypedDict, total=False):
    """What a service may set on a component; a key left out is left as it is (or at its default)."""

    name: str
    domain: Domain
    product: Product
    deployment: str
    operator: LegalEntity | None
    hosting_provider: LegalEntity | None
    hosting_country: str
    data_country: str
    certifications: list[dict[str, str]]
    data_sensitivity: str
    criticality: int
    legal_obligation: bool
    users: int | None
    annual_cost_eur: Decimal
    contract_end: datetime.date | None
    full_export_open_formats: bool
    open_standards_apis: bool
    alternative_exists: bool
    dependent_components: int
    reversibility: bool
    exposure_override: int | None
    exposure_override_justification: str
    strategy: str
    strategy_owner: User | None
    strategy_target_date: datetime.date | None
    strategy_status: str
    notes: str


#: Every editable field, in the order the API shows them.
EDITABLE_FIELDS: tuple[str, ...] = tuple(ComponentFields.__annotations__)

#: What the component page's strategy form edits.
STRATEGY_FIELDS: tuple[str, ...] = (
    "strategy",
    "strategy_target_date",
    "strategy_status",
    "exposure_override",
    "exposure_override_justification",
)
