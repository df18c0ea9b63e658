"""At each sign-in, note in the session whether a second factor is still owed."""

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from nis2.mfa.policy import Proof, owed_at_sign_in, record_owed, record_proof


@receiver(user_logged_in, dispatch_uid="rempart-second-factor-at-sign-in")
def note_second_factor_owed(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is None or session.get(SESSION_KEY) != str(user.pk):
        return  # not a session sign-in (an API token was issued: it checked the second factor itself)
    if getattr(user, "identity_provider_mfa", False):
        # The identity provider (OpenID Connect ``amr``) already checked a second factor.
        record_proof(session, Proof.IDENTITY_PROVIDER)
        return
    record_owed(session, owed_at_sign_in(user))
