"""API tokens (django-rest-knox): a new one at each sign-in, stored hashed, ten hours long, revocable."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.nis2.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(username: str) -> dict[str, str]:
    response = APIClient().post(
        reverse("api-token"), {"username": username, "password": "correct-horse-battery"}, format="json"
    )
    assert response.status_code == 200
    return response.json()


def client_with(token: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_each_sign_in_gives_a_new_token_that_expires_ten_hours_later() -> None:
    MembershipFactory(user=UserFactory(username="rssi"))
    before = timezone.now()

    first = sign_in("rssi")
    second = sign_in("rssi")

    assert set(first) == {"token", "expiry"}
    assert first["token"] != second["token"]
    expiry = parse_datetime(first["expiry"])
    assert before + timedelta(hours=10) <= expiry <= timezone.now() + timedelta(hours=10)
    assert client_with(first["token"]).get(reverse("organisation-list")).status_code == 200
    assert client_with(second["token"]).get(reverse("organisation-list")).status_code == 200


def test_tokens_are_stored_as_hashes_only() -> None:
    UserFactory(username="rssi")

    token = sign_in("rssi")["token"]

    stored = AuthToken.objects.get()
    assert stored.digest == hash_token(token)
    assert token not in {stored.digest, stored.token_key}


def test_logout_revokes_the_token_used_and_only_that_one() -> None:
    MembershipFactory(user=UserFactory(username="rssi"))
    laptop = client_with(sign_in("rssi")["token"])
    script = client_with(sign_in("rssi")["token"])

    response = laptop.post(reverse("api-logout"))

    assert response.status_code == 204
    refused = laptop.get(reverse("organisation-list"))
    assert refused.status_code == 401
    assert refused.json() == {
        "detail": "Invalid token.",
        "errors": [{"field": None, "code": "authentication_failed", "message": "Invalid token."}],
    }
    assert script.get(reverse("organisation-list")).status_code == 200
    assert AuthToken.objects.count() == 1


def test_logout_without_a_token_is_refused_and_revokes_nothing() -> None:
    UserFactory(username="rssi")
    sign_in("rssi")

    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").post(reverse("api-logout"))

    assert response.status_code == 401
    assert AuthToken.objects.count() == 1


def test_an_expired_token_is_refused_and_deleted() -> None:
    MembershipFactory(user=UserFactory(username="rssi"))
    client = client_with(sign_in("rssi")["token"])
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))

    response = client.get(reverse("organisation-list"))

    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."
    assert AuthToken.objects.count() == 0


def test_signing_in_purges_the_accounts_expired_tokens() -> None:
    user = UserFactory(username="rssi")
    AuthToken.objects.create(user=user, expiry=timedelta(hours=10))
    AuthToken.objects.update(expiry=timezone.now() - timedelta(minutes=1))

    token = sign_in("rssi")["token"]

    assert list(AuthToken.objects.values_list("digest", flat=True)) == [hash_token(token)]


def test_the_schema_documents_the_token_scheme_and_both_endpoints(client) -> None:
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert schema["components"]["securitySchemes"]["knoxApiToken"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    }
    assert set(schema["paths"]["/api/v1/auth/token/"]) == {"post"}
    assert "security" not in schema["paths"]["/api/v1/auth/token/"]["post"]
    assert schema["paths"]["/api/v1/auth/logout/"]["post"]["security"] == [{"knoxApiToken": []}]
