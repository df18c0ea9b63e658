"""Incident statuses, the awareness-delay rule and the closing rule: pure rules, then through the API."""

import datetime

import pytest
from django.urls import NoReverseMatch, reverse

from incidents import lifecycle, services
from incidents.lifecycle import RootCauseFacts
from incidents.models import Incident
from nis2.clock import PARIS
from tests.api_errors import error_fields, error_messages
from tests.incidents.api_calls import incident_url
from tests.incidents.factories import IncidentFactory

STATUSES = ["new", "investigating", "contained", "resolved", "closed"]
ALLOWED = {
    ("new", "investigating"),
    ("new", "contained"),
    ("new", "resolved"),
    ("investigating", "contained"),
    ("investigating", "resolved"),
    ("contained", "investigating"),
    ("contained", "resolved"),
    ("resolved", "investigating"),
    ("resolved", "closed"),
}


@pytest.mark.parametrize(
    ("current", "target"),
    [
        pytest.param(current, target, id=f"{current}-to-{target}")
        for current in STATUSES
        for target in STATUSES
        if current != target
    ],
)
def test_transition_table(current: str, target: str) -> None:
    assert lifecycle.transition_allowed(current, target) is ((current, target) in ALLOWED)


@pytest.mark.parametrize("status", STATUSES)
def test_no_transition_to_the_same_status(status: str) -> None:
    assert lifecycle.transition_allowed(status, status) is False


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(RootCauseFacts("", "", "", 3), ["root_cause_missing"], id="no-root-cause"),
        pytest.param(
            RootCauseFacts("malicious_action", "  ", "", 0), ["root_cause_not_explained"], id="identified-not-explained"
        ),
        pytest.param(RootCauseFacts("malicious_action", "Hameçonnage du DGS", "", 0), [], id="identified-explained"),
        pytest.param(
            RootCauseFacts("undetermined", "", "", 0),
            ["undetermined_not_justified", "undetermined_not_investigated"],
            id="undetermined-neither-justified-nor-investigated",
        ),
        pytest.param(
            RootCauseFacts("undetermined", "", "Journaux écrasés", 0),
            ["undetermined_not_investigated"],
            id="undetermined-justified-not-investigated",
        ),
        pytest.param(
            RootCauseFacts("undetermined", "", " ", 1),
            ["undetermined_not_justified"],
            id="undetermined-investigated-blank-justification",
        ),
        pytest.param(
            RootCauseFacts("undetermined", "", "Journaux écrasés", 1), [], id="undetermined-justified-and-investigated"
        ),
    ],
)
def test_closing_problems(facts: RootCauseFacts, expected: list[str]) -> None:
    assert lifecycle.closing_problems(facts) == expected


DETECTED = datetime.datetime(2026, 5, 4, 8, 0, tzinfo=PARIS)  # 30 days later is still summer time


@pytest.mark.parametrize(
    ("detected_at", "aware_at", "expected"),
    [
        # Same wall-clock time the next day, but 25 elapsed hours across the autumn change.
        pytest.param(
            datetime.datetime(2026, 10, 24, 8, 0, tzinfo=PARIS),
            datetime.datetime(2026, 10, 25, 8, 0, tzinfo=PARIS),
            True,
            id="autumn-25-elapsed-hours",
        ),
        # 24 h 30 on the wall clock, but 23 h 30 elapsed across the spring change.
        pytest.param(
            datetime.datetime(2026, 3, 28, 8, 0, tzinfo=PARIS),
            datetime.datetime(2026, 3, 29, 8, 30, tzinfo=PARIS),
            False,
            id="spring-23-and-a-half-elapsed-hours",
        ),
    ],
)
def test_awareness_delay_counts_elapsed_hours_across_daylight_saving(detected_at, aware_at, expected) -> None:
    assert lifecycle.awareness_needs_justification(detected_at, aware_at) is expected


@pytest.mark.parametrize(
    ("aware_at", "expected"),
    [
        pytest.param(None, False, id="not-aware-yet"),
        pytest.param(DETECTED + datetime.timedelta(hours=6), False, id="six-hours"),
        pytest.param(DETECTED + datetime.timedelta(hours=24), False, id="exactly-24-hours"),
        pytest.param(DETECTED + datetime.timedelta(hours=24, minutes=1), True, id="24-hours-and-a-minute"),
    ],
)
def test_awareness_long_after_detection_needs_a_justification(aware_at, expected) -> None:
    assert lifecycle.awareness_needs_justification(DETECTED, aware_at) is expected


@pytest.mark.parametrize(
    ("aware_at", "identified", "now", "expected"),
    [
        pytest.param(DETECTED, False, DETECTED + datetime.timedelta(days=30), False, id="exactly-30-days"),
        pytest.param(DETECTED, False, DETECTED + datetime.timedelta(days=30, seconds=1), True, id="past-30-days"),
        pytest.param(DETECTED, True, DETECTED + datetime.timedelta(days=90), False, id="cause-identified"),
        pytest.param(None, False, DETECTED + datetime.timedelta(days=31), True, id="from-detection-without-awareness"),
        pytest.param(
            DETECTED + datetime.timedelta(days=5),
            False,
            DETECTED + datetime.timedelta(days=31),
            False,
            id="counted-from-awareness",
        ),
    ],
)
def test_cause_unknown_too_long(aware_at, identified, now, expected) -> None:
    result = lifecycle.cause_unknown_too_long(
        aware_at=aware_at, detected_at=DETECTED, root_cause_identified=identified, now=now
    )

    assert result is expected


# --- Through the API --------------------------------------------------------------------------------


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
