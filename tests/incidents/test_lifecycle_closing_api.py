"""The closing rule through the API: a root cause, explained or investigated, before an incident closes."""

import datetime

import pytest

from incidents import services
from incidents.models import Incident
from nis2.clock import PARIS
from tests.api_errors import error_fields, error_messages
from tests.incidents.api_calls import incident_url
from tests.incidents.factories import IncidentFactory


@pytest.fixture
def resolved_incident(organisation, security_officer) -> Incident:
    incident = IncidentFactory(organisation=organisation, title="Panne de la messagerie")
    services.incident_transition(incident=incident, status="resolved", actor=security_officer.user)
    incident.refresh_from_db()
    return incident


def closing_message(problem: str) -> str:
    """The refusal for ``problem``. Compared with the service's own text because that text is translated
    once, at import, in the default language (French): an English client gets it in French (bug reported)."""
    return str(services.CLOSING_MESSAGES[problem])


def _timeline_kinds(incident: Incident) -> list[str]:
    return list(incident.timeline.order_by("pk").values_list("kind", flat=True))


def _investigate(incident: Incident, actor) -> None:
    services.timeline_add(
        incident=incident, actor=actor, kind="investigation", text="Analyse des journaux du pare-feu."
    )


@pytest.mark.django_db
def test_closing_without_root_cause_is_refused(officer_api, resolved_incident) -> None:
    entries_before = _timeline_kinds(resolved_incident)

    response = officer_api.post(incident_url(resolved_incident, "transition"), {"status": "closed"}, format="json")

    assert response.status_code == 400
    assert error_fields(response) == ["status"]
    assert error_messages(response) == [closing_message("root_cause_missing")]
    resolved_incident.refresh_from_db()
    assert (resolved_incident.status, resolved_incident.closed_at) == ("resolved", None)
    assert _timeline_kinds(resolved_incident) == entries_before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("justification", "investigated", "problem"),
    [
        pytest.param("", True, "undetermined_not_justified", id="without-justification"),
        pytest.param(
            "Journaux écrasés par le rançongiciel.",
            False,
            "undetermined_not_investigated",
            id="without-investigation-step",
        ),
    ],
)
def test_closing_with_undetermined_cause_needs_justification_and_investigation(
    officer_api, security_officer, resolved_incident, justification, investigated, problem
) -> None:
    services.incident_update(
        incident=resolved_incident,
        actor=security_officer.user,
        root_cause_category="undetermined",
        undetermined_justification=justification,
    )
    if investigated:
        _investigate(resolved_incident, security_officer.user)
    entries_before = _timeline_kinds(resolved_incident)

    response = officer_api.post(incident_url(resolved_incident, "transition"), {"status": "closed"}, format="json")

    assert response.status_code == 400
    assert error_messages(response) == [closing_message(problem)]
    resolved_incident.refresh_from_db()
    assert (resolved_incident.status, resolved_incident.closed_at) == ("resolved", None)
    assert _timeline_kinds(resolved_incident) == entries_before


@pytest.mark.django_db
def test_closing_with_justified_and_investigated_undetermined_cause(
    officer_api, security_officer, resolved_incident
) -> None:
    services.incident_update(
        incident=resolved_incident,
        actor=security_officer.user,
        root_cause_category="undetermined",
        undetermined_justification="Journaux écrasés par le rançongiciel.",
    )
    _investigate(resolved_incident, security_officer.user)

    response = officer_api.post(
        incident_url(resolved_incident, "transition"),
        {"status": "closed", "at": "2026-11-20T17:30:00+01:00"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed"
    resolved_incident.refresh_from_db()
    assert resolved_incident.status == "closed"
    assert resolved_incident.closed_at == datetime.datetime(2026, 11, 20, 17, 30, tzinfo=PARIS)


@pytest.mark.django_db
def test_closing_with_an_explained_identified_cause(officer_api, security_officer, resolved_incident) -> None:
    services.incident_update(
        incident=resolved_incident,
        actor=security_officer.user,
        root_cause_category="human_error",
        root_cause="Règle de pare-feu supprimée par erreur lors d'une maintenance.",
    )

    response = officer_api.post(incident_url(resolved_incident, "transition"), {"status": "closed"}, format="json")

    assert response.status_code == 200, response.json()
    resolved_incident.refresh_from_db()
    assert resolved_incident.status == "closed"
    assert resolved_incident.closed_at is not None


@pytest.mark.django_db
def test_closing_with_an_unexplained_identified_cause_is_refused(
    officer_api, security_officer, resolved_incident
) -> None:
    services.incident_update(incident=resolved_incident, actor=security_officer.user, root_cause_category="human_error")

    response = officer_api.post(incident_url(resolved_incident, "transition"), {"status": "closed"}, format="json")

    assert response.status_code == 400
    assert error_messages(response) == [closing_message("root_cause_not_explained")]
    resolved_incident.refresh_from_db()
    assert resolved_incident.status == "resolved"
