"""Absurd dates typed on the incident pages are refused on their field, in French."""

import re

import pytest
from django.urls import reverse

from tests.incidents.absurd_dates import _rows
from tests.incidents.factories import IncidentFactory, significant_incident

pytestmark = pytest.mark.django_db


BEFORE_2000_FR = "Cette date est antérieure au 1er janvier 2000 : vérifiez l&#x27;année."
IN_THE_FUTURE_FR = "Cette date est dans le futur : un événement ne peut pas être daté à plus d&#x27;un jour d&#x27;ici."


def _field_error(html: str, field_id: str) -> str:
    """The error shown in the field's block of a form (incidents/_form_fields.html)."""
    match = re.search(
        rf'<label for="{field_id}">.*?<div class="form-error" role="alert">(.*?)</div></div>', html, re.DOTALL
    )
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


@pytest.mark.usefixtures("french_catalogue")
@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("0001-01-01T00:00", BEFORE_2000_FR, id="year-1"),
        pytest.param("1999-12-31T23:59", BEFORE_2000_FR, id="1999-12-31-23:59"),
        pytest.param("2040-01-01T00:00", IN_THE_FUTURE_FR, id="2040"),
        pytest.param("9999-12-31T23:59", IN_THE_FUTURE_FR, id="year-9999"),
    ],
)
def test_declaring_on_the_page_with_an_absurd_detection_is_refused_on_the_field(
    officer_client, organisation, value, message
) -> None:
    before = _rows()

    response = officer_client.post(
        reverse("incident-declare", args=[organisation.pk]),
        {
            "title": "Rançongiciel à la médiathèque",
            "detected_at_0": value,
            "detected_at_1": "",
            "subcategory": "infected-system",
            "severity": "critical",
            "significant": "unknown",
        },
    )

    assert response.status_code == 200
    assert _field_error(response.content.decode(), "id_detected_at_0") == message
    assert _rows() == before


@pytest.mark.usefixtures("french_catalogue")
def test_editing_the_detection_to_year_9999_on_the_page_is_refused_on_the_field(officer_client, organisation) -> None:
    incident = IncidentFactory(organisation=organisation)
    before = _rows()

    response = officer_client.post(
        reverse("incident-edit", args=[organisation.pk, incident.pk]),
        {
            "title": incident.title,
            "detected_at_0": "9999-12-31T23:59",
            "subcategory": "infected-system",
            "severity": "high",
            "significant": "unknown",
            "suspected_malicious": "unknown",
            "cross_border": "unknown",
            "breach_high_risk": "unknown",
        },
    )

    assert response.status_code == 200
    assert _field_error(response.content.decode(), "id_detected_at_0") == IN_THE_FUTURE_FR
    assert _rows() == before


@pytest.mark.usefixtures("french_catalogue")
@pytest.mark.parametrize(
    ("route", "data", "message"),
    [
        pytest.param(
            "incident-timeline-add",
            {"kind": "action", "text": "Serveurs isolés.", "occurred_at_0": "1900-01-01T10:00"},
            f"Quand (heure de Paris) {BEFORE_2000_FR}",
            id="timeline-1900",
        ),
        pytest.param(
            "incident-intermediate",
            {"requested_at_0": "2040-01-01T10:00", "due_at_0": "2040-01-15T10:00"},
            f"Demandé le {IN_THE_FUTURE_FR}",
            id="intermediate-requested-2040",
        ),
        pytest.param(
            "incident-intermediate",
            {"requested_at_0": "2026-11-29T10:00", "due_at_0": "1999-12-31T10:00"},
            f"Échéance {BEFORE_2000_FR}",
            id="intermediate-due-1999",
        ),
    ],
)
def test_the_incident_page_forms_refuse_absurd_dates(officer_client, organisation, route, data, message) -> None:
    incident = significant_incident(organisation)
    before = _rows()

    response = officer_client.post(reverse(route, args=[organisation.pk, incident.pk]), data, follow=True)

    assert f'<li class="message error" role="alert"><strong>Refusé :</strong> {message}</li>' in (
        response.content.decode()
    )
    assert _rows() == before


@pytest.mark.usefixtures("french_catalogue")
def test_filing_in_year_9999_on_the_page_is_refused(officer_client, organisation) -> None:
    incident = significant_incident(organisation)
    early_warning = incident.obligations.get(step="early_warning")
    before = _rows()

    response = officer_client.post(
        reverse("obligation-file", args=[organisation.pk, incident.pk, early_warning.pk]),
        {"submitted_at_0": "9999-12-31T23:59", "reference": "X", "channel": "portal"},
        follow=True,
    )

    assert (
        f'<li class="message error" role="alert"><strong>Refusé :</strong> '
        f"Transmis le (heure de Paris) {IN_THE_FUTURE_FR}</li>" in response.content.decode()
    )
    assert _rows() == before
