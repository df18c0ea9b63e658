"""A mistyped year never lands, and a row already stored with an absurd date breaks no page.

Every date the API and the forms accept lies between 1 January 2000 (Europe/Paris) and one day from now;
a deadline may lie ahead. Anything else is refused on the field, and nothing is written, history included.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from nis2.clock import PARIS
from tests.incidents.absurd_dates import BEFORE_2000, _rows
from tests.incidents.api_calls import incident_url, obligation_url
from tests.incidents.factories import IncidentFactory, significant_incident

pytestmark = pytest.mark.django_db


IN_THE_FUTURE = "This date is in the future: an event cannot be dated more than one day from now."
BEYOND_HORIZON = "This date is more than ten years away: check the year."

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
