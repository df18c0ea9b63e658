"""Report fixtures: data written through the pillars' services, then dated in a past quarter by
re-dating its history, since a report reads each pillar as it stood at the quarter's end."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from controls import services as controls_services
from controls.models import Assessment, Framework, RequirementAssessment
from dependencies import services as dependency_services
from dependencies.models import Component
from incidents.models import Incident, Obligation
from nis2.demo import spread_history
from nis2.models import Organisation
from nis2.periods import Quarter
from tests.dependencies.factories import ProductFactory, domain
from tests.incidents.factories import significant_incident
from tests.reports.lake_writing import quarter_assessment


@pytest.fixture
def rated_assessment() -> Callable[..., Assessment]:
    """``rated_assessment(organisation, framework, quarter, levels, actor, rated_between=(start, end))``:
    the quarter's assessment created and rated through the services (``levels`` maps a requirement
    ref to its current level, None leaving it unrated), its history re-dated between the two moments."""

    def make(
        organisation: Organisation,
        framework: Framework,
        quarter: Quarter,
        levels: dict[str, int | None],
        actor: Any,
        rated_between: tuple[datetime.datetime, datetime.datetime],
    ) -> Assessment:
        assessment = quarter_assessment(organisation, framework, quarter, actor)
        for ref, level in levels.items():
            if level is not None:
                item = assessment.items.get(requirement__ref=ref)
                controls_services.item_update(
                    item=item, expected_version=item.version, actor=actor, current_level=level
                )
        start, end = rated_between
        spread_history(list(Assessment.history.filter(id=assessment.pk)), start, end)
        spread_history(list(RequirementAssessment.history.filter(assessment_id=assessment.pk)), start, end)
        return assessment

    return make


@pytest.fixture
def past_incident() -> Callable[..., Incident]:
    """``past_incident(organisation, actor, detected_at, significant=True)``: an incident declared through
    the service, its history and its reports' history re-dated over the day after detection."""

    def make(
        organisation: Organisation,
        actor: Any,
        detected_at: datetime.datetime,
        *,
        significant: bool = True,
        **fields: Any,
    ) -> Incident:
        values: dict[str, Any] = {"detected_at": detected_at, "aware_at": detected_at + datetime.timedelta(hours=2)}
        if not significant:
            values.update(significant="no", significant_justification="Aucun service interrompu.", severity="low")
        incident = significant_incident(organisation, actor=actor, **{**values, **fields})
        end = detected_at + datetime.timedelta(days=1)
        spread_history(list(Incident.history.filter(id=incident.pk)), detected_at, end)
        for obligation in incident.obligations.all():
            spread_history(list(Obligation.history.filter(id=obligation.pk)), detected_at, end)
        return incident

    return make


@pytest.fixture
def past_component() -> Callable[..., Component]:
    """``past_component(organisation, actor, name, exposure, criticality, cost, recorded_at)``: a component
    recorded through the service with its exposure overridden (so its score is known by hand), its
    history re-dated to ``recorded_at``. With every lock-in answer unfavourable but one, lock-in is 3."""

    def make(
        organisation: Organisation,
        actor: Any,
        name: str,
        *,
        exposure: int,
        criticality: int,
        cost: int,
        recorded_at: datetime.datetime | None,
    ) -> Component:
        component = dependency_services.component_create(
            organisation=organisation,
            actor=actor,
            name=name,
            domain=domain(),
            product=ProductFactory(),
            deployment="vendor_saas",
            criticality=criticality,
            annual_cost_eur=Decimal(cost),
            exposure_override=exposure,
            exposure_override_justification="Exposition établie par l'analyse du contrat.",
        )
        if recorded_at is not None:
            spread_history(
                list(Component.history.filter(id=component.pk)), recorded_at, recorded_at + datetime.timedelta(hours=1)
            )
        return component

    return make
