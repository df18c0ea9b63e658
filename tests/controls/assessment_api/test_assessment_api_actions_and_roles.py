"""Self-assessments through the API: one-click actions from a gap, and who may write."""

from collections.abc import Callable

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from controls.models import ActionItem, Assessment, Framework, RequirementAssessment
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.controls.assessment_api.assessment_items import item_of, item_state, item_url
from tests.nis2.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_action_from_a_gap(
    client: APIClient, make_assessment: Callable[..., Assessment], security_officer: Membership
) -> None:
    assessment = make_assessment(levels={"1.2": 0})
    item = item_of(assessment, "1.2")
    RequirementAssessment.objects.filter(pk=item.pk).update(owner=security_officer.user)

    response = client.post(
        reverse("assessment-item-create-action", kwargs={"assessment_pk": assessment.pk, "pk": item.pk})
    )

    assert response.status_code == 201, response.content
    action = ActionItem.objects.get()
    assert (action.title, action.description) == (
        "Reach level 3 on 1.2 — Measure 1.2",
        "Current level: 0. Target level: 3.",
    )
    assert (action.organisation, action.assessment, action.owner) == (
        assessment.organisation,
        assessment,
        security_officer.user,
    )
    assert (action.priority, action.status) == (ActionItem.Priority.HIGH, ActionItem.Status.OPEN)
    assert list(action.requirements.all()) == [item.requirement]
    assert (response.json()["id"], response.json()["requirement_refs"]) == (action.pk, ["1.2"])


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.AUDITOR])
def test_read_only_roles_cannot_write(
    role: Role,
    organisation: Organisation,
    small_framework: Framework,
    make_assessment: Callable[..., Assessment],
    member_of,
    api_client_for: Callable[..., APIClient],
) -> None:
    assessment = make_assessment(levels={"1.1": 3, "1.2": 3, "2.1": 3, "2.2": 3})
    item = item_of(assessment, "1.1")
    before = item_state(item)
    client = api_client_for(member_of(organisation, role).user)

    responses = {
        "read": client.get(item_url(item)),
        "rate": client.patch(item_url(item), {"version": 1, "current_level": 5}, format="json"),
        "create": client.post(
            reverse("assessment-list"),
            {"organisation": organisation.pk, "framework": small_framework.pk, "label": "2027-T1"},
            format="json",
        ),
        "validate": client.post(reverse("assessment-validate", kwargs={"pk": assessment.pk})),
        "copy": client.post(reverse("assessment-copy", kwargs={"pk": assessment.pk}), {"label": "2027-T2"}),
        "act": client.post(
            reverse("assessment-item-create-action", kwargs={"assessment_pk": assessment.pk, "pk": item.pk})
        ),
        "delete": client.delete(reverse("assessment-detail", kwargs={"pk": assessment.pk})),
    }

    assert {name: response.status_code for name, response in responses.items()} == {
        "read": 200,
        "rate": 403,
        "create": 403,
        "validate": 403,
        "copy": 403,
        "act": 403,
        "delete": 403,
    }
    assert item_state(item) == before
    assert list(Assessment.objects.values_list("label", "status")) == [("2026-T4", "draft")]
    assert not ActionItem.objects.exists()


def test_the_owner_must_be_a_member(
    client: APIClient,
    security_officer: Membership,
    make_assessment: Callable[..., Assessment],
    organisation: Organisation,
    member_of,
) -> None:
    item = item_of(make_assessment(), "1.1")
    before = item_state(item)
    # A person the security officer can see, through a second organisation, but not a member here
    neighbour = OrganisationFactory()
    MembershipFactory(organisation=neighbour, user=security_officer.user)
    neighbour_member = member_of(neighbour).user
    stranger = UserFactory()

    from_neighbour = client.patch(item_url(item), {"version": 1, "owner": neighbour_member.pk}, format="json")
    from_nowhere = client.patch(item_url(item), {"version": 1, "owner": stranger.pk}, format="json")

    assert (from_neighbour.status_code, from_nowhere.status_code) == (400, 400)
    assert from_neighbour.json()["errors"] == [
        {"field": "owner", "code": "invalid", "message": "The owner must be a member of the organisation."}
    ]
    assert [error["field"] for error in from_nowhere.json()["errors"]] == ["owner"]
    assert item_state(item) == before

    colleague = member_of(organisation, Role.IT).user
    accepted = client.patch(item_url(item), {"version": 1, "owner": colleague.pk}, format="json")

    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["owner"] == colleague.pk
