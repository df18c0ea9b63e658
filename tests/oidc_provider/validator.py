"""ProConnect's claims and tokens on top of django-oauth-toolkit's validator.

- One scope per claim (``email``, ``given_name``, ``usual_name``, ``siret``), as ProConnect names them.
- The ID token carries only ``sub``, ``acr`` and, when the authorization request asked for it with
  ``claims={"id_token":{"amr":{"essential":true}}}``, ``amr`` (besides iss, aud, exp, iat, auth_time, nonce,
  at_hash, jti): the agent's identity comes from the userinfo endpoint.
- The userinfo endpoint answers ``application/jwt``: the claims signed (RS256) with the key of the ID tokens,
  under its ``kid``, with ``iss`` and ``aud`` as OpenID Connect Core 5.3.2 asks of a signed answer.
"""

import time
from collections.abc import Callable
from typing import Any

from jwcrypto import jwt
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.utils import jwk_from_pem

IDENTITY_CLAIMS = ("email", "given_name", "usual_name", "siret")
AUTHENTICATION_CLAIMS = ("acr", "amr")


def _amr_requested(requested_claims: object) -> bool:
    """The OIDC ``claims`` request parameter (Core 5.5) names ``amr`` among the ID token's claims."""
    if not isinstance(requested_claims, dict):
        return False
    id_token_claims = requested_claims.get("id_token")
    return isinstance(id_token_claims, dict) and "amr" in id_token_claims


class ProConnectValidator(OAuth2Validator):
    # A claim is given only when its scope was granted; acr and amr come with openid.
    oidc_claim_scope = {
        "sub": "openid",
        "acr": "openid",
        "amr": "openid",
        "email": "email",
        "given_name": "given_name",
        "usual_name": "usual_name",
        "siret": "siret",
    }

    def get_additional_claims(self) -> dict[str, Callable[[Any], object]]:
        """The request-agnostic form: django-oauth-toolkit then lists the claims in the discovery document."""
        return {
            "sub": lambda request: request.user.claims.sub,
            "email": lambda request: request.user.claims.email,
            "given_name": lambda request: request.user.claims.given_name,
            "usual_name": lambda request: request.user.claims.usual_name,
            "siret": lambda request: request.user.claims.siret,
            "acr": lambda request: request.user.claims.acr,
            "amr": lambda request: list(request.user.claims.amr),
        }

    def get_id_token_dictionary(self, token, token_handler, request):  # type: ignore[no-untyped-def]
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        for name in IDENTITY_CLAIMS:
            claims.pop(name, None)
        if not _amr_requested(getattr(request, "claims", None)):
            claims.pop("amr", None)
        return claims, expiration_time

    def get_userinfo_claims(self, request):  # type: ignore[no-untyped-def]
        """A string makes oauthlib answer ``Content-Type: application/jwt`` with it as the body."""
        claims = super().get_userinfo_claims(request)
        for name in AUTHENTICATION_CLAIMS:
            claims.pop(name, None)
        claims.update(
            iss=self.get_oidc_issuer_endpoint(request),
            aud=request.client.client_id,
            iat=int(time.time()),
        )
        key = jwk_from_pem(oauth2_settings.OIDC_RSA_PRIVATE_KEY)
        token = jwt.JWT(header={"typ": "JWT", "alg": "RS256", "kid": key.thumbprint()}, claims=claims)
        token.make_signed_token(key)
        return token.serialize()
