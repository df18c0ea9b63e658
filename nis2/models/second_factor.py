"""The recovery codes of the second factor (the authenticator itself is django-otp's ``TOTPDevice``)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin


class RecoveryCodes(ThrottlingMixin, Device):  # type: ignore[misc]  # django-otp ships no type hints
    """Single-use recovery codes of one account, for when its authenticator application is lost.

    Only SHA-256 hashes are stored: the codes are random (50 bits each), so no salt or slow hash is needed,
    and a stolen database gives no usable code. Generated codes are shown once (``regenerate``)."""

    code_hashes = models.JSONField(default=list)

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    @staticmethod
    def _digest(code: str) -> str:
        normalised = "".join(code.split()).replace("-", "").upper()
        return hashlib.sha256(normalised.encode()).hexdigest()

    def regenerate(self, count: int = 10) -> list[str]:
        """Replaces every code with ``count`` new ones and returns them (the only time they are readable)."""
        codes = [_recovery_code() for _ in range(count)]
        self.code_hashes = [self._digest(code) for code in codes]
        self.confirmed = True
        self.save()
        return codes

    @property
    def remaining(self) -> int:
        return len(self.code_hashes)

    def verify_token(self, token: str) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        digest = self._digest(str(token))
        if digest not in self.code_hashes:
            self.throttle_increment(commit=True)
            return False
        self.code_hashes = [known for known in self.code_hashes if known != digest]
        self.throttle_reset(commit=False)
        self.save()
        return True

    def get_throttle_factor(self) -> int:
        return 1


def _recovery_code() -> str:
    """Ten characters of an unambiguous alphabet, grouped as ``XXXXX-XXXXX``."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"
