"""``?organisation=`` on a list endpoint tells nothing about organisations the user may not read: the id
of another authority is refused exactly as an id that exists nowhere, while the user's own filters."""

from collections.abc import Callable

import pytest
from django.db.models import Max
from django.urls import reverse
from rest_framework.test import APIClient

from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.dependencies.factories import ComponentFactory
from tests.incidents.factories import IncidentFactory
from tests.nis2.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LISTS = [
    pytest.param("incident-list", IncidentFactory, id="incidents"),
    pytest.param("component-list", ComponentFactory, id="components"),
]


@pytest.mark.parametrize(("route", "factory"), LISTS)
def test_a_foreign_and_an_unknown_organisation_are_refused_alike(
    officer_api: APIClient, organisation: Organisation, route: str, factory: Callable[..., object]
) -> None:
    foreign = OrganisationFactory(name="Commune voisine")
    factory(organisation=foreign)
    unknown_id = Organisation.objects.aggregate(highest=Max("pk"))["highest"] + 1000

    for_foreign = officer_api.get(reverse(route), {"organisation": foreign.pk})
    for_unknown = officer_api.get(reverse(route), {"organisation": unknown_id})

    assert (for_foreign.status_code, for_unknown.status_code) == (400, 400)
    assert for_foreign.json() == for_unknown.json()
    assert [error["field"] for error in for_foreign.json()["errors"]] == ["organisation"]


@pytest.mark.parametrize(("route", "factory"), LISTS)
def test_the_users_own_organisation_still_filters(
    officer_api: APIClient, organisation: Organisation, route: str, factory: Callable[..., object]
) -> None:
    own = factory(organisation=organisation)
    factory(organisation=OrganisationFactory())

    response = officer_api.get(reverse(route), {"organisation": organisation.pk})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [own.pk]


def test_an_intercommunality_admin_filters_on_a_member_commune(
    member_of: Callable[..., Membership], api_client_for: Callable[..., APIClient]
) -> None:
    intercommunality = OrganisationFactory()
    commune = OrganisationFactory(parent=intercommunality)
    incident = IncidentFactory(organisation=commune)
    admin_api = api_client_for(member_of(intercommunality, Role.ADMIN).user)

    response = admin_api.get(reverse("incident-list"), {"organisation": commune.pk})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [incident.pk]
