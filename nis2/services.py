"""Writes on organisations and memberships."""

import importlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from nis2.models import Invitation, Membership, Organisation, invitation_token_hash
from nis2.roles import Role
from nis2.siren import normalise_siren

User = get_user_model()

ORGANISATION_EDITABLE_FIELDS = (
    "name",
    "population",
    "population_year",
    "nis2_status",
    "nis2_status_justification",
    "mfa_required",
    "registered_on",
    "registration_identifier",
    "registration_contact",
    "registration_updated_on",
)


def _registration_date_errors(organisation: Organisation, *, today: date) -> dict[str, list[str]]:
    """Dates of the registration with ANSSI (Directive (EU) 2022/2555, Art. 3(4)): recorded after the fact,
    so never in the future, and an update never before the registration itself."""
    errors: dict[str, list[str]] = {}
    for name in ("registered_on", "registration_updated_on"):
        value = getattr(organisation, name)
        if isinstance(value, date) and value > today:
            errors[name] = [_("This date is in the future: record the registration once it is made.")]
    registered_on, updated_on = organisation.registered_on, organisation.registration_updated_on
    if (
        isinstance(registered_on, date)
        and isinstance(updated_on, date)
        and updated_on < registered_on
        and "registration_updated_on" not in errors
    ):
        errors["registration_updated_on"] = [_("The registration cannot be updated before the date it was made.")]
    return errors


def _organisation_validate(organisation: Organisation, *, today: date | None) -> None:
    errors = _registration_date_errors(organisation, today=today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    organisation.full_clean()


@transaction.atomic
def organisation_create(*, actor: AbstractBaseUser | None, today: date | None = None, **fields: Any) -> Organisation:
    """Create an organisation; its NIS 2 status defaults to what the scoping rule suggests or, when the data the
    rule needs is missing, to the most demanding status that data could lead to (``provisional_status``)."""
    organisation = Organisation(**fields)
    if not organisation.nis2_status:
        organisation.nis2_status = organisation.nis2_status_suggestion().provisional_status
    _organisation_validate(organisation, today=today)
    organisation._history_user = actor  # type: ignore[attr-defined]
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, actor: AbstractBaseUser, today: date | None = None, **fields: Any
) -> Organisation:
    """Change the fields an organisation's administrators may edit (``ORGANISATION_EDITABLE_FIELDS``);
    ``today`` (Paris date by default) bounds the registration dates."""
    unknown = set(fields) - set(ORGANISATION_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    for name, value in fields.items():
        setattr(organisation, name, value)
    _organisation_validate(organisation, today=today)
    organisation._history_user = actor  # type: ignore[attr-defined]
    organisation.save(update_fields=[*fields, "updated_at"])
    return organisation


@transaction.atomic
def membership_create(
    *, organisation: Organisation, username: str, role: str, actor: AbstractBaseUser | None, email: str = ""
) -> Membership:
    """Add a person to an organisation, creating their account (without a usable password:
    they set one through the password-reset e-mail) when it does not exist yet. For the first run and
    the demo only: administrators add people through invitations (``invitation_create``), which never
    attach an existing account the person has not agreed to."""
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


# Backends that deliver nothing: with them, a password link is only printed.
NON_DELIVERING_EMAIL_BACKENDS = frozenset(
    {"django.core.mail.backends.console.EmailBackend", "django.core.mail.backends.dummy.EmailBackend"}
)
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
    admin: AbstractBaseUser
    password_set_path: str
    reference_data: list[str]


def password_set_path(*, user: AbstractBaseUser) -> str:
    """Path of the page where ``user`` chooses a password. The link works once: Django's token is derived
    from the password hash and the last login, which setting a password changes."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password-set", kwargs={"uidb64": uidb64, "token": default_token_generator.make_token(user)})


def _bootstrap_admin(*, email: str, username: str, first_name: str, last_name: str) -> AbstractBaseUser:
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


def email_is_delivered() -> bool:
    return settings.EMAIL_BACKEND not in NON_DELIVERING_EMAIL_BACKENDS


def password_set_link_send(*, user: AbstractBaseUser, organisation: Organisation, link: str) -> bool:
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


# How long an invitation link can be used.
INVITATION_VALIDITY = timedelta(days=7)


def invitation_link(*, token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("invitation-accept", kwargs={"token": token})


def invitation_email_send(*, invitation: Invitation, link: str) -> None:
    """The invitation e-mail, in the site's language. It names the organisation and the role, never
    who else holds an account."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Rempart: invitation to join %(organisation)s") % {"organisation": invitation.organisation.name}
        body = _(
            "You are invited to join %(organisation)s in Rempart as %(role)s.\n\n"
            "Accept the invitation on this page (the link works only once, until %(expires)s):\n%(link)s\n\n"
            "If you did not expect this invitation, ignore this message."
        ) % {
            "organisation": invitation.organisation.name,
            "role": invitation.get_role_display(),
            "expires": timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y %H:%M"),
            "link": link,
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, actor: AbstractBaseUser, now: datetime | None = None
) -> Invitation:
    """Invite an e-mail address to join ``organisation`` with ``role``: the person receives a one-time
    link (only its hash is stored) and becomes a member when they accept it. No account is looked up
    outside the organisation, so the answer is the same whether the address has one or not."""
    now = now or timezone.now()
    email = User.objects.normalize_email(email.strip())
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("A member of this organisation already has this e-mail address.")})
    pending = Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True, expires_at__gt=now
    )
    if pending.exists():
        raise ValidationError(
            {"email": _("This address already has a pending invitation: revoke it to send a new one.")}
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=actor,
        token_hash=invitation_token_hash(token),
        expires_at=now + INVITATION_VALIDITY,
    )
    invitation.full_clean()
    invitation._history_user = actor  # type: ignore[attr-defined]
    invitation.save()
    link = invitation_link(token=token)
    transaction.on_commit(lambda: invitation_email_send(invitation=invitation, link=link))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: AbstractBaseUser) -> None:
    if invitation.accepted_at is not None:
        raise ValidationError({"email": _("This invitation has been accepted: remove the membership instead.")})
    invitation._history_user = actor  # type: ignore[attr-defined]
    invitation.delete()


