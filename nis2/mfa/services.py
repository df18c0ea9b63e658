"""Writes of the second factor: setting up an authenticator, recovery codes, checking a code, removing."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from nis2.mfa.policy import Proof, mfa_required_for
from nis2.models import RecoveryCodes

if TYPE_CHECKING:
    from django.contrib.auth.models import User

security_log = logging.getLogger("rempart.security")


def _normalised(code: str) -> str:
    return "".join(code.split())


def authenticator_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator (the secret the person scans); earlier unconfirmed ones are dropped."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def pending_authenticator(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def authenticator_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirms the authenticator with a first code; replaces any earlier one and returns new recovery codes."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError({"code": _("This authenticator set-up has expired: start again.")})
    if not device.verify_token(_normalised(code)):
        raise ValidationError({"code": _("This code is not valid. Check your phone's clock and try the next code.")})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_regenerate(user=user)
    security_log.info("second factor enabled", extra={"user_id": user.pk})
    return codes


def recovery_codes_regenerate(*, user: User) -> list[str]:
    device, _created = RecoveryCodes.objects.get_or_create(user=user, defaults={"name": "recovery"})
    codes: list[str] = device.regenerate()
    return codes


def recovery_codes_remaining(*, user: User) -> int:
    device = RecoveryCodes.objects.filter(user=user).first()
    return device.remaining if device else 0


def second_factor_check(*, user: User, code: str) -> Proof | None:
    """Which proof ``code`` is (an authenticator code, or a recovery code now used up), or None.

    Each device counts its own failures and refuses codes for a growing delay after them (django-otp throttling),
    so guessing is slowed without locking the person out."""
    code = _normalised(code)
    if code.isdigit():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None and device.verify_token(code):
            return Proof.AUTHENTICATOR
    else:
        recovery = RecoveryCodes.objects.filter(user=user, confirmed=True).first()
        if recovery is not None and recovery.verify_token(code):
            security_log.warning("recovery code used", extra={"user_id": user.pk})
            return Proof.RECOVERY_CODE
    security_log.warning("second factor refused", extra={"user_id": user.pk})
    return None


@transaction.atomic
def second_factor_remove(*, user: User) -> None:
    """Removes the authenticator and the recovery codes, unless an organisation of the person requires them."""
    if mfa_required_for(user):
        raise ValidationError(
            _("An organisation you belong to requires two-factor authentication for your role: it cannot be removed.")
        )
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodes.objects.filter(user=user).delete()
    security_log.info("second factor removed", extra={"user_id": user.pk})
