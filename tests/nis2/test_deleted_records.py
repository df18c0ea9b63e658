"""Nothing deleted without trace: every member sees what was deleted in the organisation, by whom and when."""

import pytest
from django.urls import reverse

from controls.models import ActionItem
from dependencies.models import Component
from nis2.roles import Role
from tests.controls.factories import ActionFactory
from tests.dependencies.factories import ComponentFactory
from tests.nis2.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _delete_as(instance, user) -> None:
    instance._history_user = user
    instance.delete()


def test_members_see_what_was_deleted_by_whom(organisation, member_of, api_client_for) -> None:
    it_member = member_of(organisation, Role.IT, username="dsi").user
    _delete_as(ComponentFactory(organisation=organisation, name="Ancienne messagerie"), it_member)
    _delete_as(ActionFactory(organisation=organisation, title="Action abandonnée"), it_member)
    ComponentFactory(organisation=OrganisationFactory(), name="Messagerie du voisin").delete()
    reader = api_client_for(member_of(organisation, Role.EXECUTIVE).user)

    response = reader.get(reverse("deleted-records"), {"organisation": organisation.pk})

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["model"], row["label"], row["deleted_by"]) for row in rows] == [
        ("controls.actionitem", "Action abandonnée", "dsi"),
        ("dependencies.component", "Ancienne messagerie", "dsi"),
    ]
    assert response.json()["count"] == 2
    assert not ActionItem.objects.exists()
    assert Component.objects.count() == 0


@pytest.mark.parametrize("role", Role.values)
def test_another_organisations_deletions_are_not_found(role, api_client_for) -> None:
    own, other = OrganisationFactory(), OrganisationFactory()
    client = api_client_for(MembershipFactory(organisation=own, role=role).user)
    assert client.get(reverse("deleted-records"), {"organisation": other.pk}).status_code == 404
    assert client.get(reverse("deleted-records"), {"organisation": own.pk}).status_code == 200
    assert client.get(reverse("deleted-records"), {"organisation": "abc"}).status_code == 400


@pytest.mark.parametrize("deletions", [2, 40])
def test_the_query_count_does_not_grow_with_the_deletions(
    deletions, organisation, member_of, api_client_for, django_assert_max_num_queries
) -> None:
    user = member_of(organisation, Role.IT).user
    for index in range(deletions):
        _delete_as(ComponentFactory(organisation=organisation, name=f"Composant {index}"), user)
    client = api_client_for(user)

    # A fixed budget: about three queries per model an organisation owns (nis2/archive/deletions.py), whatever
    # the number of deletions.
    with django_assert_max_num_queries(50):
        response = client.get(reverse("deleted-records"), {"organisation": organisation.pk, "page_size": 100})

    assert response.json()["count"] == deletions
