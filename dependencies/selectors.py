"""Reads of the dependency map: scoped components, their derived exposure and score, and the index."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, Q, QuerySet

from dependencies import exposure as rules
from dependencies import indexing
from dependencies.columns import ImportCatalogue
from dependencies.models import Component, DependencySharing, Domain, LegalEntity, Product
from nis2.models import Organisation

User = AbstractBaseUser | AnonymousUser
Row = TypeVar("Row")


def domain_list() -> QuerySet[Domain]:
    return Domain.objects.order_by("code")


def legal_entity_list(*, user: User) -> QuerySet[LegalEntity]:
    return LegalEntity.objects.visible_to(user).select_related("parent")


def product_list(*, user: User) -> QuerySet[Product]:
    return (
        Product.objects.visible_to(user)
        .select_related("publisher")
        .prefetch_related("domains", Prefetch("alternatives", queryset=Product.objects.select_related("publisher")))
    )


def component_choices() -> QuerySet[Component]:
    """Every component: the base of an organisation-scoped related field, which narrows it itself."""
    return Component.objects.all()


def components_of_organisation(organisation_id: int) -> QuerySet[Component]:
    return Component.objects.filter(organisation_id=organisation_id).order_by("name")


def import_catalogue(organisation: Organisation) -> ImportCatalogue:
    """The domains, and the legal entities and products an organisation's import may name: the
    shared catalogue and the organisation's own additions."""
    visible = Q(organisation__isnull=True) | Q(organisation=organisation)
    return ImportCatalogue(
        domains={domain.code.upper(): domain for domain in Domain.objects.all()},
        entities={entity.name.casefold(): entity for entity in LegalEntity.objects.filter(visible)},
        products={
            product.name.casefold(): product for product in Product.objects.filter(visible).select_related("publisher")
        },
    )


#: What scoring and listing a component reads besides the component itself.
COMPONENT_JOINS = ("organisation", "domain", "product__publisher", "operator", "hosting_provider")


def component_list(*, user: User) -> QuerySet[Component]:
    return (
        Component.objects.readable_by(user)
        .select_related(*COMPONENT_JOINS, "strategy_owner")
        .prefetch_related(
            Prefetch("product__alternatives", queryset=Product.objects.only("id", "key", "name", "licence_model"))
        )
        .order_by("domain__code", "name")
    )


def organisation_components(
    *, user: User, organisation: Organisation, domain_code: str = "", strategy: str = ""
) -> QuerySet[Component]:
    """The components of one organisation the user reads, optionally of one domain or strategy."""
    components = component_list(user=user).filter(organisation=organisation)
    if domain_code:
        components = components.filter(domain__code=domain_code)
    if strategy:
        components = components.filter(strategy=strategy)
    return components


def products_with_alternatives(*, user: User) -> QuerySet[Product]:
    return product_list(user=user).filter(alternatives__isnull=False).distinct().order_by("name")


def component_get(*, user: User, pk: int) -> Component:
    return component_list(user=user).get(pk=pk)


def with_score(
    components: QuerySet[Component, Row], *, today: datetime.date, exposure: str = "", dependency_class: str = ""
) -> QuerySet[Component, Row]:
    """The components whose exposure and dependency class (as text, from a query string) match.
    Generic in the row type for DRF's ``filter_queryset``; the rows are components (no ``values()``)."""
    if not (exposure or dependency_class):
        return components
    keep = [
        item.component.pk
        for item in scored(cast("QuerySet[Component]", components), today=today)
        if (not exposure or str(item.exposure) == exposure)
        and (not dependency_class or str(item.score.dependency_class) == dependency_class)
    ]
    return components.filter(pk__in=keep)


def readable_organisation_or_none(*, user: User, organisation_id: int) -> Organisation | None:
    return Organisation.objects.readable_by(user).filter(pk=organisation_id).first()


def sharing_of(organisation: Organisation) -> DependencySharing | None:
    return DependencySharing.objects.filter(organisation=organisation).first()


