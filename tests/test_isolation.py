"""Tenant isolation: whatever their role, members of one organisation never see another's data.

For every API viewset route and every role: objects of an unrelated organisation are absent
from lists and give 404 on every detail route (read or write), and are left untouched; the
member's own organisation's objects are visible (so the test cannot pass vacuously).
"""

import pytest
from django.urls import reverse

from nis2.roles import Role
from tests.api_routes import api_viewset_routes
from tests.isolation import ISOLATION_FACTORIES
from tests.nis2.factories import MembershipFactory, OrganisationFactory

ROUTES = api_viewset_routes()


def test_every_api_route_is_registered_for_isolation() -> None:
    missing = sorted({route.basename for route in ROUTES} - set(ISOLATION_FACTORIES))
    assert missing == [], f"register these basenames in tests/isolation.py: {missing}"


def _result_ids(response_json: object) -> set[object]:
    results = response_json["results"] if isinstance(response_json, dict) else response_json
    return {row["id"] for row in results}


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_hides_other_organisations(route, role, api_client_for) -> None:
    # Given two unrelated organisations, each with one object of the route's kind
    make_object = ISOLATION_FACTORIES[route.basename]
    own_organisation, other_organisation = OrganisationFactory(), OrganisationFactory()
    own_object, other_object = make_object(own_organisation), make_object(other_organisation)
    other_model_state = type(other_object).objects.filter(pk=other_object.pk).values().get()
    client = api_client_for(MembershipFactory(organisation=own_organisation, role=role).user)

    if not route.detail:
        # When the member lists, then only their organisation's objects are there
        response = client.get(reverse(route.name), {"page_size": 500})
        assert response.status_code == 200, response.content
        ids = _result_ids(response.json())
        assert other_object.pk not in ids
        assert own_object.pk in ids
        return

    # When the member reaches the other organisation's object by any method, then 404
    for method in route.methods:
        url = reverse(route.name, kwargs={"pk": other_object.pk})
        response = client.get(url) if method == "get" else getattr(client, method)(url, {}, format="json")
        assert response.status_code == 404, (method, response.status_code, response.content)
    assert type(other_object).objects.filter(pk=other_object.pk).values().get() == other_model_state
    if "get" in route.methods:
        own = client.get(reverse(route.name, kwargs={"pk": own_object.pk}))
        assert own.status_code == 200, own.content
