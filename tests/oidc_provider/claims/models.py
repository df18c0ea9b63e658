"""What ProConnect says about an agent, as its identity provider asserted it."""

from django.conf import settings
from django.db import models


def _default_amr() -> list[str]:
    return ["pwd"]


class Claims(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims")
    # ProConnect's ``sub``: opaque, stable per agent and per service provider.
    sub = models.CharField(max_length=128, unique=True)
    email = models.EmailField()
    given_name = models.CharField(max_length=150)
    # ProConnect's name for the family name.
    usual_name = models.CharField(max_length=150)
    siret = models.CharField(max_length=14)
    # Authentication Context Class Reference: ProConnect answers "eidas1".
    acr = models.CharField(max_length=200, default="eidas1")
    # Authentication Methods References (RFC 8176): ["pwd"], ["pwd", "totp", "mfa"]...
    amr = models.JSONField(default=_default_amr)

    def __str__(self) -> str:
        return f"{self.given_name} {self.usual_name} <{self.email}> ({self.siret})"