class EntityChains:
    """Legal entities' ownership chains, resolved in memory: every entity in one query, or, given
    ``entity_ids``, those entities and their ancestors only, one query per generation of parents."""

    def __init__(self, entity_ids: Iterable[int | None] | None = None) -> None:
        rows = LegalEntity.objects.values_list("pk", "name", "country", "parent_id")
        self._entities: dict[int, tuple[str, str, int | None]] = {}
        if entity_ids is None:
            self._entities = {pk: (name, country, parent) for pk, name, country, parent in rows}
            return
        wanted = {entity_id for entity_id in entity_ids if entity_id is not None}
        while wanted:
            found = {
                pk: (name, country, parent)
                for pk, name, country, parent in rows.filter(pk__in=sorted(wanted)).order_by()
            }
            self._entities.update(found)
            wanted = {parent for _name, _country, parent in found.values() if parent is not None} - set(self._entities)

    @classmethod
    def for_components(cls, components: Iterable[Component]) -> EntityChains:
        """The chains of the entities these components name (publisher, operator, host), nothing more."""
        return cls(entity_id for component in components for entity_id in entity_ids_of(component))

    @property
    def loaded_ids(self) -> set[int]:
        return set(self._entities)

    def chain(self, entity_id: int) -> list[tuple[str, str]]:
        chain: list[tuple[str, str]] = []
        seen: set[int] = set()
        current: int | None = entity_id
        while current is not None and current in self._entities and current not in seen:
            seen.add(current)
            name, country, parent = self._entities[current]
            chain.append((name, country))
            current = parent
        return chain

    def party(self, entity_id: int | None) -> rules.Party | None:
        if entity_id is None:
            return None
        chain = self.chain(entity_id)
        return rules.Party(name=chain[0][0], country=chain[0][1], ultimate_country=chain[-1][1])

    def ultimate_name(self, entity_id: int) -> str:
        return self.chain(entity_id)[-1][0]


@dataclass(frozen=True)
class ScoredComponent:
    component: Component
    derived_exposure: rules.Exposure
    exposure: int  # the override when one is recorded
    score: rules.DependencyScore


SECNUMCLOUD = "secnumcloud"


def _secnumcloud_valid(component: Component, today: datetime.date) -> bool:
    for certification in component.certifications or []:
        scheme = str(certification.get("scheme", "")).replace(" ", "").lower()
        valid_until = certification.get("valid_until")
        if scheme == SECNUMCLOUD and (not valid_until or str(valid_until) >= today.isoformat()):
            return True
    return False


def score_component(component: Component, chains: EntityChains, *, today: datetime.date) -> ScoredComponent:
    product = component.product
    derived = rules.derive_exposure(
        rules.Chain(
            deployment=component.deployment,
            open_source=product.is_open_source,
            publisher=chains.party(product.publisher_id),
            operator=chains.party(component.operator_id),
            host=chains.party(component.hosting_provider_id),
            data_country=component.data_country,
            secnumcloud=_secnumcloud_valid(component, today),
        )
    )
    level = component.exposure_override if component.exposure_override is not None else derived.level
    answers = rules.LockInAnswers(
        full_export_open_formats=component.full_export_open_formats,
        open_standards_apis=component.open_standards_apis,
        alternative_exists=component.alternative_exists,
        dependent_components=component.dependent_components,
        reversibility=component.reversibility,
    )
    score = rules.dependency_score(
        criticality=rules.criticality(
            continuity=component.criticality,
            sensitivity=component.data_sensitivity,
            legal_obligation=component.legal_obligation,
        ),
        exposure=level,
        lock_in=rules.lock_in(answers),
        sensitivity=component.data_sensitivity,
        alternative_exists=component.alternative_exists,
    )
    return ScoredComponent(component, derived, level, score)


def entity_ids_of(component: Component) -> tuple[int | None, ...]:
    return (component.product.publisher_id, component.operator_id, component.hosting_provider_id)


