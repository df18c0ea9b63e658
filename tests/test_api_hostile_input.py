"""Input a fuzzer sends (schemathesis, issue 12): refused with a 400 naming the field, never a 500,
and nothing written."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from dependencies.models import Component
from incidents.models import CorrectiveAction
from nis2.models import Membership
from nis2.roles import Role
from tests.dependencies.factories import ComponentFactory, ProductFactory, domain
from tests.incidents.factories import CalendarFeedFactory, CorrectiveActionFactory, IncidentFactory
from tests.nis2.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_api(organisation, member_of, api_client_for):
    """The organisation's IT director (DSI), who keeps the dependency register."""
    return api_client_for(member_of(organisation, Role.IT).user)


def fields_of(response) -> list[str | None]:
    return [error["field"] for error in response.json()["errors"]]


def test_a_corrective_action_cannot_be_created_already_done(officer_api, organisation) -> None:
    incident = IncidentFactory(organisation=organisation)
    url = reverse("incident-corrective-action-list", args=[incident.pk])

    response = officer_api.post(url, {"title": "Restore", "status": "done"}, format="json")

    assert response.status_code == 400
    assert fields_of(response) == ["status"]
    assert not CorrectiveAction.objects.exists()


def test_a_corrective_action_created_with_its_initial_status_is_accepted(officer_api, organisation) -> None:
    incident = IncidentFactory(organisation=organisation)
    url = reverse("incident-corrective-action-list", args=[incident.pk])

    response = officer_api.post(url, {"title": "Restore", "status": "open"}, format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "open"


def test_a_corrective_action_status_still_changes_afterwards(officer_api, organisation) -> None:
    action = CorrectiveActionFactory(incident=IncidentFactory(organisation=organisation))
    url = reverse("incident-corrective-action-detail", args=[action.incident_id, action.pk])

    response = officer_api.patch(url, {"status": "done"}, format="json")

    assert response.status_code == 200
    action.refresh_from_db()
    assert action.status == "done"


@pytest.mark.parametrize(
    ("label", "certifications"),
    [
        ("form-encoded null", "null"),
        ("form-encoded text", "SecNumCloud"),
    ],
)
def test_form_encoded_certifications_that_are_not_a_list_are_refused(
    it_api, organisation, label, certifications
) -> None:
    product = ProductFactory()
    body = urlencode(
        {
            "organisation": organisation.pk,
            "name": "Messagerie",
            "domain": domain().code,
            "product": product.pk,
            "deployment": "vendor_saas",
            "certifications": certifications,
        }
    )

    response = it_api.post(reverse("component-list"), body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert {field.split(".")[0] for field in fields_of(response)} == {"certifications"}
    assert not Component.objects.exists()


@pytest.mark.parametrize(
    "certifications",
    [
        pytest.param(None, id="null"),
        pytest.param("SecNumCloud", id="text"),
        pytest.param([1], id="list of numbers"),
        pytest.param([{"scheme": 1}], id="scheme not text"),
        pytest.param([{"scheme": "Sec\x00NumCloud"}], id="NUL character"),
        pytest.param([{"scheme": "SecNumCloud", "valid_until": "2027-02-30"}], id="impossible date"),
    ],
)
def test_json_certifications_must_be_a_list_of_schemes(it_api, organisation, certifications) -> None:
    component = ComponentFactory(organisation=organisation)
    url = reverse("component-detail", args=[component.pk])

    response = it_api.patch(url, {"certifications": certifications}, format="json")

    assert response.status_code == 400
    assert {field.split(".")[0] for field in fields_of(response)} == {"certifications"}
    component.refresh_from_db()
    assert component.certifications == []


def test_certifications_are_saved_as_given(it_api, organisation) -> None:
    component = ComponentFactory(organisation=organisation)
    certification = {"scheme": "SecNumCloud", "valid_until": "2027-06-30"}

    response = it_api.patch(
        reverse("component-detail", args=[component.pk]), {"certifications": [certification]}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["certifications"] == [certification]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("detected_after", "2026-01-01T10:00:00+22:55"),
        ("detected_before", "2026-01-01T10:00:00-15:00"),
        ("detected_after", "2026-02-30T10:00:00"),
        ("detected_after", "1999-12-31T10:00:00+01:00"),
        ("detected_after", "2026-03-29T02:30:00"),  # does not exist in Europe/Paris
        ("detected_after", "demain"),
    ],
)
def test_incident_date_filters_refuse_impossible_moments(officer_api, organisation, parameter, value) -> None:
    IncidentFactory(organisation=organisation)

    response = officer_api.get(reverse("incident-list"), {parameter: value})

    assert response.status_code == 400
    assert fields_of(response) == [parameter]
    assert all(isinstance(error["code"], str) for error in response.json()["errors"])


def test_an_incident_date_filter_error_has_a_code(officer_api) -> None:
    response = officer_api.get(reverse("incident-list"), {"detected_before": "null"})

    assert response.json()["errors"] == [
        {
            "field": "detected_before",
            "code": "invalid",
            "message": "Datetime has wrong format. Use one of these formats instead: "
            "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].",
        }
    ]


def test_an_offset_beyond_fourteen_hours_is_refused_in_a_request_body(officer_api, organisation) -> None:
    incident = IncidentFactory(organisation=organisation)
    detected_at = incident.detected_at

    response = officer_api.patch(
        reverse("incident-detail", args=[incident.pk]), {"detected_at": "2026-10-05T09:00:00+22:55"}, format="json"
    )

    assert response.status_code == 400
    assert fields_of(response) == ["detected_at"]
    assert response.json()["errors"][0]["code"] == "offset_out_of_range"
    incident.refresh_from_db()
    assert incident.detected_at == detected_at


def test_incident_date_filters_accept_an_offset(officer_api, organisation) -> None:
    incident = IncidentFactory(organisation=organisation)

    response = officer_api.get(reverse("incident-list"), {"detected_after": "2026-10-05T08:00:00+01:00"})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [incident.pk]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("from", "2026-02-30"), ("to", "2026-13-01"), ("from", "1999-12-31"), ("to", "hier")],
)
def test_incident_stats_refuse_an_impossible_day(officer_api, parameter, value) -> None:
    response = officer_api.get(reverse("incident-stats"), {parameter: value})

    assert response.status_code == 400
    assert fields_of(response) == [parameter]


