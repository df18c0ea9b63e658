"""Brute-force protection of the login page and the API token endpoint (django-axes).

Five failures for one username from one address suspend that username from that address for 15 minutes;
each failure is recorded as an access attempt.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.nis2.factories import UserFactory

pytestmark = pytest.mark.django_db

RIGHT_PASSWORD = "correct-horse-battery"
ATTACKER_ADDRESS = "198.51.100.7"
FRENCH_LOCKOUT_MESSAGE = (
    "Trop de tentatives de connexion échouées. La connexion à ce compte depuis cette adresse est suspendue "
    "pendant 15 minutes."
)
ENGLISH_LOCKOUT_MESSAGE = (
    "Too many failed login attempts. Logging in to this account from this address is suspended for 15 minutes."
)


def web_login(username: str, password: str, address: str = ATTACKER_ADDRESS) -> tuple[Client, object]:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr", REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": username, "password": password})
    return client, response


def api_login(username: str, password: str, language: str = "en", address: str = ATTACKER_ADDRESS) -> object:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)
    return client.post(reverse("api-token"), {"username": username, "password": password}, format="json")


def fail_web_logins(username: str, times: int, address: str = ATTACKER_ADDRESS) -> list[int]:
    return [web_login(username, f"wrong-{attempt}", address)[1].status_code for attempt in range(times)]


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_login_page_refuses_even_the_right_password_after_five_failures() -> None:
    UserFactory(username="elu")

    statuses = fail_web_logins("elu", 5)
    client, response = web_login("elu", RIGHT_PASSWORD)

    assert statuses == [200, 200, 200, 200, 429]
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>Connexion suspendue</h1>" in html
    assert FRENCH_LOCKOUT_MESSAGE in html
    assert not is_signed_in(client)
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("elu", ATTACKER_ADDRESS, 6)


def test_four_failures_then_the_right_password_logs_in_and_clears_the_count() -> None:
    UserFactory(username="elu")

    statuses = fail_web_logins("elu", 4)
    client, response = web_login("elu", RIGHT_PASSWORD)

    assert statuses == [200, 200, 200, 200]
    assert response.status_code == 302
    assert is_signed_in(client)
    assert AccessAttempt.objects.count() == 0


def test_the_lockout_holds_one_username_from_one_address() -> None:
    UserFactory(username="elu")
    UserFactory(username="rssi")
    fail_web_logins("elu", 5)

    colleague, colleague_response = web_login("rssi", RIGHT_PASSWORD)
    elsewhere, elsewhere_response = web_login("elu", RIGHT_PASSWORD, address="203.0.113.20")

    assert colleague_response.status_code == 302
    assert is_signed_in(colleague)
    assert elsewhere_response.status_code == 302
    assert is_signed_in(elsewhere)


def test_the_lockout_ends_after_the_fifteen_minute_cool_off() -> None:
    UserFactory(username="elu")
    fail_web_logins("elu", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    still_locked = web_login("elu", RIGHT_PASSWORD)[1]
    # The refused attempt above started the cool-off again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))

    client, response = web_login("elu", RIGHT_PASSWORD)

    assert still_locked.status_code == 429
    assert response.status_code == 302
    assert is_signed_in(client)
    assert AccessAttempt.objects.count() == 0


def test_an_operator_lifts_a_lockout_with_axes_reset_username() -> None:
    UserFactory(username="elu")
    fail_web_logins("elu", 5)

    call_command("axes_reset_username", "elu", verbosity=0)
    client, response = web_login("elu", RIGHT_PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_the_token_endpoint_answers_429_in_the_api_error_shape_after_five_failures() -> None:
    UserFactory(username="elu")

    statuses = [api_login("elu", "wrong").status_code for _ in range(5)]
    response = api_login("elu", RIGHT_PASSWORD)

    assert statuses == [400, 400, 400, 400, 429]
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert response.json() == {
        "detail": ENGLISH_LOCKOUT_MESSAGE,
        "errors": [{"field": None, "code": "sign_in_suspended", "message": ENGLISH_LOCKOUT_MESSAGE}],
    }
    assert AuthToken.objects.count() == 0
    assert AccessAttempt.objects.get().failures_since_start == 6


def test_the_token_endpoint_lockout_message_follows_the_request_language() -> None:
    UserFactory(username="elu")
    for _ in range(5):
        api_login("elu", "wrong")

    response = api_login("elu", RIGHT_PASSWORD, language="fr")

    assert response.status_code == 429
    assert response.json()["detail"] == FRENCH_LOCKOUT_MESSAGE


def test_failures_on_the_api_and_the_login_page_add_up() -> None:
    UserFactory(username="elu")
    for _ in range(3):
        api_login("elu", "wrong")
    fail_web_logins("elu", 2)

    response = api_login("elu", RIGHT_PASSWORD)

    assert response.status_code == 429


def test_the_token_endpoint_still_serves_another_account_from_the_same_address() -> None:
    UserFactory(username="elu")
    UserFactory(username="rssi")
    for _ in range(5):
        api_login("elu", "wrong")

    response = api_login("rssi", RIGHT_PASSWORD)

    assert response.status_code == 200
    assert set(response.json()) == {"token", "expiry"}
