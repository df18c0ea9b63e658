"""Sign-in lockouts count the client's address, also behind the reverse proxy (TRUSTED_PROXY_COUNT)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from nis2.client_address import client_address
from tests.nis2.factories import UserFactory


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_a_proxy_the_forwarded_header_is_the_client_s_word_and_ignored(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_one_proxy_the_address_it_appended_counts_not_what_the_client_wrote(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(_request("172.18.0.5", "203.0.113.7")) == "203.0.113.7"
    assert client_address(_request("172.18.0.5", "1.2.3.4, 203.0.113.7")) == "203.0.113.7"
    assert client_address(_request("172.18.0.5")) == "172.18.0.5"  # no header: the proxy's own request


def test_behind_two_proxies(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(_request("10.0.0.2", "9.9.9.9, 203.0.113.7, 10.0.0.1")) == "203.0.113.7"


@pytest.mark.django_db
def test_behind_the_proxy_one_address_guessing_does_not_lock_out_the_others(client, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory(username="dgs")
    proxy = {"REMOTE_ADDR": "172.18.0.5", "HTTP_ACCEPT_LANGUAGE": "fr"}
    for _ in range(5):
        client.post(
            reverse("login"), {"username": "dgs", "password": "wrong"}, HTTP_X_FORWARDED_FOR="203.0.113.66", **proxy
        )
    attacker = client.post(
        reverse("login"),
        {"username": "dgs", "password": "correct-horse-battery"},
        HTTP_X_FORWARDED_FOR="203.0.113.66",
        **proxy,
    )
    assert attacker.status_code == 429
    colleague = client.post(
        reverse("login"),
        {"username": user.username, "password": "correct-horse-battery"},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
        **proxy,
    )
    assert colleague.status_code == 302