def test_a_membership_patch_with_only_an_email_changes_nothing(api_client_for) -> None:
    """The e-mail address belongs to the person, not to the membership: it is read-only here."""
    admin = MembershipFactory(role=Role.ADMIN)
    member = MembershipFactory(organisation=admin.organisation, role=Role.IT)
    email = member.user.email

    response = api_client_for(admin.user).patch(
        reverse("membership-detail", args=[member.pk]), {"email": "autre@ville.example"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["email"] == email
    member.user.refresh_from_db()
    assert member.user.email == email
    assert Membership.objects.get(pk=member.pk).role == Role.IT


@pytest.mark.parametrize(
    ("route", "parameters", "field"),
    [
        ("incident-list", {"status": "open\x00"}, "status"),
        ("incident-list", {"search\x00": "x"}, "search\x00"),
        ("component-list", {"exposure": "\x00"}, "exposure"),
        ("framework-list", {"code": "nis2\x00"}, "code"),
    ],
)
def test_nul_characters_in_api_parameters_are_refused(officer_api, route, parameters, field) -> None:
    response = officer_api.get(reverse(route), parameters)

    assert response.status_code == 400
    assert fields_of(response) == [field.replace("\x00", "\\x00")]


def test_nul_characters_in_the_search_page_are_refused(client, security_officer) -> None:
    client.force_login(security_officer.user)

    response = client.get(reverse("search"), {"q": "ran\x00som"})

    assert response.status_code == 400


def test_nul_characters_in_a_calendar_address_are_refused(client, organisation) -> None:
    CalendarFeedFactory(organisation=organisation)

    response = client.get("/calendar/%00.ics")

    assert response.status_code == 400
