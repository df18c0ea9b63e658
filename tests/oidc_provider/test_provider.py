"""The test OpenID Connect provider behaves as ProConnect does, seen from a relying party made of ``requests``.

No Rempart code and no Rempart database: the provider runs in its own process with its own SQLite file.
"""

from __future__ import annotations

import json
import re
import secrets
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from jwcrypto import jwk, jwt

if TYPE_CHECKING:
    # Only for the annotations: imported here first, the plugin below could not have its asserts rewritten.
    from tests.fixtures.oidc import OIDCProvider

SCOPES = "openid email given_name usual_name siret"
REDIRECT_URI = "http://127.0.0.1:9/callback"
POST_LOGOUT_REDIRECT_URI = "http://127.0.0.1:9/logged-out"
ASK_FOR_AMR = json.dumps({"id_token": {"amr": {"essential": True}}})
SIRET = "21750001600019"


def http_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # 127.0.0.1 directly, whatever proxy the environment names
    return session


def _keys(provider: OIDCProvider) -> jwk.JWKSet:
    answer = http_session().get(provider.jwks_endpoint, timeout=10)
    answer.raise_for_status()
    return jwk.JWKSet.from_json(answer.text)


def _verified_claims(token: str, provider: OIDCProvider, **expected: object) -> dict:
    """The signature checked against the provider's JWKS (RS256 only), then ``exp`` if present and ``expected``."""
    verified = jwt.JWT(jwt=token, key=_keys(provider), algs=["RS256"], check_claims=expected)
    return json.loads(verified.claims)


def _exchange(provider: OIDCProvider, client_id: str, client_secret: str, code: str, *, basic: bool) -> dict:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    if basic:
        answer = http_session().post(provider.token_endpoint, data=form, auth=(client_id, client_secret), timeout=10)
    else:
        form |= {"client_id": client_id, "client_secret": client_secret}
        answer = http_session().post(provider.token_endpoint, data=form, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _callback_parameters(url: str) -> dict[str, str]:
    assert url.startswith(REDIRECT_URI + "?"), url
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def test_authorization_code_flow_as_proconnect(oidc_provider: OIDCProvider) -> None:
    client_id, client_secret, sub, state, nonce, authorization_url = _full_flow_client_and_agent(oidc_provider)
    browser = oidc_provider.session()

    # Not signed in yet: to the login page, which comes back to the authorization request.
    to_login = browser.get(authorization_url, allow_redirects=False, timeout=10)
    assert to_login.status_code == 302
    login_url = urljoin(authorization_url, to_login.headers["Location"])
    assert login_url.startswith(oidc_provider.login_url + "?next=")
    csrf_token = _login_form_token(browser, login_url)
    assert csrf_token
    signed_in = _sign_in(browser, oidc_provider, login_url, csrf_token.group(1))
    assert signed_in.status_code == 302, signed_in.text
    back_to_authorization = urljoin(oidc_provider.login_url, signed_in.headers["Location"])
    assert back_to_authorization.startswith(oidc_provider.authorization_endpoint)

    # No consent page: straight back to the relying party with a code.
    to_callback = browser.get(back_to_authorization, allow_redirects=False, timeout=10)
    assert to_callback.status_code == 302, to_callback.text
    callback = _callback_parameters(to_callback.headers["Location"])
    assert callback["state"] == state

    tokens = _exchange(oidc_provider, client_id, client_secret, callback["code"], basic=False)
    assert tokens["token_type"] == "Bearer"
    keys = _keys(oidc_provider)
    header = json.loads(jwt.JWT(jwt=tokens["id_token"]).token.objects["protected"])
    assert header["alg"] == "RS256"
    assert keys.get_key(header["kid"]) is not None
    id_token = _verified_claims(
        tokens["id_token"], oidc_provider, exp=None, iss=oidc_provider.issuer, aud=client_id, nonce=nonce
    )
    assert id_token["sub"] == sub
    assert id_token["amr"] == ["pwd", "totp", "mfa"]
    assert id_token["acr"] == "eidas1"
    assert {"auth_time", "iat", "exp", "at_hash"} <= id_token.keys()
    # As at ProConnect, the agent's identity is not in the ID token but at the userinfo endpoint.
    assert not {"email", "given_name", "usual_name", "siret"} & id_token.keys()

    userinfo = _userinfo(oidc_provider, tokens["access_token"])
    assert userinfo.status_code == 200, userinfo.text
    assert userinfo.headers["Content-Type"] == "application/jwt"
    assert json.loads(jwt.JWT(jwt=userinfo.text).token.objects["protected"])["kid"] == header["kid"]
    claims = _verified_claims(userinfo.text, oidc_provider, iss=oidc_provider.issuer, aud=client_id)
    assert claims["sub"] == sub
    assert claims["email"] == "camille.martin@paris.fr"
    assert claims["given_name"] == "Camille"
    assert claims["usual_name"] == "Martin"
    assert claims["siret"] == SIRET

    # A code is good once.
    replay = _redeem_again(oidc_provider, client_id, client_secret, callback["code"])
    assert replay.status_code == 400

    # RP-initiated logout: back to the relying party with its state, the provider's session ended.
    logout_state = secrets.token_urlsafe(32)
    logged_out = _log_out(browser, oidc_provider, tokens["id_token"], logout_state)
    assert logged_out.status_code == 302, logged_out.text
    assert logged_out.headers["Location"] == f"{POST_LOGOUT_REDIRECT_URI}?state={logout_state}"
    again = browser.get(authorization_url, allow_redirects=False, timeout=10)
    assert again.headers["Location"].startswith("/accounts/login/")


def _full_flow_client_and_agent(oidc_provider: OIDCProvider) -> tuple[str, str, str, str, str, str]:
    """A relying party registered like Rempart at ProConnect, an agent signing in with a second factor, and the
    authorization request asking for eIDAS 1 and the ``amr`` claim: client id and secret, the agent's ``sub``,
    state, nonce and the authorization URL."""
    client_id, client_secret = "selftest-full-flow", secrets.token_urlsafe(32)
    oidc_provider.register_client(
        client_id, client_secret, REDIRECT_URI, post_logout_redirect_uri=POST_LOGOUT_REDIRECT_URI
    )
    sub = oidc_provider.add_user(
        "agent.full-flow",
        "mot-de-passe-de-test",
        email="camille.martin@paris.fr",
        given_name="Camille",
        usual_name="Martin",
        siret=SIRET,
        amr=["pwd", "totp", "mfa"],
    )
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    authorization_url = f"{oidc_provider.authorization_endpoint}?" + urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": SCOPES,
            "state": state,
            "nonce": nonce,
            "acr_values": "eidas1",
            "claims": ASK_FOR_AMR,
        }
    )
    return client_id, client_secret, sub, state, nonce, authorization_url


