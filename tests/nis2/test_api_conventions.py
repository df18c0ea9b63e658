"""Conventions every later endpoint inherits: tokens, pagination, errors, history, schema."""

import pytest
from django.urls import reverse
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from nis2.roles import Role
from tests.nis2.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.mark.django_db
def test_token_authentication_round_trip() -> None:
    membership = MembershipFactory(user=UserFactory(username="rssi"))
    client = APIClient()
    response = client.post(
        reverse("api-token"), {"username": "rssi", "password": "correct-horse-battery"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listed = client.get(reverse("organisation-list")).json()
    assert [row["id"] for row in listed["results"]] == [membership.organisation_id]


@pytest.mark.django_db
def test_anonymous_requests_are_refused_with_a_json_error() -> None:
    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").get(reverse("organisation-list"))
    assert response.status_code == 401
    assert response.json()["errors"][0]["field"] is None
    assert "credentials" in response.json()["detail"]


@pytest.mark.django_db
def test_wrong_password_gives_a_translated_error() -> None:
    UserFactory(username="elu")
    response = APIClient(HTTP_ACCEPT_LANGUAGE="fr").post(
        reverse("api-token"), {"username": "elu", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert (
        response.json()["errors"][0]["message"]
        == "Impossible de se connecter avec les informations d'identification fournies."
    )


@pytest.mark.django_db
def test_pagination_shape_and_page_size_cap(api_client_for) -> None:
    admin = MembershipFactory(role=Role.ADMIN)
    for _ in range(4):
        MembershipFactory(organisation=admin.organisation)
    client = api_client_for(admin.user)

    page = client.get(reverse("membership-list"), {"page_size": 2}).json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] == 5
    assert len(page["results"]) == 2
    assert "page=2" in page["next"]


def test_page_size_is_capped_at_500() -> None:
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from nis2.api.pagination import StandardPagination

    request = Request(APIRequestFactory().get("/", {"page_size": 100_000}))
    assert StandardPagination().get_page_size(request) == 500


@pytest.mark.django_db
def test_validation_errors_name_the_field_in_the_users_language(api_client_for) -> None:
    admin = MembershipFactory(role=Role.ADMIN)
    response = api_client_for(admin.user, language="fr").post(
        reverse("invitation-list"),
        {"organisation": admin.organisation_id, "email": "x@example.org", "role": "dictateur"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "role", "code": "invalid_choice", "message": "«\xa0dictateur\xa0» n'est pas un choix valide."}
    ]


@pytest.mark.django_db
def test_filtering_and_ordering(api_client_for) -> None:
    admin = MembershipFactory(role=Role.ADMIN, user=UserFactory(username="b-admin"))
    auditor = MembershipFactory(organisation=admin.organisation, role=Role.AUDITOR, user=UserFactory(username="a-aud"))
    client = api_client_for(admin.user)
    filtered = client.get(reverse("membership-list"), {"role": "auditor"}).json()["results"]
    assert [row["id"] for row in filtered] == [auditor.pk]
    ordered = client.get(reverse("membership-list"), {"ordering": "-user__username"}).json()["results"]
    assert [row["username"] for row in ordered] == ["b-admin", "a-aud"]


@pytest.mark.django_db
def test_history_records_the_acting_user(api_client_for) -> None:
    admin = MembershipFactory(role=Role.ADMIN, user=UserFactory(username="anne"))
    organisation = admin.organisation
    client = api_client_for(admin.user)
    client.patch(
        reverse("organisation-detail", kwargs={"pk": organisation.pk}), {"name": "Ville renommée"}, format="json"
    )

    latest = organisation.history.latest()
    assert latest.history_user == admin.user
    history = client.get(reverse("organisation-history", kwargs={"pk": organisation.pk})).json()
    assert history["count"] == 2
    newest = history["results"][0]
    assert newest["history_user"] == "anne"
    assert newest["history_type"] == "changed"
    assert newest["changes"]["name"]["new"] == "Ville renommée"
    assert history["results"][1]["history_type"] == "created"


@pytest.mark.django_db
def test_membership_history_records_the_admin_who_changed_a_role(api_client_for) -> None:
    admin = MembershipFactory(role=Role.ADMIN, user=UserFactory(username="anne"))
    member = MembershipFactory(organisation=admin.organisation, role=Role.IT)
    api_client_for(admin.user).patch(
        reverse("membership-detail", kwargs={"pk": member.pk}), {"role": "auditor"}, format="json"
    )
    record = member.history.latest()
    assert (record.role, record.history_user) == ("auditor", admin.user)


@pytest.mark.django_db
def test_openapi_schema_is_valid_openapi_3(client) -> None:
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/organisations/{id}/history/" in schema["paths"]


@pytest.mark.django_db
def test_interactive_docs_are_served_locally(client) -> None:
    html = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_health_endpoint(client) -> None:
    assert client.get(reverse("api-health"), secure=True).json() == {
        "status": "ok",
        "tasks": "eager",
        "database": "ok",
        "broker": "eager",
        "oldest_waiting_job_seconds": None,
    }


@pytest.mark.django_db
def test_list_endpoints_run_a_constant_number_of_queries(api_client_for, django_assert_max_num_queries) -> None:
    parent_admin = MembershipFactory(role=Role.ADMIN)
    client = api_client_for(parent_admin.user)

    def add_rows(count: int) -> None:
        for _ in range(count):
            child = OrganisationFactory(parent=parent_admin.organisation)
            MembershipFactory(organisation=child)

    add_rows(2)
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("organisation-list"))
        client.get(reverse("membership-list"))
    add_rows(40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("organisation-list"))
        client.get(reverse("membership-list"))


@pytest.fixture
def openapi_schema(client) -> dict:
    return client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield f"{method.upper()} {path}", operation


@pytest.mark.django_db
def test_every_operation_documents_its_error_responses(openapi_schema) -> None:
    """400 and 404 everywhere; 401 and 403 wherever signing in is required (all but the token and health)."""
    error = {"$ref": "#/components/schemas/Error"}
    missing = []
    for name, operation in operations(openapi_schema):
        expected = {"400", "404"} if name in {"POST /api/v1/auth/token/", "GET /api/v1/health/"} else ERROR_CODES
        for code in expected:
            documented = operation["responses"].get(code, {}).get("content", {}).get("application/json", {})
            if documented.get("schema") != error:
                missing.append(f"{name} {code}")
    assert missing == []
    assert openapi_schema["components"]["schemas"]["Error"]["properties"]["errors"]["items"] == {
        "$ref": "#/components/schemas/ErrorItem"
    }
    assert openapi_schema["components"]["schemas"]["ErrorItem"]["properties"]["field"]["nullable"] is True


ERROR_CODES = {"400", "401", "403", "404"}


@pytest.mark.django_db
def test_schema_matches_what_the_endpoints_answer(openapi_schema) -> None:
    assessment = openapi_schema["components"]["schemas"]["Assessment"]["properties"]
    assert assessment["validated_by"]["nullable"] is True
    obligations = openapi_schema["paths"]["/api/v1/incidents/{id}/obligations/"]["get"]["responses"]["200"]
    assert obligations["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Obligation"},
    }
    deleted = openapi_schema["paths"]["/api/v1/deleted-records/"]["get"]["responses"]["200"]
    assert deleted["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaginatedDeletedRecordList"
    }
    coverage = openapi_schema["paths"]["/api/v1/assessments/{id}/coverage/"]["get"]
    assert [parameter["name"] for parameter in coverage["parameters"]] == ["id", "target"]
