"""Writes on organisations and memberships."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nis2.models import Membership, Organisation
from nis2.roles import Role

User = get_user_model()

ORGANISATION_EDITABLE_FIELDS = (
    "name",
    "population",
    "population_year",
    "nis2_status",
    "nis2_status_justification",
)


@transaction.atomic
def organisation_create(*, actor: AbstractBaseUser | None, **fields: Any) -> Organisation:
    """Create an organisation; its NIS 2 status defaults to what the scoping rule suggests."""
    organisation = Organisation(**fields)
    if not organisation.nis2_status:
        organisation.nis2_status = organisation.suggested_nis2_status()
    organisation.full_clean()
    organisation._history_user = actor  # type: ignore[attr-defined]
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: AbstractBaseUser, **fields: Any) -> Organisation:
    unknown = set(fields) - set(ORGANISATION_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation._history_user = actor  # type: ignore[attr-defined]
    organisation.save(update_fields=[*fields, "updated_at"])
    return organisation


@transaction.atomic
def membership_create(
    *, organisation: Organisation, username: str, role: str, actor: AbstractBaseUser | None, email: str = ""
) -> Membership:
    """Add a person to an organisation, creating their account (without a usable password:
    they set one through the password-reset e-mail) when it does not exist yet."""
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError({"username": _("This person is already a member of this organisation.")})
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership._history_user = actor  # type: ignore[attr-defined]
    membership.save()
    return membership


def _ensure_an_admin_remains(membership: Membership, new_role: str | None) -> None:
    if membership.role != Role.ADMIN or new_role == Role.ADMIN:
        return
    other_admins = Membership.objects.filter(organisation=membership.organisation_id, role=Role.ADMIN).exclude(
        pk=membership.pk
    )
    if not other_admins.exists():
        raise ValidationError({"role": _("An organisation must keep at least one administrator.")})


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor: AbstractBaseUser) -> Membership:
    _ensure_an_admin_remains(membership, role)
    membership.role = role
    membership.full_clean()
    membership._history_user = actor  # type: ignore[attr-defined]
    membership.save(update_fields=["role", "updated_at"])
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership, actor: AbstractBaseUser) -> None:
    _ensure_an_admin_remains(membership, None)
    membership._history_user = actor  # type: ignore[attr-defined]
    membership.delete()
