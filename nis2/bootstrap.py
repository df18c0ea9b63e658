"""First run of a deployment: the first organisation, its administrator and the shared reference data."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from nis2.models import Membership, Organisation
from nis2.password_links import password_set_path
from nis2.roles import Role
from nis2.services import membership_create, organisation_create
from nis2.siren import normalise_siren

# Keys of the validation errors of the administrator's account, as ``organisation_bootstrap`` names them.
ADMIN_FIELD_NAMES = {"username": "admin_username", "email": "admin_email"}


def reference_data_load() -> list[str]:
    """Load the reference data every database shares, idempotently: each installed app may have a
    ``<app>.reference_data`` module whose ``load()`` returns summary lines. The core names no app."""
    lines: list[str] = []
    for app_config in apps.get_app_configs():
        module_name = f"{app_config.name}.reference_data"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        lines.extend(module.load())
    return lines


@dataclass(frozen=True)
class Bootstrap:
    """What ``organisation_bootstrap`` created (or found, for a new link)."""

    organisation: Organisation
    admin: User
    password_set_path: str
    reference_data: list[str]


def _bootstrap_admin(*, email: str, username: str, first_name: str, last_name: str) -> User:
    """The administrator's account: created without a usable password, or an existing account with
    the same username and e-mail address (the administrator of another organisation)."""
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"admin_email": error.messages}) from error
    user = User.objects.filter(username=username).first()
    if user is not None:
        if user.email.lower() != email.lower():
            raise ValidationError(
                {"admin_username": _("This username is already taken by an account with another e-mail address.")}
            )
        return user
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    try:
        user.full_clean()
    except ValidationError as error:
        raise ValidationError(
            {ADMIN_FIELD_NAMES.get(field, field): messages for field, messages in error.message_dict.items()}
        ) from error
    user.save()
    return user


@transaction.atomic
def organisation_bootstrap(
    *,
    siren: str,
    name: str,
    kind: str,
    admin_email: str,
    admin_username: str = "",
    first_name: str = "",
    last_name: str = "",
    population: int | None = None,
    population_year: int | None = None,
) -> Bootstrap:
    """First run of a deployment: the organisation with its suggested NIS 2 status, its administrator
    (no usable password: they choose one through the returned link) and the shared reference data, all or
    nothing. There is no one to act for yet: the new administrator authors the history of what is created.
    Validation errors are keyed by argument name (``siren``, ``kind``, ``admin_email``...)."""
    siren = normalise_siren(siren)
    if Organisation.objects.filter(siren=siren).exists():
        raise ValidationError(
            {"siren": ValidationError(_("An organisation with this SIREN already exists."), code="exists")}
        )
    if kind not in Organisation.Kind.values:
        raise ValidationError({"kind": _("“%(kind)s” is not a known kind of organisation.") % {"kind": kind}})
    admin = _bootstrap_admin(
        email=admin_email, username=admin_username or admin_email, first_name=first_name, last_name=last_name
    )
    organisation = organisation_create(
        actor=admin, name=name, siren=siren, kind=kind, population=population, population_year=population_year
    )
    membership_create(
        organisation=organisation, username=admin.get_username(), role=Role.ADMIN, actor=admin, email=admin_email
    )
    return Bootstrap(
        organisation=organisation,
        admin=admin,
        password_set_path=password_set_path(user=admin),
        reference_data=reference_data_load(),
    )


def organisation_bootstrap_new_link(*, siren: str, admin_email: str) -> Bootstrap:
    """A fresh password link for the administrator of an organisation already bootstrapped; writes nothing."""
    organisation = Organisation.objects.filter(siren=normalise_siren(siren)).first()
    if organisation is None:
        raise ValidationError({"siren": _("No organisation has this SIREN.")})
    membership = (
        Membership.objects.filter(organisation=organisation, role=Role.ADMIN, user__email__iexact=admin_email)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise ValidationError({"admin_email": _("No administrator of this organisation has this e-mail address.")})
    return Bootstrap(
        organisation=organisation,
        admin=membership.user,
        password_set_path=password_set_path(user=membership.user),
        reference_data=[],
    )
