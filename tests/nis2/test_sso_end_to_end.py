"""Signing in with ProConnect, end to end, against a real OpenID Connect provider started by the suite
(tests/oidc_provider/, django-oauth-toolkit, signed userinfo like ProConnect's). Rempart runs in a live server;
the browser is a ``requests`` session that follows the redirects."""

import itertools
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from nis2.roles import Role
from tests.fixtures.oidc import OIDCProvider
from tests.nis2.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SIRET = "21750001600019"  # SIREN 217500016
_clients = itertools.count(1)


@pytest.fixture
def proconnect(oidc_provider: OIDCProvider, live_server, settings) -> OIDCProvider:
    """The provider, with Rempart registered as a client and configured to use it."""
    client_id, secret = f"rempart-{next(_clients)}", "-secret with spaces & symbols"
    oidc_provider.register_client(client_id, secret, f"{live_server.url}{reverse('sso-callback')}")
    settings.OIDC_RP_CLIENT_ID = client_id
    settings.OIDC_RP_CLIENT_SECRET = secret
    settings.OIDC_OP_ISSUER = oidc_provider.issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = oidc_provider.authorization_endpoint
    settings.OIDC_OP_TOKEN_ENDPOINT = oidc_provider.token_endpoint
    settings.OIDC_OP_USER_ENDPOINT = oidc_provider.userinfo_endpoint
    settings.OIDC_OP_JWKS_ENDPOINT = oidc_provider.jwks_endpoint
    settings.SESSION_COOKIE_SECURE = False  # the live server speaks plain HTTP: a Secure cookie would not come back
    return oidc_provider


def _agent(provider: OIDCProvider, username: str, *, email: str, amr: tuple[str, ...]) -> None:
    provider.add_user(
        username, "mot-de-passe-agent", email=email, given_name="Camille", usual_name="Durand", siret=SIRET, amr=amr
    )


def _sign_in(provider: OIDCProvider, live_server, username: str, next_path: str):
    """The browser: Rempart's button, the provider's login page, back to Rempart's callback. Rempart is
    reached as localhost and the provider as 127.0.0.1, so that their cookies stay apart as on two sites."""
    browser = provider.session()
    start = browser.get(f"{live_server.url}{reverse('sso-sign-in')}?next={next_path}", allow_redirects=False)
    assert start.status_code == 302
    assert start.headers["Location"].startswith(provider.authorization_endpoint)
    back = provider.authorize(browser, start.headers["Location"], username=username, password="mot-de-passe-agent")
    assert urlsplit(back).path == reverse("sso-callback")
    landed = browser.get(back, allow_redirects=False)
    return browser, landed


def test_a_new_agent_gets_an_account_without_any_role_and_sees_which_organisation_to_ask(
    proconnect, live_server
) -> None:
    paris = OrganisationFactory(name="Ville de Paris", siren="217500016")
    _agent(proconnect, "camille", email="Camille.Durand@paris.example", amr=("pwd",))

    browser, landed = _sign_in(proconnect, live_server, "camille", "/")

    assert (landed.status_code, landed.headers["Location"]) == (302, "/")
    agent = get_user_model().objects.get(email="camille.durand@paris.example")
    assert (agent.first_name, agent.last_name, agent.has_usable_password()) == ("Camille", "Durand", False)
    assert not agent.memberships.exists()
    home = browser.get(f"{live_server.url}/", headers={"Accept-Language": "fr"})
    assert home.status_code == 200
    text = home.text.replace("&#x27;", "'").replace("’", "'")
    assert "SIRET 21750001600019" in text
    assert "<strong>Ville de Paris</strong> (SIREN 217500016)" in text
    assert "demandez à l'un de ses administrateurs de vous inviter" in text
    assert browser.get(f"{live_server.url}{reverse('organisation-home', args=[paris.pk])}").status_code == 404


def test_a_member_without_a_second_factor_at_the_provider_sets_one_up_when_required(proconnect, live_server) -> None:
    organisation = OrganisationFactory(name="Ville-Prudente", mfa_required=True)
    admin = MembershipFactory(
        organisation=organisation,
        role=Role.ADMIN,
        user=UserFactory(username="dupont", email="c.dupont@prudente.example"),
    ).user
    _agent(proconnect, "c.dupont", email="C.Dupont@Prudente.example", amr=("pwd",))
    target = reverse("organisation-home", args=[organisation.pk])

    browser, landed = _sign_in(proconnect, live_server, "c.dupont", target)

    assert landed.headers["Location"] == target
    page = browser.get(f"{live_server.url}{target}", allow_redirects=False)
    assert page.status_code == 302
    assert page.headers["Location"].startswith(reverse("account-security"))
    admin.refresh_from_db()
    assert (admin.first_name, admin.last_name) == ("Camille", "Durand")  # names follow the provider


def test_a_second_factor_checked_by_the_provider_is_not_asked_again(proconnect, live_server) -> None:
    organisation = OrganisationFactory(name="Ville-Prudente", mfa_required=True)
    MembershipFactory(
        organisation=organisation,
        role=Role.SECURITY_OFFICER,
        user=UserFactory(username="rssi-prudente", email="rssi@prudente.example"),
    )
    _agent(proconnect, "rssi.prudente", email="rssi@prudente.example", amr=("pwd", "totp", "mfa"))
    target = reverse("organisation-home", args=[organisation.pk])

    browser, landed = _sign_in(proconnect, live_server, "rssi.prudente", target)

    assert landed.headers["Location"] == target
    page = browser.get(f"{live_server.url}{target}", allow_redirects=False, headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    assert re.search(r"<h1[^>]*>\s*Ville-Prudente\s*</h1>", page.text)


def test_tokens_from_another_issuer_are_refused(proconnect, live_server, settings) -> None:
    settings.OIDC_OP_ISSUER = "https://auth.agentconnect.gouv.fr/api/v2"  # not the provider that signed
    MembershipFactory(user=UserFactory(username="leger", email="leger@commune.example"))
    _agent(proconnect, "leger", email="leger@commune.example", amr=("pwd", "totp", "mfa"))

    browser, landed = _sign_in(proconnect, live_server, "leger", "/")

    assert landed.headers["Location"] == "/login/?sso=failed"
    assert browser.get(f"{live_server.url}/", allow_redirects=False).status_code == 302  # still signed out


def test_a_callback_without_the_state_rempart_sent_signs_nobody_in(proconnect, live_server) -> None:
    browser = proconnect.session()
    forged = browser.get(f"{live_server.url}{reverse('sso-callback')}?code=stolen&state=forged", allow_redirects=False)
    assert forged.status_code == 302
    assert forged.headers["Location"] == "/login/?sso=failed"
