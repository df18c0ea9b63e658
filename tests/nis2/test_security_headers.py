"""Headers of a security product: scripts only from the app itself, and nothing a signed-in person sees is
kept by a cache."""

import pytest
from django.test import Client
from django.urls import reverse

from nis2.roles import Role

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def test_every_page_forbids_inline_and_foreign_scripts(client: Client) -> None:
    directives = _directives(client.get(reverse("login")))

    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_signed_in_pages_are_never_stored(client: Client, organisation, member_of) -> None:
    client.force_login(member_of(organisation, Role.SECURITY_OFFICER).user)
    page = client.get(reverse("organisation-home", args=[organisation.pk]))

    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]


def test_api_answers_to_a_token_are_never_stored(organisation, member_of, api_client_for) -> None:
    client = api_client_for(member_of(organisation, Role.SECURITY_OFFICER).user)

    response = client.get(reverse("incident-list"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_api_documentation_runs_without_inline_script(client: Client) -> None:
    page = client.get(reverse("api-docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>" not in html
    start_up = client.get(reverse("api-docs") + "?script=")
    assert start_up.status_code == 200
    assert start_up["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in start_up.content.decode()