def _sign_in(
    browser: requests.Session, oidc_provider: OIDCProvider, login_url: str, csrf_token: str
) -> requests.Response:
    """Post the agent's password on the provider's login page."""
    return browser.post(
        oidc_provider.login_url,
        data={
            "csrfmiddlewaretoken": csrf_token,
            "username": "agent.full-flow",
            "password": "mot-de-passe-de-test",
            "next": parse_qs(urlsplit(login_url).query)["next"][0],
        },
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=10,
    )


def _login_form_token(browser: requests.Session, login_url: str) -> re.Match[str] | None:
    login_page = browser.get(login_url, timeout=10)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text)


def _userinfo(oidc_provider: OIDCProvider, access_token: str) -> requests.Response:
    return http_session().get(
        oidc_provider.userinfo_endpoint, headers={"Authorization": f"Bearer {access_token}"}, timeout=10
    )


def _redeem_again(oidc_provider: OIDCProvider, client_id: str, client_secret: str, code: str) -> requests.Response:
    return http_session().post(
        oidc_provider.token_endpoint,
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI},
        auth=(client_id, client_secret),
        timeout=10,
    )


def _log_out(browser: requests.Session, oidc_provider: OIDCProvider, id_token: str, state: str) -> requests.Response:
    """RP-initiated logout, back to the relying party with its state."""
    return browser.get(
        oidc_provider.end_session_endpoint,
        params={
            "id_token_hint": id_token,
            "state": state,
            "post_logout_redirect_uri": POST_LOGOUT_REDIRECT_URI,
        },
        allow_redirects=False,
        timeout=10,
    )


def test_amr_only_when_asked_and_claims_only_for_granted_scopes(oidc_provider: OIDCProvider) -> None:
    # A secret and a password may begin with "-" (passed to the setup command as --option=value).
    client_id, client_secret = "selftest-scopes", "-" + secrets.token_urlsafe(32)
    oidc_provider.register_client(client_id, client_secret, REDIRECT_URI)
    oidc_provider.add_user(
        "agent.scopes",
        "-autre-mot-de-passe",
        email="sam.durand@example.gouv.fr",
        given_name="Sam",
        usual_name="Durand",
        siret="13002526500013",
        amr=["pwd"],
    )
    nonce = secrets.token_urlsafe(32)
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid siret",
        "state": secrets.token_urlsafe(32),
        "nonce": nonce,
    }
    # The fixture's browser: the login page on the way, then back to the relying party.
    callback = oidc_provider.authorize(
        oidc_provider.session(),
        f"{oidc_provider.authorization_endpoint}?{urlencode(query)}",
        username="agent.scopes",
        password="-autre-mot-de-passe",
    )
    tokens = _exchange(oidc_provider, client_id, client_secret, _callback_parameters(callback)["code"], basic=True)

    id_token = _verified_claims(tokens["id_token"], oidc_provider, exp=None, aud=client_id, nonce=nonce)
    assert "amr" not in id_token
    assert id_token["acr"] == "eidas1"
    userinfo = http_session().get(
        oidc_provider.userinfo_endpoint, headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=10
    )
    claims = _verified_claims(userinfo.text, oidc_provider, aud=client_id)
    assert claims["siret"] == "13002526500013"
    assert not {"email", "given_name", "usual_name"} & claims.keys()


@pytest.mark.parametrize("authorization", ["Bearer not-a-token", None])
def test_userinfo_refuses_without_a_valid_access_token(oidc_provider: OIDCProvider, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    answer = http_session().get(oidc_provider.userinfo_endpoint, headers=headers, timeout=10)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
