"""Report fixtures: data written through the pillars' services, then dated in a past quarter by
re-dating its history, since a report reads each pillar as it stood at the quarter's end."""

import datetime
import io
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from controls import services as controls_services
from controls.models import Assessment, Framework, RequirementAssessment
from dependencies import services as dependency_services
from dependencies.models import Component
from incidents import services as incident_services
from incidents.models import Incident, Obligation
from nis2.clock import PARIS
from nis2.demo import spread_history
from nis2.models import Membership, Organisation
from nis2.periods import Quarter
from nis2.roles import Role
from tests.dependencies.factories import ProductFactory, domain
from tests.incidents.factories import significant_incident

FRENCH_PO = Path(django_settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
Q2 = Quarter(2026, 2)
Q3 = Quarter(2026, 3)


def paris(month: int, day: int, hour: int = 9, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=PARIS)


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, whitespace (line wrapping included) collapsed to single spaces."""
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def one_line(value: str) -> str:
    return " ".join(value.split())


@pytest.fixture
def security_officer(organisation: Organisation, member_of: Callable[..., Membership]) -> Membership:
    return member_of(organisation, Role.SECURITY_OFFICER, username="rssi")


@pytest.fixture
def officer_api(security_officer: Membership, api_client_for: Callable[..., APIClient]) -> APIClient:
    return api_client_for(security_officer.user)


@pytest.fixture(scope="session")
def _french_catalogue_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The French catalogue compiled from the .po file, as `make test` does before running pytest."""
    directory = tmp_path_factory.mktemp("locale")
    (directory / "fr" / "LC_MESSAGES").mkdir(parents=True)
    subprocess.run(
        ["msgfmt", "-o", str(directory / "fr" / "LC_MESSAGES" / "django.mo"), str(FRENCH_PO)],
        check=True,
        capture_output=True,
    )
    return directory


@pytest.fixture
def french_catalogue(settings: Any, _french_catalogue_directory: Path) -> None:
    """French texts from the current .po file, whether or not django.mo was recompiled after its last edit."""
    settings.LOCALE_PATHS = [_french_catalogue_directory]


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
        assessment = controls_services.assessment_create(
            organisation=organisation,
            framework=framework,
            label=quarter.label_fr.replace(" ", "-"),
            period_start=quarter.start,
            period_end=quarter.end,
            actor=actor,
        )
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


def close_incident(incident: Incident, actor: Any) -> Incident:
    """Record an explained root cause, then resolve and close the incident (today)."""
    incident = incident_services.incident_update(
        incident=incident, actor=actor, root_cause_category="human_error", root_cause="Erreur de manipulation."
    )
    incident = incident_services.incident_transition(incident=incident, status="resolved", actor=actor)
    return incident_services.incident_transition(incident=incident, status="closed", actor=actor)