def invitation_usable(*, token: str, now: datetime | None = None, lock: bool = False) -> Invitation:
    """The invitation the link's token opens, if it can still be accepted; a ValidationError saying why
    not otherwise (unknown, already used or expired)."""
    now = now or timezone.now()
    invitations = Invitation.objects.select_related("organisation")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=invitation_token_hash(token)).first()
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."), code="unknown")
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation link has already been used."), code="used")
    if invitation.expires_at <= now:
        raise ValidationError(
            _("This invitation link has expired: ask the organisation's administrator for a new one."),
            code="expired",
        )
    return invitation


def _invitation_accept_as(*, invitation: Invitation, user: AbstractBaseUser, now: datetime) -> Membership:
    if Membership.objects.filter(user=user, organisation=invitation.organisation).exists():
        raise ValidationError(_("You are already a member of this organisation."), code="member")
    membership = Membership(user=user, organisation=invitation.organisation, role=invitation.role)
    membership.full_clean()
    membership._history_user = user  # type: ignore[attr-defined]
    membership.save()
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation._history_user = user  # type: ignore[attr-defined]
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    return membership


@transaction.atomic
def invitation_accept(*, token: str, user: AbstractBaseUser, now: datetime | None = None) -> Membership:
    """The signed-in person accepts: they become a member with the invited role, and the link is used up."""
    now = now or timezone.now()
    invitation = invitation_usable(token=token, now=now, lock=True)
    return _invitation_accept_as(invitation=invitation, user=user, now=now)


@transaction.atomic
def invitation_accept_with_new_account(*, token: str, username: str, now: datetime | None = None) -> Membership:
    """A person without an account accepts: the account is created with the invited address and no
    usable password (they choose one on the password-set page next), then the membership."""
    now = now or timezone.now()
    invitation = invitation_usable(token=token, now=now, lock=True)
    user = User(username=username, email=invitation.email)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    return _invitation_accept_as(invitation=invitation, user=user, now=now)
