"""The management body's trainings through the API (NIS 2 Art. 20): members and named assembly members,
refusals on their field, other organisations' people refused, deletions kept in the history."""

import pytest
from django.urls import reverse

from nis2.roles import Role
from reports.models import Training
from tests.api_errors import error_fields, error_messages
from tests.nis2.factories import MembershipFactory, OrganisationFactory
from tests.reports.factories import TrainingFactory
from tests.reports.governance.governance_requests import TRAININGS, downloaded, training_body, training_url
from tests.reports.governance_data import pdf_upload

pytestmark = pytest.mark.django_db


def test_trainings_of_a_member_and_of_a_named_assembly_member(executive_api, organisation, executive) -> None:
    member = executive_api.post(
        TRAININGS,
        training_body(organisation, person=executive.pk, attestation=pdf_upload("attestation.pdf")),
        format="multipart",
    )
    named = executive_api.post(TRAININGS, training_body(organisation, person_name="Mme Claire Adjointe"), format="json")

    assert (member.status_code, named.status_code) == (201, 201), (member.content, named.content)
    assert {name: member.json()[name] for name in ("person", "person_name", "person_display", "hours")} == {
        "person": executive.pk,
        "person_name": "",
        "person_display": "Marie Maire",
        "hours": "3.50",
    }
    assert member.json()["attestation_url"] == training_url(member.json()["id"], "attestation")
    assert downloaded(executive_api.get(member.json()["attestation_url"])).startswith(b"%PDF-")
    assert (named.json()["person"], named.json()["person_display"], named.json()["attestation_url"]) == (
        None,
        "Mme Claire Adjointe",
        None,
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"person_name": "Mme Claire Adjointe", "person": "executive"}, "person", id="both"),
        pytest.param({}, "person", id="neither"),
        pytest.param({"person_name": "M. Denis", "completed_on": "2099-01-01"}, "completed_on", id="future"),
        pytest.param({"person_name": "M. Denis", "hours": "0"}, "hours", id="no-hours"),
        pytest.param({"person_name": "M. Denis", "hours": "200.5"}, "hours", id="too-many-hours"),
    ],
)
def test_invalid_trainings_are_refused_on_their_field(executive_api, organisation, executive, fields, field) -> None:
    if fields.get("person") == "executive":
        fields = {**fields, "person": executive.pk}

    response = executive_api.post(TRAININGS, training_body(organisation, **fields), format="json")

    assert response.status_code == 400, response.content
    assert error_fields(response) == [field]
    assert not Training.objects.exists()


def test_a_person_of_another_organisation_is_refused(executive_api, organisation, member_of) -> None:
    outsider = member_of(OrganisationFactory(), Role.EXECUTIVE).user

    response = executive_api.post(TRAININGS, training_body(organisation, person=outsider.pk), format="json")

    assert response.status_code == 400
    assert error_fields(response) == ["person"]
    assert error_messages(response) == [f'Invalid pk "{outsider.pk}" - object does not exist.']
    assert not Training.objects.exists()


def test_a_person_of_a_sibling_organisation_the_writer_reads_is_refused(organisation, member_of, api_client_for):
    """Someone executive in two communes cannot record one commune's member as trained in the other."""
    sibling = OrganisationFactory()
    writer = member_of(organisation, Role.EXECUTIVE).user
    MembershipFactory(user=writer, organisation=sibling, role=Role.EXECUTIVE)
    sibling_member = member_of(sibling, Role.EXECUTIVE).user

    response = api_client_for(writer).post(
        TRAININGS, training_body(organisation, person=sibling_member.pk), format="json"
    )

    assert response.status_code == 400
    assert error_fields(response) == ["person"]
    assert not Training.objects.exists()


def test_a_deleted_training_keeps_its_history_and_shows_in_the_deleted_records(
    executive_api, organisation, member_of, api_client_for
) -> None:
    training = TrainingFactory(organisation=organisation, person_name="Mme Claire Adjointe")
    officer = api_client_for(member_of(organisation, Role.SECURITY_OFFICER).user)

    refused = officer.delete(training_url(training.pk))
    deleted = executive_api.delete(training_url(training.pk))

    assert (refused.status_code, deleted.status_code) == (403, 204)
    assert executive_api.get(training_url(training.pk)).status_code == 404
    assert not Training.objects.exists()
    records = executive_api.get(reverse("deleted-records"), {"organisation": organisation.pk}).json()["results"]
    assert [(row["model"], row["object_id"], row["deleted_by"]) for row in records] == [
        ("reports.training", training.pk, "maire")
    ]


def test_trainings_of_other_organisations_do_not_exist(executive_api, organisation) -> None:
    own, other = TrainingFactory(organisation=organisation), TrainingFactory()

    listed = executive_api.get(TRAININGS)

    assert [row["id"] for row in listed.json()["results"]] == [own.pk]
    assert executive_api.get(training_url(other.pk)).status_code == 404
    assert executive_api.delete(training_url(other.pk)).status_code == 404
    assert executive_api.get(training_url(other.pk, "attestation")).status_code == 404
    assert Training.objects.filter(pk=other.pk).exists()
