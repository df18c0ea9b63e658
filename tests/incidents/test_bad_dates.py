"""A mistyped year never lands, and a row already stored with an absurd date breaks no page.

Every date the API and the forms accept lies between 1 January 2000 (Europe/Paris) and one day from now;
a deadline may lie ahead. Anything else is refused on the field, and nothing is written, history included.
"""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.models import Filing, Incident, Obligation, TimelineEntry
from nis2.clock import PARIS, UTC
from tests.incidents.api_calls import incident_url, obligation_url
from tests.incidents.factories import IncidentFactory, significant_incident

pytestmark = pytest.mark.django_db

BEFORE_2000 = "This date is before 1 January 2000: check the year."
IN_THE_FUTURE = "This date is in the future: an event cannot be dated more than one day from now."
BEYOND_HORIZON = "This date is more than ten years away: check the year."
BEFORE_2000_FR = "Cette date est antérieure au 1er janvier 2000 : vérifiez l&#x27;année."
IN_THE_FUTURE_FR = "Cette date est dans le futur : un événement ne peut pas être daté à plus d&#x27;un jour d&#x27;ici."

# Each absurd input, as typed, with the refusal it gets.
ABSURD_INPUTS = [
    pytest.param("0001-01-01T00:00:00", BEFORE_2000, id="year-1-paris-wall-time"),
    pytest.param("0001-01-01T00:00:00Z", BEFORE_2000, id="year-1-utc"),
    pytest.param("0001-01-01T00:00:00+05:00", BEFORE_2000, id="year-0-in-utc"),
    pytest.param("1900-06-01T12:00:00", BEFORE_2000, id="1900-lmt-of-paris"),
    pytest.param("1999-12-31T23:59:00", BEFORE_2000, id="1999-12-31-23:59-paris"),
    pytest.param("2040-01-01T00:00:00", IN_THE_FUTURE, id="2040"),
    pytest.param("9999-12-31T23:59:59", IN_THE_FUTURE, id="year-9999-paris-wall-time"),
    pytest.param("9999-12-31T23:59:59-05:00", IN_THE_FUTURE, id="year-10000-in-paris"),
]


def _rows() -> dict[str, int]:
    """Every row a refused request could have written, history included."""
    return {
        "incidents": Incident.objects.count(),
        "incident history": Incident.history.count(),
        "timeline": TimelineEntry.objects.count(),
        "timeline history": TimelineEntry.history.count(),
        "obligations": Obligation.objects.count(),
        "obligation history": Obligation.history.count(),
        "filings": Filing.objects.count(),
        "filing history": Filing.history.count(),
    }


def _refusal(response) -> list[tuple[str, str]]:
    assert response.status_code == 400, response.content
    return [(error["field"], error["message"]) for error in response.json()["errors"]]


def _incident_payload(organisation, **fields: object) -> dict[str, object]:
    return {
        "organisation": organisation.pk,
        "title": "Rançongiciel à la médiathèque",
        "detected_at": "2026-11-20T10:00:00",
        "category": "malicious-code",
        "subcategory": "infected-system",
        **fields,
    }


# --- The API refuses them -----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "message"), ABSURD_INPUTS)
def test_declaring_through_the_api_with_an_absurd_detection_is_refused(
    organisation, officer_api, value, message
) -> None:
    before = _rows()

    response = officer_api.post(reverse("incident-list"), _incident_payload(organisation, detected_at=value))

    assert _refusal(response) == [("detected_at", message)]
    assert _rows() == before


@pytest.mark.parametrize("field", ["occurred_at", "aware_at", "breach_aware_at"])
def test_every_event_time_of_an_incident_is_checked_by_the_api(organisation, officer_api, field) -> None:
    before = _rows()

    response = officer_api.post(
        reverse("incident-list"), _incident_payload(organisation, personal_data_breach=True, **{field: "2040-01-01"})
    )

    assert _refusal(response) == [(field, IN_THE_FUTURE)]
    assert _rows() == before


def test_the_bounds_themselves_are_accepted(organisation, officer_api) -> None:
    tomorrow = (timezone.now() + datetime.timedelta(hours=23)).isoformat()

    first = officer_api.post(reverse("incident-list"), _incident_payload(organisation, detected_at="2000-01-01T00:00"))
    second = officer_api.post(reverse("incident-list"), _incident_payload(organisation, detected_at=tomorrow))

    assert (first.status_code, second.status_code) == (201, 201), (first.content, second.content)
    assert first.json()["detected_at"] == "2000-01-01T00:00:00+01:00"


