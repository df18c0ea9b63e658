"""Reads of the dependency map: scoped components, their derived exposure and score, and the index."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, QuerySet

from dependencies import exposure as rules
from dependencies import indexing
from dependencies.models import Component, Domain, LegalEntity, Product
from nis2.models import Organisation

User = AbstractBaseUser | AnonymousUser


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


def component_list(*, user: User) -> QuerySet[Component]:
    return (
        Component.objects.readable_by(user)
        .select_related(
            "organisation", "domain", "product__publisher", "operator", "hosting_provider", "strategy_owner"
        )
        .prefetch_related(
            Prefetch("product__alternatives", queryset=Product.objects.only("id", "key", "name", "licence_model"))
        )
        .order_by("domain__code", "name")
    )


class EntityChains:
    """Every legal entity's ultimate parent, resolved in memory from one query."""

    def __init__(self) -> None:
        self._entities = {
            pk: (name, country, parent)
            for pk, name, country, parent in LegalEntity.objects.values_list("pk", "name", "country", "parent_id")
        }

    def chain(self, entity_id: int) -> list[tuple[str, str]]:
        chain, seen, current = [], set(), entity_id
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


def scored(components: QuerySet[Component] | list[Component], *, today: datetime.date) -> list[ScoredComponent]:
    chains = EntityChains()
    return [score_component(component, chains, today=today) for component in components]


def records(
    scored_components: list[ScoredComponent], chains: EntityChains | None = None
) -> list[indexing.ComponentRecord]:
    chains = chains or EntityChains()
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


# --- As of a date (quarterly reports read the history tables) ---------------------------------------


def components_as_of(*, organisation_ids: list[int], as_of: datetime.datetime) -> list[ScoredComponent]:
    """Components as they stood at ``as_of``, scored with today's catalogue of entities and products."""
    components = list(Component.history.as_of(as_of).filter(organisation_id__in=organisation_ids))
    products = {
        product.pk: product
        for product in Product.objects.filter(pk__in={c.product_id for c in components})
        .select_related("publisher")
        .prefetch_related("alternatives")
    }
    domains = {domain.pk: domain for domain in Domain.objects.all()}
    chains = EntityChains()
    scored_components = []
    for component in components:
        component.product = products[component.product_id]
        component.domain = domains[component.domain_id]
        scored_components.append(score_component(component, chains, today=as_of.date()))
    return scored_components


def component_list_unscoped(*, organisation_ids: list[int]) -> QuerySet[Component]:
    """Components of organisations the caller has already checked the user may read."""
    return Component.objects.filter(organisation_id__in=organisation_ids).select_related(
        "organisation", "domain", "product__publisher", "operator", "hosting_provider"
    )
