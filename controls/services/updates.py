"""What every update service of the app shares: the fields a caller left out, the owner's membership."""

from __future__ import annotations

import enum
from typing import Final, Literal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nis2.models import Membership


class _Unchanged(enum.Enum):
    UNCHANGED = "unchanged"


#: The default of an update's field the caller did not give: left as it is (``None`` is a value: "nobody").
UNCHANGED: Final = _Unchanged.UNCHANGED
Unchanged = Literal[_Unchanged.UNCHANGED]


def given(values: dict[str, object]) -> dict[str, object]:
    """``values`` without the fields left ``UNCHANGED``."""
    return {name: value for name, value in values.items() if value is not UNCHANGED}


def ensure_member(organisation_id: int, user: User | None, field: str) -> None:
    if user is not None and not Membership.objects.filter(organisation_id=organisation_id, user=user).exists():
        raise ValidationError({field: _("The owner must be a member of the organisation.")})