def scored(components: QuerySet[Component] | list[Component], *, today: datetime.date) -> list[ScoredComponent]:
    components = list(components)
    chains = EntityChains.for_components(components)
    return [score_component(component, chains, today=today) for component in components]


def records(
    scored_components: list[ScoredComponent], chains: EntityChains | None = None
) -> list[indexing.ComponentRecord]:
    chains = chains or EntityChains.for_components(item.component for item in scored_components)
    return [
        indexing.ComponentRecord(
            component_id=item.component.pk,
            name=item.component.name,
            domain=item.component.domain.code,
            annual_cost_eur=item.component.annual_cost_eur,
            score=item.score.score,
            exposure=item.exposure,
            criticality=item.score.criticality,
            open_source=item.component.product.is_open_source,
            ultimate_vendor=chains.ultimate_name(item.component.operator_id or item.component.product.publisher_id),
            contract_end=item.component.contract_end,
            strategy=item.component.strategy,
        )
        for item in scored_components
    ]


def shared_children(organisation: Organisation) -> QuerySet[Organisation]:
    """Member communes that opted in to share an anonymised profile with this intercommunality."""
    return Organisation.objects.filter(parent=organisation, dependency_sharing__share_with_parent=True)


def shared_children_count(organisation: Organisation) -> int:
    """How many member communes share their profile (no count query for an organisation without any)."""
    return shared_children(organisation).count() if organisation.children.exists() else 0


def shared_components(organisation: Organisation) -> QuerySet[Component]:
    """The components of the member communes that share their profile with this intercommunality."""
    return Component.objects.filter(organisation__in=shared_children(organisation)).select_related(*COMPONENT_JOINS)


# --- As of a date (quarterly reports read the history tables) ---------------------------------------


@dataclass(frozen=True)
class ComponentsAsOf:
    """The components of some organisations at several moments, scored, with the ownership chains they name."""

    scored: dict[datetime.datetime, list[ScoredComponent]]
    chains: EntityChains

    def at(self, moment: datetime.datetime, organisation_id: int | None = None) -> list[ScoredComponent]:
        """The components at ``moment``, of one of the organisations when it is given."""
        found = self.scored[moment]
        if organisation_id is None:
            return found
        return [item for item in found if item.component.organisation_id == organisation_id]

    def records(self, moment: datetime.datetime, organisation_id: int | None = None) -> list[indexing.ComponentRecord]:
        return records(self.at(moment, organisation_id), self.chains)


def components_as_of_for(*, organisation_ids: list[int], moments: Iterable[datetime.datetime]) -> ComponentsAsOf:
    """Components as they stood at each moment, scored with today's catalogue of entities and products: one
    query per distinct moment, then the products with their alternatives, the domains and the legal entities
    the components name with their parents (one query per generation), whatever the number of organisations."""
    found = {
        as_of: list(Component.history.as_of(as_of).filter(organisation_id__in=organisation_ids))
        for as_of in dict.fromkeys(moments)
    }
    components = [component for at_moment in found.values() for component in at_moment]
    products = {
        product.pk: product
        for product in Product.objects.filter(pk__in={c.product_id for c in components})
        .select_related("publisher")
        .prefetch_related("alternatives")
    }
    domains = {domain.pk: domain for domain in Domain.objects.all()}
    chains = EntityChains(
        entity_ids={
            *(product.publisher_id for product in products.values()),
            *(component.operator_id for component in components),
            *(component.hosting_provider_id for component in components),
        }
    )
    scored: dict[datetime.datetime, list[ScoredComponent]] = {}
    for as_of, at_moment in found.items():
        for component in at_moment:
            component.product = products[component.product_id]
            component.domain = domains[component.domain_id]
        scored[as_of] = [score_component(component, chains, today=as_of.date()) for component in at_moment]
    return ComponentsAsOf(scored, chains)


def component_list_unscoped(*, organisation_ids: list[int]) -> QuerySet[Component]:
    """Components of organisations the caller has already checked the user may read."""
    return Component.objects.filter(organisation_id__in=organisation_ids).select_related(*COMPONENT_JOINS)
