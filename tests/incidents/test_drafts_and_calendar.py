"""Report drafts (JSON and PDF) and the secret ICS feed of pending deadlines."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from incidents import services
from incidents.models import Incident, Obligation
from nis2.clock import UTC
from tests.incidents.factories import CalendarFeedFactory, significant_incident
from tests.nis2.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
TITLE = "Rançongiciel : cœur de réseau chiffré, rançon de 50 000 €"


def _draft_url(incident: Incident, step: str, fmt: str) -> str:
    return reverse("incident-drafts", kwargs={"pk": incident.pk, "step": step, "fmt": fmt})


@pytest.fixture
def incident(organisation, security_officer) -> Incident:
    return significant_incident(organisation, actor=security_officer.user, title=TITLE, description="<b>x</b> & co")


def test_early_warning_draft_lists_the_article_23_4_a_fields(officer_api, incident, organisation) -> None:
    response = officer_api.get(_draft_url(incident, "early_warning", "json"))

    assert response.status_code == 200
    body = response.json()
    assert body["step"] == "early_warning"
    assert {key: field["value"] for key, field in body["fields"].items()} == {
        "organisation": organisation.name,
        "siren": organisation.siren,
        "nis2_status": "Essential entity",
        "contact": "rssi <rssi@ville.example>",
        "title": TITLE,
        "detected_at": "Oct. 5, 2026, 8 a.m. (Europe/Paris)",
        "aware_at": "Oct. 5, 2026, 10 a.m. (Europe/Paris)",
        "category": "Malicious code — Infected system",
        "severity": "Critical",
        "suspected_malicious": "",
        "cross_border": "",
        "description": "<b>x</b> & co",
    }
    assert body["fields"]["suspected_malicious"]["label"] == "Suspected unlawful or malicious act"
    assert body["missing"] == ["Suspected unlawful or malicious act", "Possible cross-border impact"]


def test_draft_missing_list_shrinks_as_facts_are_recorded(officer_api, security_officer, incident) -> None:
    services.incident_update(
        incident=incident,
        actor=security_officer.user,
        suspected_malicious="yes",
        suspected_malicious_justification="Note de rançon sur les postes.",
        cross_border="no",
    )

    body = officer_api.get(_draft_url(incident, "early_warning", "json")).json()

    assert body["fields"]["suspected_malicious"]["value"] == "Yes. Note de rançon sur les postes."
    assert body["fields"]["cross_border"]["value"] == "No."
    assert body["missing"] == []


def test_notification_draft_asks_for_the_impact(officer_api, incident) -> None:
    body = officer_api.get(_draft_url(incident, "notification", "json")).json()

    assert body["missing"] == [
        "Suspected unlawful or malicious act",
        "Possible cross-border impact",
        "Services affected",
        "Users affected",
        "Duration of the disruption (hours)",
        "Geographic spread",
        "Indicators of compromise",
        "Mitigation so far",
    ]


def test_unknown_report_is_not_found(officer_api, incident) -> None:
    assert officer_api.get(_draft_url(incident, "annual_review", "json")).status_code == 404


def test_draft_pdf_renders_accents_and_shows_user_markup_literally(officer_api, incident) -> None:
    response = officer_api.get(_draft_url(incident, "early_warning", "pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="incident-{incident.pk}-early_warning.pdf"'
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert text.startswith(f"DRAFT — to be checked, then filed with ANSSI / CERT-FR\nEarly warning\n{TITLE}\n")
    assert "\nDescription\n<b>x</b> & co\n" in text
    assert "Missing before filing: Suspected unlawful or malicious act, Possible cross-border impact." in text


def test_drafts_of_another_organisation_do_not_exist(api_client_for, member_of, incident) -> None:
    stranger = member_of(OrganisationFactory(), "security_officer")

    response = api_client_for(stranger.user).get(_draft_url(incident, "early_warning", "pdf"))

    assert response.status_code == 404


# --- ICS feed ---------------------------------------------------------------------------------------


def _events(body: str) -> list[dict[str, str]]:
    """VEVENT properties (alarms left out), lines unfolded as RFC 5545 3.1 says."""
    lines = body.replace("\r\n ", "").split("\r\n")
    events, current, depth = [], None, 0
    for line in lines:
        if line == "BEGIN:VEVENT":
            current, depth = {}, 0
        elif line == "BEGIN:VALARM":
            depth += 1
        elif line == "END:VALARM":
            depth -= 1
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None and depth == 0:
            name, _colon, value = line.partition(":")
            current[name] = value
    return events


def _stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@pytest.fixture
def feed(organisation):
    return CalendarFeedFactory(organisation=organisation)


def test_calendar_lists_pending_deadlines_in_utc(client, feed, organisation, security_officer, now) -> None:
    incident = significant_incident(
        organisation,
        actor=security_officer.user,
        title=TITLE,
        detected_at=now - 3 * HOUR,
        aware_at=now - 2 * HOUR,
    )
    obligations = {obligation.step: obligation for obligation in incident.obligations.all()}
    services.obligation_file(
        obligation=obligations["early_warning"], actor=security_officer.user, submitted_at=now - HOUR
    )

    response = client.get(reverse("incident-calendar", kwargs={"token": feed.token}), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    url = f"http://testserver/o/{organisation.pk}/incidents/{incident.pk}/"
    # Still being handled: the report due one month after the notification is the progress report; the
    # final report has no date until the incident is resolved, so it is not in the calendar.
    notification, progress = obligations["notification"], obligations["progress"]
    assert obligations["final"].due_at is None
    assert [
        (event["UID"], event["DTSTART"], event["DTEND"], event["SUMMARY"], event["URL"]) for event in _events(body)
    ] == [
        (
            f"obligation-{notification.pk}@rempart",
            _stamp(now + 70 * HOUR),
            _stamp(now + 70 * HOUR),
            "Incident notification — Rançongiciel : cœur de réseau chiffré\\, rançon de 50 000 €",
            url,
        ),
        (
            f"obligation-{progress.pk}@rempart",
            _stamp(progress.due_at),
            _stamp(progress.due_at),
            "Progress report — Rançongiciel : cœur de réseau chiffré\\, rançon de 50 000 €",
            url,
        ),
    ]
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_calendar_leaves_out_closed_incidents_and_other_organisations(
    client, feed, organisation, security_officer, now
) -> None:
    closed = significant_incident(
        organisation, actor=security_officer.user, detected_at=now - 3 * HOUR, aware_at=now - 2 * HOUR
    )
    Incident.objects.filter(pk=closed.pk).update(status=Incident.Status.CLOSED)
    significant_incident(OrganisationFactory(), detected_at=now - 3 * HOUR, aware_at=now - 2 * HOUR)
    assert Obligation.objects.count() == 8  # early warning, notification, progress and final, twice

    response = client.get(reverse("incident-calendar", kwargs={"token": feed.token}))

    assert response.status_code == 200
    assert _events(response.content.decode()) == []


def test_calendar_with_an_unknown_token_does_not_exist(client, feed) -> None:
    response = client.get(reverse("incident-calendar", kwargs={"token": "not-" + feed.token}))

    assert response.status_code == 404


def test_rotated_calendar_address_stops_working(client, feed, organisation, security_officer) -> None:
    old_token = feed.token

    rotated = services.calendar_feed_rotate(organisation=organisation, actor=security_officer.user)

    assert rotated.token != old_token
    assert client.get(reverse("incident-calendar", kwargs={"token": old_token})).status_code == 404
    assert client.get(reverse("incident-calendar", kwargs={"token": rotated.token})).status_code == 200
