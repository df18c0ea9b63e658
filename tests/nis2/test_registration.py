"""Registration with the national authority (Directive (EU) 2022/2555, Art. 3(4); ANSSI's MonEspaceNIS2 in
France): what the organisation declared, recorded by its administrators through the service, the API and the
getting-started page."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from nis2 import services
from nis2.models import Organisation
from nis2.roles import Role
from tests.api_errors import error_fields
from tests.nis2.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)
REGISTRATION = {
    "registered_on": datetime.date(2026, 1, 15),
    "registration_identifier": "MEN2-2026-004217",
    "registration_contact": "rssi@ville.example",
    "registration_updated_on": datetime.date(2026, 6, 2),
}


def registration_of(organisation: Organisation) -> dict[str, object]:
    organisation.refresh_from_db()
    return {name: getattr(organisation, name) for name in REGISTRATION}


NOTHING_RECORDED = dict.fromkeys(REGISTRATION) | {"registration_identifier": "", "registration_contact": ""}


@pytest.fixture
def admin():
    return MembershipFactory(role=Role.ADMIN, organisation__name="Ville-sur-Mer")


# --- Service --------------------------------------------------------------------------------------------------


def test_an_administrator_records_the_registration(admin) -> None:
    services.organisation_update(organisation=admin.organisation, actor=admin.user, today=TODAY, **REGISTRATION)

    assert registration_of(admin.organisation) == REGISTRATION
    assert admin.organisation.history.first().history_user == admin.user


def test_a_registration_made_today_is_accepted(admin) -> None:
    services.organisation_update(
        organisation=admin.organisation,
        actor=admin.user,
        today=TODAY,
        registered_on=TODAY,
        registration_updated_on=TODAY,
    )

    assert registration_of(admin.organisation)["registered_on"] == TODAY


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        pytest.param(
            {"registered_on": TODAY + datetime.timedelta(days=1)},
            "registered_on",
            "This date is in the future",
            id="registered-tomorrow",
        ),
        pytest.param(
            {"registered_on": datetime.date(2026, 1, 15), "registration_updated_on": datetime.date(2027, 1, 1)},
            "registration_updated_on",
            "This date is in the future",
            id="updated-next-year",
        ),
        pytest.param(
            {"registered_on": datetime.date(2026, 6, 2), "registration_updated_on": datetime.date(2026, 6, 1)},
            "registration_updated_on",
            "cannot be updated before the date it was made",
            id="updated-the-day-before",
        ),
        pytest.param(
            {"registration_contact": "not an address"},
            "registration_contact",
            "Enter a valid email address",
            id="contact-not-an-address",
        ),
    ],
)
def test_impossible_registrations_are_refused_and_nothing_changes(admin, fields, field, message) -> None:
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            services.organisation_update(organisation=admin.organisation, actor=admin.user, today=TODAY, **fields)
        messages = error.value.message_dict

    assert list(messages) == [field]
    assert message in messages[field][0]
    assert registration_of(admin.organisation) == NOTHING_RECORDED


def test_an_update_before_the_registration_is_refused_by_the_database_too(admin) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=admin.organisation_id).update(
            registered_on=datetime.date(2026, 6, 2), registration_updated_on=datetime.date(2026, 6, 1)
        )


# --- API ------------------------------------------------------------------------------------------------------


def test_an_administrator_records_it_through_the_api(admin, api_client_for) -> None:
    url = reverse("organisation-detail", kwargs={"pk": admin.organisation_id})

    response = api_client_for(admin.user).patch(
        url,
        {
            "registered_on": "2026-01-15",
            "registration_identifier": "MEN2-2026-004217",
            "registration_contact": "rssi@ville.example",
            "registration_updated_on": "2026-06-02",
        },
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["registered_on"], body["registration_updated_on"]) == ("2026-01-15", "2026-06-02")
    assert (body["registration_identifier"], body["registration_contact"]) == ("MEN2-2026-004217", "rssi@ville.example")
    assert registration_of(admin.organisation) == REGISTRATION


def test_the_api_refuses_a_future_registration(admin, api_client_for) -> None:
    url = reverse("organisation-detail", kwargs={"pk": admin.organisation_id})
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)

    response = api_client_for(admin.user).patch(url, {"registered_on": tomorrow.isoformat()}, format="json")

    assert response.status_code == 400
    assert error_fields(response) == ["registered_on"]
    assert registration_of(admin.organisation) == NOTHING_RECORDED


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.SECURITY_OFFICER, Role.AUDITOR])
def test_other_roles_cannot_record_it(admin, api_client_for, role) -> None:
    other = MembershipFactory(organisation=admin.organisation, role=role)
    url = reverse("organisation-detail", kwargs={"pk": admin.organisation_id})

    response = api_client_for(other.user).patch(url, {"registration_identifier": "X-1"}, format="json")

    assert response.status_code == 403
    assert registration_of(admin.organisation) == NOTHING_RECORDED


# --- Getting-started page, in French ----------------------------------------------------------------------------


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def french_admin_client(admin, client, french_catalogue):
    client.force_login(admin.user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    return client


def test_the_page_has_a_registration_card_in_french(admin, french_admin_client) -> None:
    page = page_text(french_admin_client.get(reverse("onboarding", args=[admin.organisation_id])))

    assert "2. Enregistrement auprès de l'ANSSI" in page
    assert "MonEspaceNIS2" in page
    assert "Enregistré auprès de l'ANSSI le" in page
    assert 'name="registration"' in page


def test_the_registration_is_saved_from_the_page(admin, french_admin_client) -> None:
    url = reverse("onboarding", args=[admin.organisation_id])

    saved = french_admin_client.post(
        url,
        {
            "registration": "1",
            "registered_on": "2026-01-15",
            "registration_identifier": "MEN2-2026-004217",
            "registration_contact": "rssi@ville.example",
            "registration_updated_on": "2026-06-02",
        },
        follow=True,
    )

    assert "Enregistrement auprès de l'ANSSI mis à jour." in page_text(saved)
    assert registration_of(admin.organisation) == REGISTRATION
    assert 'value="2026-01-15"' in page_text(saved)


def test_the_page_explains_a_refused_registration_in_french(admin, french_admin_client) -> None:
    url = reverse("onboarding", args=[admin.organisation_id])
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)

    refused = french_admin_client.post(url, {"registration": "1", "registered_on": tomorrow.isoformat()})

    assert refused.status_code == 200
    assert "Cette date est dans le futur" in page_text(refused)
    assert registration_of(admin.organisation) == NOTHING_RECORDED


def test_an_update_before_the_registration_is_explained_on_the_page(admin, french_admin_client) -> None:
    url = reverse("onboarding", args=[admin.organisation_id])

    refused = french_admin_client.post(
        url, {"registration": "1", "registered_on": "2026-06-02", "registration_updated_on": "2026-06-01"}
    )

    assert "L'enregistrement ne peut pas avoir été mis à jour avant d'avoir été fait." in page_text(refused)
    assert registration_of(admin.organisation) == NOTHING_RECORDED


def test_the_other_forms_of_the_page_leave_the_registration_alone(admin, french_admin_client) -> None:
    services.organisation_update(organisation=admin.organisation, actor=admin.user, **REGISTRATION)
    url = reverse("onboarding", args=[admin.organisation_id])

    saved = french_admin_client.post(url, {"security_policy": "1", "mfa_required": "on"}, follow=True)

    assert "Règle de sécurité des comptes enregistrée" in page_text(saved)
    assert registration_of(admin.organisation) == REGISTRATION
    assert admin.organisation.mfa_required


def test_an_executive_cannot_open_the_page(admin, client) -> None:
    executive = MembershipFactory(organisation=admin.organisation, role=Role.EXECUTIVE)
    client.force_login(executive.user)

    response = client.post(
        reverse("onboarding", args=[admin.organisation_id]), {"registration": "1", "registration_identifier": "X"}
    )

    assert response.status_code == 403
    assert registration_of(admin.organisation) == NOTHING_RECORDED
