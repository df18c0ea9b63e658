"""What each app says about its models for the export (``<app>/portability.py``: ``PORTABILITY``)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db.models import Model, Q


@dataclass(frozen=True)
class Owned:
    """Rows an organisation owns, exported with their history.

    ``parent`` names the foreign key leading to the owning row (an organisation, or an owned row
    declared before this one); ``None`` marks the organisation itself. ``secret_fields`` are
    never written to an archive (a calendar feed's token): the import draws new values."""

    model: type[Model]
    parent: str | None
    secret_fields: frozenset[str] = frozenset()

    @property
    def parent_model(self) -> type[Model] | None:
        if self.parent is None:
            return None
        return self.model._meta.get_field(self.parent).related_model


@dataclass(frozen=True)
class Reference:
    """Shared reference data (catalogues, rules, other organisations): an archive names a row by
    ``key`` (lookup paths whose values identify it in every Rempart instance) instead of copying it."""

    model: type[Model]
    key: tuple[str, ...]
    shared: Q = field(default_factory=Q)


@dataclass(frozen=True)
class Portability:
    owned: list[Owned] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    # Models deliberately not exported, with the reason (shown in the archive's README).
    left_out: dict[type[Model], str] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """Every app's declarations, owned models in an order where each one's parent comes first."""

    owned: list[Owned]
    references: dict[type[Model], Reference]
    left_out: dict[type[Model], str]

    def owned_models(self) -> list[type[Model]]:
        return [owned.model for owned in self.owned]


@cache
def portability_plan() -> Plan:
    owned: list[Owned] = []
    references: dict[type[Model], Reference] = {}
    left_out: dict[type[Model], str] = {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.portability")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.portability":
                raise
            continue
        declaration: Portability = module.PORTABILITY
        owned.extend(declaration.owned)
        references.update({reference.model: reference for reference in declaration.references})
        left_out.update(declaration.left_out)
    seen: set[type[Model]] = set()
    for entry in owned:
        parent = entry.parent_model
        if parent is not None and parent not in seen:
            raise LookupError(f"{entry.model._meta.label} is declared before its parent {parent._meta.label}")
        seen.add(entry.model)
    return Plan(owned=owned, references=references, left_out=left_out)
