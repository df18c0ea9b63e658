"""Single sign-on for public agents: OpenID Connect (mozilla-django-oidc), set up for ProConnect.

ProConnect is the French State's identity federation for public agents. Rempart asks for the scopes
``openid email given_name usual_name siret``; the userinfo answer is a signed JWT, checked with the provider's keys
like the ID token, and both must name Rempart as audience and the configured issuer. The ``amr`` claim (RFC 8176)
says how the agent authenticated: when it shows a second factor, the session owes none (``nis2.mfa``).

Signing in does not grant a role: a person matched by e-mail keeps theirs; a new person gets an account and no
membership, and is shown the organisation their SIRET's SIREN designates, to ask its administrator for an invitation.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from nis2 import selectors, services
from nis2.models import Organisation

security_log = logging.getLogger("rempart.security")
SIRET_SESSION_KEY = "sso_siret"

# RFC 8176 authentication method references, by factor category. "mfa" says it outright; otherwise a second factor
# was checked when something possessed came with something known or inherent. A code sent by e-mail ("mail") counts
# as neither: a Rempart choice, the mailbox often opens with the same password.
_POSSESSION = frozenset({"otp", "totp", "hwk", "swk", "sms", "tel", "sc", "pop"})
_KNOWN_OR_INHERENT = frozenset({"pwd", "pin", "kba", "fpt", "face", "iris", "retina", "vbm"})


def sso_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def amr_shows_second_factor(amr: object) -> bool:
    """Whether an ``amr`` claim shows that the provider checked more than one factor."""
    if isinstance(amr, str):
        amr = [amr]
    if not isinstance(amr, list | tuple):
        return False
    methods = {str(method).lower() for method in amr}
    return "mfa" in methods or bool(methods & _POSSESSION and methods & _KNOWN_OR_INHERENT)


def siren_of_siret(siret: object) -> str | None:
    """The SIREN (first 9 digits) of a 14-digit SIRET, or None."""
    text = "".join(str(siret or "").split())
    return text[:9] if len(text) == 14 and text.isdigit() else None


def proposed_organisation(siret: str | None) -> Organisation | None:
    siren = siren_of_siret(siret)
    return selectors.organisation_with_siren(siren) if siren else None


class PublicAgentBackend(OIDCAuthenticationBackend):  # type: ignore[misc]  # mozilla-django-oidc ships no type hints
    """Matches the agent by e-mail, creates the account otherwise (no password, no membership)."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not sso_enabled():
            return None
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation as refusal:  # a token of another client or issuer, a bad signature or nonce
            security_log.warning("single sign-on refused: %s", refusal)
            return None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """Signature and nonce (mozilla-django-oidc), then audience and issuer, which it leaves unchecked."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The token was issued for another client.")
        issuer = settings.OIDC_OP_ISSUER
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("The token was issued by another provider.")
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("email"))

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        self._id_token_claims = payload
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is not None:
            amr = payload.get("amr", self._userinfo.get("amr"))
            user.identity_provider_mfa = amr_shows_second_factor(amr)
            siret = self._userinfo.get("siret")
            if self.request is not None:
                self.request.session[SIRET_SESSION_KEY] = siret if siren_of_siret(siret) else None
            security_log.info(
                "single sign-on", extra={"user_id": user.pk, "amr": amr, "second_factor": user.identity_provider_mfa}
            )
        return user

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        userinfo: dict[str, Any] = super().get_userinfo(access_token, id_token, payload)
        self._userinfo = userinfo
        return userinfo

    def create_user(self, claims: dict[str, Any]) -> User:
        return services.agent_account_create(
            email=claims["email"].strip().lower(),
            first_name=str(claims.get("given_name", "")),
            last_name=str(claims.get("usual_name", "")),
        )

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        return services.account_names_update(
            user=user,
            first_name=str(claims.get("given_name", user.first_name)),
            last_name=str(claims.get("usual_name", user.last_name)),
        )


class LoginPage(LoginView):
    """Django's sign-in page, with the identity provider's button when single sign-on is configured."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "sso_provider": settings.OIDC_PROVIDER_NAME if sso_enabled() else "",
        }


class SignInView(OIDCAuthenticationRequestView):  # type: ignore[misc]  # mozilla-django-oidc ships no type hints
    """Sends the browser to the identity provider (404 when single sign-on is not configured)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        response: HttpResponse = super().get(request)
        return response


class CallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]  # mozilla-django-oidc ships no type hints
    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        response: HttpResponse = super().get(request)
        return response
