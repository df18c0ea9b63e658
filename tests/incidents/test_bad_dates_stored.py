"""Absurd dates never reach the database through the services, and one stored anyway is shown, not a
failure."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from incidents import services
from incidents.models import Filing, Incident, Obligation, TimelineEntry
from nis2.clock import PARIS, UTC
from tests.incidents.absurd_dates import BEFORE_2000, _rows
from tests.incidents.api_calls import incident_url
from tests.incidents.factories import IncidentFactory, significant_incident

pytestmark = pytest.mark.django_db


def test_the_service_refuses_a_detection_in_year_1(organisation, security_officer) -> None:
    before = _rows()

    with pytest.raises(ValidationError) as raised:
        services.incident_create(
            organisation=organisation,
            actor=security_officer.user,
            title="Erreur de saisie",
            detected_at=datetime.datetime(1, 1, 1, tzinfo=UTC),
            category="malicious-code",
            subcategory="infected-system",
        )

    assert raised.value.message_dict == {"detected_at": [BEFORE_2000]}
    assert _rows() == before


def test_the_service_refuses_a_timeline_entry_before_2000(organisation, security_officer) -> None:
    incident = IncidentFactory(organisation=organisation)
    before = _rows()

    with pytest.raises(ValidationError) as raised:
        services.timeline_add(
            incident=incident,
            actor=security_officer.user,
            kind="action",
            text="Serveurs isolés.",
            occurred_at=datetime.datetime(1999, 12, 31, 23, 59, tzinfo=PARIS),
        )

    assert raised.value.message_dict == {"occurred_at": [BEFORE_2000]}
    assert _rows() == before


YEAR_1 = datetime.datetime(1, 1, 1, tzinfo=UTC)
YEAR_9999 = datetime.datetime(9999, 12, 31, 23, 59, tzinfo=UTC)  # year 10000 in Paris


def _stored_with_absurd_dates(organisation, moment: datetime.datetime) -> Incident:
    """A significant incident whose detection, awareness, first deadline, filing and timeline entry were
    written as ``moment`` before the bounds existed (or by hand in the database)."""
    incident = significant_incident(organisation, title="Date absurde")
    early_warning = incident.obligations.get(step="early_warning")
    services.obligation_file(
        obligation=early_warning, actor=None, submitted_at=datetime.datetime(2026, 10, 5, 18, 0, tzinfo=PARIS)
    )
    notification = incident.obligations.get(step="notification")
    Incident.objects.filter(pk=incident.pk).update(detected_at=moment, aware_at=moment, occurred_at=moment)
    Obligation.objects.filter(pk=notification.pk).update(due_at=moment)
    Filing.objects.filter(obligation=early_warning).update(submitted_at=moment)
    TimelineEntry.objects.filter(incident=incident).update(occurred_at=moment)
    return incident


@pytest.mark.usefixtures("french_catalogue")
@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        pytest.param(YEAR_1, "01/01/0001 00:09", id="year-1-utc"),
        pytest.param(YEAR_9999, "31/12/9999 23:59 UTC", id="year-10000-in-paris"),
    ],
)
def test_pages_show_a_stored_absurd_date_instead_of_failing(officer_client, organisation, moment, shown) -> None:
    incident = _stored_with_absurd_dates(organisation, moment)
    IncidentFactory(organisation=organisation, title="Incident ordinaire")

    pages = {
        "register": reverse("incident-register", args=[organisation.pk]),
        "register by deadline": reverse("incident-register", args=[organisation.pk]) + "?sort=deadline",
        "dashboard": reverse("organisation-home", args=[organisation.pk]),
        "incident": reverse("incident-detail-page", args=[organisation.pk, incident.pk]),
        "edit": reverse("incident-edit", args=[organisation.pk, incident.pk]),
    }
    responses = {name: officer_client.get(url) for name, url in pages.items()}

    assert {name: response.status_code for name, response in responses.items()} == dict.fromkeys(pages, 200)
    assert shown in responses["register"].content.decode()
    assert "Incident ordinaire" in responses["register"].content.decode()
    assert "Date absurde" in responses["dashboard"].content.decode()
    assert responses["incident"].content.decode().count(shown) >= 4  # detection, awareness, due, timeline


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        pytest.param(YEAR_1, "0001-01-01T00:09:21+00:09:21", id="year-1-utc"),
        pytest.param(YEAR_9999, "9999-12-31T23:59:00Z", id="year-10000-in-paris"),
    ],
)
def test_the_api_reads_a_stored_absurd_date_instead_of_failing(organisation, officer_api, moment, written) -> None:
    incident = _stored_with_absurd_dates(organisation, moment)

    listing = officer_api.get(reverse("incident-list"))
    detail = officer_api.get(incident_url(incident))
    timeline = officer_api.get(incident_url(incident, "timeline"))

    assert (listing.status_code, detail.status_code, timeline.status_code) == (200, 200, 200)
    [row] = listing.json()["results"]
    assert (row["detected_at"], row["aware_at"]) == (written, written)
    body = detail.json()
    obligations = {obligation["step"]: obligation for obligation in body["obligations"]}
    assert obligations["notification"]["due_at"] == written
    assert obligations["early_warning"]["filings"][0]["submitted_at"] == written
    assert {entry["occurred_at"] for entry in timeline.json()["results"]} == {written}
