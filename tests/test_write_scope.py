"""Every related object named in a write belongs to the organisation of the object written
(nis2/api/write_scope.py): a person with roles in two communes cannot link one commune's records to
the other's, nor make someone who is not a member there the owner of a record."""

import pytest
from django.urls import reverse

from controls.models import ActionItem
from dependencies.models import Component
from incidents.models import CorrectiveAction
from nis2.models import Organisation
from nis2.roles import Role
from tests.api_errors import error_fields
from tests.controls.factories import ActionFactory, AssessmentFactory, ItemFactory
from tests.dependencies.factories import ComponentFactory
from tests.incidents.factories import CorrectiveActionFactory, IncidentFactory
from tests.nis2.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def two_communes() -> tuple[Organisation, Organisation]:
    return OrganisationFactory(name="Ville-Haute"), OrganisationFactory(name="Ville-Basse")


@pytest.fixture
def agent(two_communes):
    """Security officer and IT in both communes: every write below is allowed by the roles table."""
    user = UserFactory(username="agent.mutualise")
    for organisation in two_communes:
        MembershipFactory(user=user, organisation=organisation, role=Role.SECURITY_OFFICER)
    return user


@pytest.fixture
def it_agent(two_communes):
    user = UserFactory(username="dsi.mutualisee")
    for organisation in two_communes:
        MembershipFactory(user=user, organisation=organisation, role=Role.IT)
    return user


@pytest.fixture
def outsider(two_communes):
    """A member of Ville-Basse only."""
    return MembershipFactory(organisation=two_communes[1], role=Role.EXECUTIVE).user


@pytest.fixture
def insider(two_communes):
    """A member of Ville-Haute."""
    return MembershipFactory(organisation=two_communes[0], role=Role.EXECUTIVE).user


@pytest.mark.django_db
def test_an_action_cannot_point_at_another_communes_assessment(two_communes, agent, api_client_for) -> None:
    own, other = two_communes
    foreign_assessment = AssessmentFactory(organisation=other)

    response = api_client_for(agent).post(
        reverse("action-list"),
        {"organisation": own.pk, "title": "Sauvegardes", "due_date": "2026-12-31", "assessment": foreign_assessment.pk},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert error_fields(response) == ["assessment"]
    assert not ActionItem.objects.exists()


@pytest.mark.django_db
def test_an_action_is_linked_to_its_own_communes_assessment(two_communes, agent, insider, api_client_for) -> None:
    own, _other = two_communes
    assessment = AssessmentFactory(organisation=own)

    response = api_client_for(agent).post(
        reverse("action-list"),
        {
            "organisation": own.pk,
            "title": "Sauvegardes",
            "due_date": "2026-12-31",
            "assessment": assessment.pk,
            "owner": insider.pk,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    action = ActionItem.objects.get()
    assert (action.assessment, action.owner) == (assessment, insider)


@pytest.mark.django_db
def test_an_action_owner_must_be_a_member_of_its_commune(two_communes, agent, outsider, api_client_for) -> None:
    own, _other = two_communes
    action = ActionFactory(organisation=own)

    response = api_client_for(agent).patch(
        reverse("action-detail", kwargs={"pk": action.pk}), {"owner": outsider.pk}, format="json"
    )

    assert response.status_code == 400, response.content
    assert error_fields(response) == ["owner"]
    action.refresh_from_db()
    assert action.owner is None


@pytest.mark.django_db
def test_an_assessment_item_owner_must_be_a_member_of_its_commune(
    two_communes, agent, outsider, insider, api_client_for
) -> None:
    own, _other = two_communes
    item = ItemFactory(assessment__organisation=own)
    client = api_client_for(agent)
    url = reverse("assessment-item-detail", kwargs={"assessment_pk": item.assessment_id, "pk": item.pk})

    refused = client.patch(url, {"owner": outsider.pk, "version": item.version}, format="json")
    item.refresh_from_db()
    owner_after_refusal = item.owner
    accepted = client.patch(url, {"owner": insider.pk, "version": item.version}, format="json")

    assert refused.status_code == 400, refused.content
    assert error_fields(refused) == ["owner"]
    assert owner_after_refusal is None
    assert accepted.status_code == 200, accepted.content
    item.refresh_from_db()
    assert item.owner == insider


@pytest.mark.django_db
def test_a_corrective_action_owner_must_be_a_member_of_the_incidents_commune(
    two_communes, agent, outsider, insider, api_client_for
) -> None:
    own, _other = two_communes
    incident = IncidentFactory(organisation=own)
    client = api_client_for(agent)
    url = reverse("incident-corrective-action-list", kwargs={"incident_pk": incident.pk})

    refused = client.post(url, {"title": "Restaurer", "owner": outsider.pk}, format="json")
    nothing_written = not CorrectiveAction.objects.exists()
    accepted = client.post(url, {"title": "Restaurer", "owner": insider.pk}, format="json")

    assert refused.status_code == 400, refused.content
    assert error_fields(refused) == ["owner"]
    assert nothing_written
    assert accepted.status_code == 201, accepted.content
    assert CorrectiveAction.objects.get().owner == insider


@pytest.mark.django_db
def test_a_corrective_action_cannot_be_handed_to_an_outsider_later(
    two_communes, agent, outsider, api_client_for
) -> None:
    own, _other = two_communes
    action = CorrectiveActionFactory(incident__organisation=own)

    response = api_client_for(agent).patch(
        reverse("incident-corrective-action-detail", kwargs={"incident_pk": action.incident_id, "pk": action.pk}),
        {"owner": outsider.pk},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert error_fields(response) == ["owner"]
    action.refresh_from_db()
    assert action.owner is None


@pytest.mark.django_db
def test_a_components_strategy_owner_must_be_a_member_of_its_commune(
    two_communes, it_agent, outsider, insider, api_client_for
) -> None:
    own, _other = two_communes
    component = ComponentFactory(organisation=own)
    client = api_client_for(it_agent)
    url = reverse("component-detail", kwargs={"pk": component.pk})

    refused = client.patch(url, {"strategy_owner": outsider.pk}, format="json")
    component.refresh_from_db()
    owner_after_refusal = component.strategy_owner
    accepted = client.patch(url, {"strategy_owner": insider.pk}, format="json")

    assert refused.status_code == 400, refused.content
    assert error_fields(refused) == ["strategy_owner"]
    assert owner_after_refusal is None
    assert accepted.status_code == 200, accepted.content
    assert Component.objects.get(pk=component.pk).strategy_owner == insider


@pytest.mark.django_db
def test_the_refusal_is_explained_in_french(two_communes, agent, outsider, api_client_for) -> None:
    action = ActionFactory(organisation=two_communes[0])

    response = api_client_for(agent, language="fr").patch(
        reverse("action-detail", kwargs={"pk": action.pk}), {"owner": outsider.pk}, format="json"
    )

    assert response.json()["errors"] == [
        {
            "field": "owner",
            "code": "invalid",
            "message": "Le responsable doit être membre de l'organisation.",
        }
    ]
