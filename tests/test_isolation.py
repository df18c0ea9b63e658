"""Tenant isolation: whatever their role, members of one organisation never see another's data.

For every API viewset route and every role: objects of an unrelated organisation are absent
from lists and give 404 on every route that names them (read or write), and are left untouched;
the member's own organisation's objects are visible (so the test cannot pass vacuously). A POST-only
list route (an import) naming the other organisation is refused and writes nothing there; naming
the member's own, it writes exactly when the member's role may write (nis2/roles.py).
"""

import pytest
from django.apps import apps
from django.urls import reverse

from nis2.models import Organisation
from nis2.roles import Role, role_can_write
from tests.api_errors import error_fields
from tests.api_routes import api_viewset_routes
from tests.isolation import ISOLATION_CASES, REFERENCE_BASENAMES
from tests.nis2.factories import MembershipFactory, OrganisationFactory

ROUTES = api_viewset_routes()
TENANT_ROUTES = [route for route in ROUTES if route.basename not in REFERENCE_BASENAMES]
REFERENCE_ROUTES = [route for route in ROUTES if route.basename in REFERENCE_BASENAMES]


def test_every_api_route_is_registered_for_isolation() -> None:
    missing = sorted({route.basename for route in ROUTES} - set(ISOLATION_CASES) - REFERENCE_BASENAMES)
    assert missing == [], f"register these basenames in tests/isolation.py: {missing}"


def _result_ids(response_json: object) -> set[object]:
    results = response_json["results"] if isinstance(response_json, dict) else response_json
    return {row["id"] for row in results}


def _call(client, method: str, url: str):
    return client.get(url) if method == "get" else getattr(client, method)(url, {}, format="json")


def _rows_owned_by(organisation: Organisation) -> dict[str, int]:
    """How many rows of each model that belongs to an organisation (history included) belong to this one."""
    return {
        model._meta.label: model._base_manager.filter(organisation=organisation).count()
        for model in apps.get_models()
        if any(
            field.name == "organisation" and field.related_model is Organisation
            for field in model._meta.concrete_fields
        )
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("route", TENANT_ROUTES, ids=str)
def test_route_hides_other_organisations(route, role, api_client_for) -> None:
    # Given two unrelated organisations, each with one object of the route's kind
    case = ISOLATION_CASES[route.basename]
    own_organisation, other_organisation = OrganisationFactory(), OrganisationFactory()
    own_object, other_object = case.make(own_organisation), case.make(other_organisation)
    client = api_client_for(MembershipFactory(organisation=own_organisation, role=role).user)
    assert route.methods, route

    if route.detail:
        _detail_route_hides(route, case, client, own_object, other_object)
    elif "get" in route.methods:
        _list_route_hides(route, case, client, own_object, other_object)
    else:
        _post_only_route_refuses(route, case, client, role, own_organisation, other_organisation, type(own_object))


def _detail_route_hides(route, case, client, own_object, other_object) -> None:
    other_state = type(other_object).objects.filter(pk=other_object.pk).values().get()
    extra = case.route_kwargs.get(route.name, {})
    own_kwargs, other_kwargs = {**case.url_kwargs(own_object), **extra}, {**case.url_kwargs(other_object), **extra}

    # When the member reaches the other organisation's object by any method, then 404
    for method in route.methods:
        response = _call(client, method, reverse(route.name, kwargs={**other_kwargs, "pk": other_object.pk}))
        assert response.status_code == 404, (method, response.status_code, response.content)
    assert type(other_object).objects.filter(pk=other_object.pk).values().get() == other_state
    if "get" in route.methods:
        own = client.get(reverse(route.name, kwargs={**own_kwargs, "pk": own_object.pk}))
        assert own.status_code == 200, own.content


def _list_route_hides(route, case, client, own_object, other_object) -> None:
    extra = case.route_kwargs.get(route.name, {})
    own_kwargs, other_kwargs = {**case.url_kwargs(own_object), **extra}, {**case.url_kwargs(other_object), **extra}

    # When the member lists, then only their organisation's objects are there
    response = client.get(reverse(route.name, kwargs=own_kwargs), {"page_size": 500})

    assert response.status_code == 200, response.content
    if not response["Content-Type"].startswith("application/json"):  # a file (export): search its text
        body = response.content.decode()
        assert str(other_object) not in body
        assert str(own_object) in body
    elif route.name in case.counted_by:  # an aggregate: only the member's own object is counted
        assert response.json()[case.counted_by[route.name]] == 1
    else:
        ids = _result_ids(response.json())
        assert other_object.pk not in ids
        assert own_object.pk in ids
    if other_kwargs:  # a nested list under the other organisation's parent object
        for method in route.methods:
            response = _call(client, method, reverse(route.name, kwargs=other_kwargs))
            assert response.status_code in (404, 400), (method, response.status_code, response.content)
            if response.status_code == 400:  # a create refused because the parent is not theirs
                assert response.json()["errors"]


def _post_only_route_refuses(route, case, client, role, own_organisation, other_organisation, kind) -> None:
    """A POST-only list route (an import) names the organisation in its body. A role that may write
    nowhere is refused (403) before the organisation is read: the same answer whichever it names."""
    posted = case.posted.get(route.name)
    assert posted is not None, f"register in tests/isolation.py how to post to {route.name}"
    may_write = role_can_write(role, posted.resource)
    url = reverse(route.name)
    other_rows, own_rows = _rows_owned_by(other_organisation), _rows_owned_by(own_organisation)

    # When the member posts naming the other organisation, then it is refused and nothing is written
    refused = client.post(url, posted.body(other_organisation), format=posted.format)

    if may_write:  # the organisation is refused as if it did not exist
        assert refused.status_code in (404, 400), (refused.status_code, refused.content)
        if refused.status_code == 400:
            assert error_fields(refused) == ["organisation"]
    else:
        assert refused.status_code == 403, refused.content
    assert _rows_owned_by(other_organisation) == other_rows
    assert _rows_owned_by(own_organisation) == own_rows

    # When they name their own, then only a role that may write there writes, one object of the route's kind
    response = client.post(url, posted.body(own_organisation), format=posted.format)

    if may_write:
        assert response.status_code == 200, response.content
        assert kind.objects.filter(organisation=own_organisation).count() == 2  # theirs, and the one posted
    else:
        assert (response.status_code, response.json()) == (403, refused.json())
        assert _rows_owned_by(own_organisation) == own_rows
    assert _rows_owned_by(other_organisation) == other_rows


@pytest.mark.django_db
@pytest.mark.parametrize("route", REFERENCE_ROUTES, ids=str)
def test_reference_data_is_read_only(route) -> None:
    assert set(route.methods) <= {"get", "head", "options"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_dependency_index_of_another_organisation_is_not_found(role, api_client_for) -> None:
    """The one API view that is not a viewset takes the organisation as a parameter."""
    own_organisation, other_organisation = OrganisationFactory(), OrganisationFactory()
    client = api_client_for(MembershipFactory(organisation=own_organisation, role=role).user)
    url = reverse("dependency-index")
    assert client.get(url, {"organisation": other_organisation.pk}).status_code == 404
    assert client.get(url, {"organisation": own_organisation.pk}).status_code == 200
