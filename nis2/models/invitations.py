"""Invitations to join an organisation."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nis2.models.fields import user_field
from nis2.models.organisations import Organisation, TimestampedModel, readable_organisation_ids
from nis2.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def invitation_token_hash(token: str) -> str:
    """What an invitation stores of its token: the link is the only copy of the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def unguessable_token_hash() -> str:
    """The hash of a token nobody holds: an invitation imported from an archive gets one, so no
    old link opens it."""
    return invitation_token_hash(secrets.token_urlsafe(32))


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def readable_by(self, user: AbstractBaseUser | AnonymousUser) -> InvitationQuerySet:
        return self.filter(organisation_id__in=readable_organisation_ids(user))


class Invitation(TimestampedModel):
    """An e-mail address invited to join an organisation with a role. The person accepts through a
    one-time link that expires; only then does a membership exist. Inviting reveals nothing about
    the accounts Rempart already holds.

    ``token_hash`` is the SHA-256 of the token sent in the link, never the token itself;
    ``accepted_at`` and ``accepted_by`` say when and by which account the link was used (once)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    invited_by = user_field(_("invited by"))
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, default=unguessable_token_hash)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = user_field(_("accepted by"))

    history = HistoricalRecords()
    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                # The accepting account may be deleted later (SET NULL); an acceptance never lacks its date.
                condition=Q(accepted_by__isnull=True) | Q(accepted_at__isnull=False),
                name="invitation_accepted_by_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.organisation} ({self.get_role_display()})"
