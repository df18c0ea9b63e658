"""What the app's update services share: an owner must be a member."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nis2.models import Membership


def ensure_member(organisation_id: int, user: User | None, field: str) -> None:
    if user is not None and not Membership.objects.filter(organisation_id=organisation_id, user=user).exists():
        raise ValidationError({field: _("The owner must be a member of the organisation.")})
