"""Incident statuses and verdicts through the API, and the timeline they write, append only."""

import datetime

import pytest
from django.urls import NoReverseMatch, reverse

from incidents import services
from incidents.models import Incident
from nis2.clock import PARIS
from tests.api_errors import error_fields, error_messages
from tests.incidents.api_calls import incident_url
from tests.incidents.factories import IncidentFactory


@pytest.mark.django_db
def test_every_status_change_is_written_in_the_timeline(officer_api, security_officer, organisation) -> None:
    incident = IncidentFactory(
        organisation=organisation,
        root_cause_category="system_failure",
        root_cause="Disque du contrôleur de domaine défaillant.",
    )
    path = [
        ("investigating", "2026-11-20T10:00:00+01:00"),
        ("contained", "2026-11-20T12:00:00+01:00"),
        ("resolved", "2026-11-21T09:00:00+01:00"),
        ("closed", "2026-11-22T18:00:00+01:00"),
    ]

    for status, at in path:
        response = officer_api.post(incident_url(incident, "transition"), {"status": status, "at": at}, format="json")
        assert response.status_code == 200, response.json()

    entries = incident.timeline.filter(kind="status_change").order_by("occurred_at")
    assert [(entry.occurred_at, entry.text, entry.author) for entry in entries] == [
        (datetime.datetime(2026, 11, 20, 10, tzinfo=PARIS), "Status: New → Investigating.", security_officer.user),
        (
            datetime.datetime(2026, 11, 20, 12, tzinfo=PARIS),
            "Status: Investigating → Contained.",
            security_officer.user,
        ),
        (datetime.datetime(2026, 11, 21, 9, tzinfo=PARIS), "Status: Contained → Resolved.", security_officer.user),
        (datetime.datetime(2026, 11, 22, 18, tzinfo=PARIS), "Status: Resolved → Closed.", security_officer.user),
    ]
    incident.refresh_from_db()
    assert (incident.contained_at, incident.resolved_at, incident.closed_at) == (
        datetime.datetime(2026, 11, 20, 12, tzinfo=PARIS),
        datetime.datetime(2026, 11, 21, 9, tzinfo=PARIS),
        datetime.datetime(2026, 11, 22, 18, tzinfo=PARIS),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "expected_message"),
    [
        pytest.param("closed", "An incident cannot go from “New” to “Closed”.", id="new-to-closed"),
        pytest.param("new", "An incident cannot go from “New” to “New”.", id="new-to-new"),
    ],
)
def test_forbidden_transition_is_refused(officer_api, organisation, status, expected_message) -> None:
    incident = IncidentFactory(organisation=organisation)

    response = officer_api.post(incident_url(incident, "transition"), {"status": status}, format="json")

    assert response.status_code == 400
    assert error_messages(response) == [expected_message]
    incident.refresh_from_db()
    assert incident.status == "new"
    assert incident.timeline.count() == 0


@pytest.mark.django_db
def test_unknown_status_is_refused(officer_api, organisation) -> None:
    incident = IncidentFactory(organisation=organisation)

    response = officer_api.post(incident_url(incident, "transition"), {"status": "archived"}, format="json")

    assert response.status_code == 400
    assert error_fields(response) == ["status"]
    incident.refresh_from_db()
    assert incident.status == "new"


@pytest.mark.django_db
def test_verdict_change_is_written_in_the_timeline(officer_api, security_officer, organisation) -> None:
    incident = IncidentFactory(organisation=organisation, aware_at=datetime.datetime(2026, 10, 5, 10, tzinfo=PARIS))

    response = officer_api.patch(
        incident_url(incident),
        {"significant": "yes", "significant_justification": "Paie des agents bloquée."},
        format="json",
    )

    assert response.status_code == 200, response.json()
    [entry] = incident.timeline.filter(kind="verdict_change")
    assert (entry.text, entry.author) == ("Significant: Yes. Paie des agents bloquée.", security_officer.user)
    assert incident.timeline.filter(kind="status_change").count() == 0


@pytest.mark.django_db
def test_unchanged_verdict_writes_nothing(officer_api, organisation) -> None:
    incident = IncidentFactory(organisation=organisation)

    response = officer_api.patch(incident_url(incident), {"title": "Panne du standard"}, format="json")

    assert response.status_code == 200, response.json()
    assert incident.timeline.count() == 0


@pytest.mark.django_db
def test_awareness_over_24_hours_after_detection_needs_a_justification(officer_api, organisation, now) -> None:
    payload = {
        "organisation": organisation.pk,
        "title": "Fuite de données de l'état civil",
        "category": "information-content-security",
        "detected_at": (now - datetime.timedelta(hours=50)).isoformat(),
        "aware_at": (now - datetime.timedelta(hours=25)).isoformat(),
        "significant": "yes",
    }

    refused = officer_api.post(reverse("incident-list"), payload, format="json")

    assert refused.status_code == 400
    assert error_fields(refused) == ["awareness_delay_justification"]
    assert Incident.objects.count() == 0

    accepted = officer_api.post(
        reverse("incident-list"),
        {**payload, "awareness_delay_justification": "Qualification attendue du prestataire d'infogérance."},
        format="json",
    )

    assert accepted.status_code == 201, accepted.json()
    assert Incident.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_timeline_is_append_only(officer_api, security_officer, organisation, method) -> None:
    incident = IncidentFactory(organisation=organisation)
    entry = services.timeline_add(incident=incident, actor=security_officer.user, kind="note", text="Appel du maire.")

    response = getattr(officer_api, method)(incident_url(incident, "timeline"), {"text": "Effacé"}, format="json")

    assert response.status_code == 405
    entry.refresh_from_db()
    assert (entry.kind, entry.text) == ("note", "Appel du maire.")
    assert incident.timeline.count() == 1


def test_timeline_entries_have_no_route_of_their_own() -> None:
    with pytest.raises(NoReverseMatch):
        reverse("incident-timeline-detail", args=[1, 1])


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["status_change", "verdict_change", "filing"])
def test_entries_written_by_rempart_cannot_be_posted(officer_api, organisation, kind) -> None:
    incident = IncidentFactory(organisation=organisation)

    response = officer_api.post(
        incident_url(incident, "timeline"), {"kind": kind, "text": "Rapport final envoyé."}, format="json"
    )

    assert response.status_code == 400
    assert error_fields(response) == ["kind"]
    assert incident.timeline.count() == 0


@pytest.mark.django_db
def test_investigation_step_is_posted_and_listed(officer_api, security_officer, organisation) -> None:
    incident = IncidentFactory(organisation=organisation)

    created = officer_api.post(
        incident_url(incident, "timeline"),
        {"kind": "investigation", "text": "Image disque du poste du DGS.", "occurred_at": "2026-11-20T09:15"},
        format="json",
    )
    listed = officer_api.get(incident_url(incident, "timeline"))

    assert created.status_code == 201, created.json()
    assert created.json()["occurred_at"] == "2026-11-20T09:15:00+01:00"
    assert [(row["kind"], row["text"], row["author"]) for row in listed.json()["results"]] == [
        ("investigation", "Image disque du poste du DGS.", security_officer.user.username)
    ]