def test_changing_the_detection_to_year_1_through_the_api_is_refused(organisation, officer_api) -> None:
    incident = IncidentFactory(organisation=organisation)
    before = _rows()

    response = officer_api.patch(incident_url(incident), {"detected_at": "0001-01-01T00:00:00"}, format="json")

    assert _refusal(response) == [("detected_at", BEFORE_2000)]
    assert _rows() == before
    incident.refresh_from_db()
    assert incident.detected_at == datetime.datetime(2026, 10, 5, 9, 0, tzinfo=PARIS)


def test_a_transition_dated_2040_is_refused(organisation, officer_api) -> None:
    incident = IncidentFactory(organisation=organisation)
    before = _rows()

    response = officer_api.post(
        incident_url(incident, "transition"), {"status": "contained", "at": "2040-01-01T10:00:00"}, format="json"
    )

    assert _refusal(response) == [("at", IN_THE_FUTURE)]
    assert _rows() == before
    incident.refresh_from_db()
    assert (incident.status, incident.contained_at) == ("new", None)


def test_a_timeline_entry_dated_1900_is_refused_not_shifted_by_paris_mean_time(organisation, officer_api) -> None:
    incident = IncidentFactory(organisation=organisation)
    before = _rows()

    response = officer_api.post(
        incident_url(incident, "timeline"),
        {"kind": "action", "text": "Serveurs isolés.", "occurred_at": "1900-01-01T10:00:00"},
        format="json",
    )

    assert _refusal(response) == [("occurred_at", BEFORE_2000)]
    assert _rows() == before


def test_a_filing_submitted_in_year_9999_is_refused(organisation, officer_api) -> None:
    incident = significant_incident(organisation)
    early_warning = incident.obligations.get(step="early_warning")
    before = _rows()

    response = officer_api.patch(
        obligation_url(early_warning), {"submitted_at": "9999-12-31T23:59:59", "reference": "X"}, format="json"
    )

    assert _refusal(response) == [("submitted_at", IN_THE_FUTURE)]
    assert _rows() == before


@pytest.mark.parametrize(
    ("requested_at", "due_at", "refusal"),
    [
        pytest.param("1999-12-31T23:59:00", "2026-12-15T12:00:00", ("requested_at", BEFORE_2000), id="request-1999"),
        pytest.param("2026-11-29T10:00:00", "1999-12-31T23:59:00", ("due_at", BEFORE_2000), id="due-1999"),
        pytest.param("2026-11-29T10:00:00", "9999-12-31T23:59:59", ("due_at", BEYOND_HORIZON), id="due-9999"),
    ],
)
def test_an_intermediate_request_out_of_bounds_is_refused(
    organisation, officer_api, requested_at, due_at, refusal
) -> None:
    incident = significant_incident(organisation)
    before = _rows()

    response = officer_api.post(
        incident_url(incident, "obligations"), {"requested_at": requested_at, "due_at": due_at}, format="json"
    )

    assert _refusal(response) == [refusal]
    assert _rows() == before


def test_an_intermediate_report_may_be_due_weeks_ahead(organisation, officer_api) -> None:
    incident = significant_incident(organisation)
    requested = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    due = requested + datetime.timedelta(days=45)

    response = officer_api.post(
        incident_url(incident, "obligations"),
        {"requested_at": requested.isoformat(), "due_at": due.isoformat()},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert incident.obligations.get(step="intermediate").due_at == due


@pytest.mark.parametrize(
    ("params", "refusal"),
    [
        pytest.param({"detected_after": "0001-01-01T00:00:00"}, ("detected_after", BEFORE_2000), id="after-year-1"),
        pytest.param(
            {"detected_before": "9999-12-31T23:59:59-05:00"}, ("detected_before", BEYOND_HORIZON), id="before-9999"
        ),
    ],
)
def test_searching_the_register_from_an_absurd_date_is_refused(organisation, officer_api, params, refusal) -> None:
    IncidentFactory(organisation=organisation)

    response = officer_api.get(reverse("incident-list"), params)

    assert _refusal(response) == [refusal]


def test_searching_the_register_over_plausible_dates(organisation, officer_api) -> None:
    IncidentFactory(organisation=organisation)

    response = officer_api.get(
        reverse("incident-list"), {"detected_after": "2000-01-01T00:00:00", "detected_before": "2030-01-01T00:00:00"}
    )

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_statistics_from_year_1_are_refused(officer_api) -> None:
    response = officer_api.get(reverse("incident-stats"), {"from": "0001-01-01", "to": "2027-01-01"})

    assert _refusal(response) == [("from", BEFORE_2000)]


# --- The model refuses them, whoever calls the service ------------------------------------------------


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


# --- The web forms refuse them, next to the field -----------------------------------------------------


@pytest.fixture
def officer_client(client, security_officer):
    client.force_login(security_officer.user)
    return client


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


# --- A row already stored with an absurd date breaks no page ------------------------------------------

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
