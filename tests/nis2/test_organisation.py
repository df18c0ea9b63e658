import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nis2 import services
from nis2.models import Organisation
from nis2.roles import Role
from tests.nis2.factories import MembershipFactory, OrganisationFactory


@pytest.mark.django_db
def test_new_organisation_takes_the_suggested_status() -> None:
    organisation = services.organisation_create(
        actor=None, name="Grande Ville", siren="217500016", kind=Organisation.Kind.COMMUNE, population=50_000
    )
    assert organisation.nis2_status == Organisation.Nis2StatusChoices.ESSENTIAL


@pytest.mark.django_db
def test_invalid_siren_is_rejected_and_nothing_is_written() -> None:
    with pytest.raises(ValidationError) as error:
        services.organisation_create(actor=None, name="X", siren="217500017", kind=Organisation.Kind.COMMUNE)
    assert "siren" in error.value.message_dict
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_status_override_needs_a_justification(api_client_for) -> None:
    admin = MembershipFactory(role=Role.ADMIN, organisation=OrganisationFactory(population=45_000))
    url = reverse("organisation-detail", kwargs={"pk": admin.organisation_id})
    client = api_client_for(admin.user)

    refused = client.patch(url, {"nis2_status": "important"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "nis2_status_justification"
    admin.organisation.refresh_from_db()
    assert admin.organisation.nis2_status == "essential"

    accepted = client.patch(
        url,
        {"nis2_status": "important", "nis2_status_justification": "Arrêté préfectoral du 3 mars 2026."},
        format="json",
    )
    assert accepted.status_code == 200
    assert accepted.json()["nis2_status"] == "important"
    assert accepted.json()["suggested_nis2_status"] == "essential"


@pytest.mark.django_db
def test_siren_cannot_be_changed_through_the_api(api_client_for) -> None:
    admin = MembershipFactory(role=Role.ADMIN)
    siren = admin.organisation.siren
    api_client_for(admin.user).patch(
        reverse("organisation-detail", kwargs={"pk": admin.organisation_id}), {"siren": "200054781"}, format="json"
    )
    admin.organisation.refresh_from_db()
    assert admin.organisation.siren == siren
