"""Reporting obligations through the API: the intermediate report the authority requests, and the times
that do not exist or happen twice on the Paris clock."""

import datetime

import pytest
from django.urls import reverse

from incidents import services
from incidents.models import Filing, Incident, Obligation, TimelineEntry
from tests.api_errors import error_fields, error_messages
from tests.incidents.api_calls import api_time, incident_url, obligation_url
from tests.incidents.factories import significant_incident
from tests.incidents.obligation_calls import HOUR, _incident, _obligations, _payload

pytestmark = pytest.mark.django_db


def test_intermediate_report_exists_when_the_authority_asks(officer_api, security_officer, organisation, now) -> None:
    # Recorded through the service: POST .../obligations/ answers 500 after creating it (bug reported).
    incident = _incident(organisation, security_officer.user, now, aware_hours_ago=10)
    requested_at, due_at = now - HOUR, now + 47 * HOUR

    services.obligation_request_intermediate(
        incident=incident,
        actor=security_officer.user,
        requested_at=requested_at,
        due_at=due_at,
        note="Demande du CERT-FR",
    )
    listed = officer_api.get(incident_url(incident, "obligations")).json()

    [intermediate] = [row for row in listed if row["step"] == "intermediate"]
    assert (
        api_time(intermediate["window_start"]),
        api_time(intermediate["due_at"]),
        api_time(intermediate["requested_at"]),
        intermediate["request_note"],
        intermediate["authority"],
        intermediate["status"],
    ) == (requested_at, due_at, requested_at, "Demande du CERT-FR", "anssi", "pending")
    assert incident.timeline.get(kind=TimelineEntry.Kind.COMMUNICATION).text == (
        "Intermediate report requested by ANSSI / CERT-FR."
    )
    services.incident_sync_obligations(incident=incident)
    assert Obligation.objects.filter(incident=incident, step="intermediate").count() == 1


def test_intermediate_report_due_before_the_request_is_refused(
    officer_api, security_officer, organisation, now
) -> None:
    incident = _incident(organisation, security_officer.user, now, aware_hours_ago=10)

    response = officer_api.post(
        incident_url(incident, "obligations"),
        {"requested_at": (now - HOUR).isoformat(), "due_at": (now - 2 * HOUR).isoformat()},
        format="json",
    )

    assert response.status_code == 400
    assert error_fields(response) == ["due_at"]
    assert not Obligation.objects.filter(incident=incident, step="intermediate").exists()


@pytest.mark.parametrize(
    ("detected_at", "message_part"),
    [
        pytest.param("2026-03-29T02:30", "does not exist in Europe/Paris", id="spring-gap"),
        pytest.param("2026-10-25T02:30", "happens twice in Europe/Paris", id="fall-back-overlap"),
    ],
)
def test_naive_times_that_do_not_exist_or_happen_twice_are_refused(
    officer_api, organisation, now, detected_at, message_part
) -> None:
    payload = _payload(organisation, now, detected_at=detected_at, aware_at=None, significant="unknown")

    response = officer_api.post(reverse("incident-list"), payload, format="json")

    assert response.status_code == 400
    assert error_fields(response) == ["detected_at"]
    assert message_part in error_messages(response)[0]
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("detected_at", "expected"),
    [
        pytest.param(
            "2026-03-29T02:30+01:00", datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC), id="gap-+01"
        ),
        pytest.param(
            "2026-10-25T02:30+02:00", datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC), id="overlap-+02"
        ),
        pytest.param(
            "2026-10-25T02:30+01:00", datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC), id="overlap-+01"
        ),
        pytest.param("2026-11-20T10:00", datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC), id="naive-winter"),
    ],
)
def test_explicit_offsets_are_accepted(officer_api, organisation, now, detected_at, expected) -> None:
    payload = _payload(organisation, now, detected_at=detected_at, aware_at=None, significant="unknown")

    response = officer_api.post(reverse("incident-list"), payload, format="json")

    assert response.status_code == 201, response.json()
    assert Incident.objects.get().detected_at == expected


def test_naive_filing_time_in_the_gap_is_refused(officer_api, security_officer, organisation) -> None:
    incident = significant_incident(organisation, actor=security_officer.user)
    early_warning = _obligations(incident.pk)["early_warning"]

    response = officer_api.patch(obligation_url(early_warning), {"submitted_at": "2026-03-29T02:30"}, format="json")

    assert response.status_code == 400
    assert error_fields(response) == ["submitted_at"]
    assert not Filing.objects.exists()
