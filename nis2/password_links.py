"""The one-time link where a person without a usable password chooses one, and the e-mail that carries it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from nis2.models import Organisation

# Backends that deliver nothing: with them, a password link is only printed.
NON_DELIVERING_EMAIL_BACKENDS = frozenset(
    {"django.core.mail.backends.console.EmailBackend", "django.core.mail.backends.dummy.EmailBackend"}
)


def password_set_path(*, user: User) -> str:
    """Path of the page where ``user`` chooses a password. The link works once: Django's token is derived
    from the password hash and the last login, which setting a password changes."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password-set", kwargs={"uidb64": uidb64, "token": default_token_generator.make_token(user)})


def email_is_delivered() -> bool:
    return settings.EMAIL_BACKEND not in NON_DELIVERING_EMAIL_BACKENDS


def password_set_link_send(*, user: User, organisation: Organisation, link: str) -> bool:
    """E-mail ``user`` the link to choose a password, in the site's language; False when e-mail is not
    configured (the console backend), so the link must be handed over another way."""
    if not email_is_delivered():
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Rempart: choose your password")
        body = _(
            "You are the administrator of %(organisation)s in Rempart.\n\n"
            "Choose your password on this page (the link works only once, for a limited time):\n%(link)s\n\n"
            "Your username: %(username)s"
        ) % {
            "organisation": organisation.name,
            "link": link,
            "username": user.get_username(),
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True
