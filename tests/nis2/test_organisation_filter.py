"""``?organisation=`` on a list endpoint tells nothing about organisations the user may not read: the id
of another authority is refused exactly as an id that exists nowhere, while the user's own filters."""

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.urls import reverse
from rest_framework.test import APIClient

from controls.models import Assessment, RequirementAssessment
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.controls.factories import ActionFactory, AssessmentFactory, EvidenceFactory, ItemFactory
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


def _max_pk(model: type) -> int:
    return (model.objects.aggregate(highest=Max("pk"))["highest"] or 0) + 1000


@pytest.mark.parametrize("parameter", ["assessment", "owner", "item"])
def test_filters_on_other_objects_refuse_a_foreign_and_an_unknown_id_alike(
    officer_api: APIClient, organisation: Organisation, member_of: Callable[..., Membership], parameter: str
) -> None:
    foreign = OrganisationFactory(name="Commune voisine")
    foreign_person = member_of(foreign, Role.IT).user
    foreign_item = ItemFactory(assessment__organisation=foreign)
    EvidenceFactory(item=foreign_item)
    ActionFactory(organisation=foreign, owner=foreign_person, assessment=foreign_item.assessment)
    route, foreign_id, unknown_id = {
        "assessment": ("action-list", foreign_item.assessment_id, _max_pk(Assessment)),
        "owner": ("action-list", foreign_person.pk, _max_pk(get_user_model())),
        "item": ("evidence-list", foreign_item.pk, _max_pk(RequirementAssessment)),
    }[parameter]

    for_foreign = officer_api.get(reverse(route), {parameter: foreign_id})
    for_unknown = officer_api.get(reverse(route), {parameter: unknown_id})

    assert (for_foreign.status_code, for_unknown.status_code) == (400, 400)
    assert for_foreign.json()["errors"][0]["field"] == parameter
    assert for_foreign.json()["errors"][0]["code"] == for_unknown.json()["errors"][0]["code"]

    own_item = ItemFactory(assessment=AssessmentFactory(organisation=organisation))
    own_person = member_of(organisation, Role.IT).user
    own_id = {"assessment": own_item.assessment_id, "owner": own_person.pk, "item": own_item.pk}[parameter]
    assert officer_api.get(reverse(route), {parameter: own_id}).status_code == 200
