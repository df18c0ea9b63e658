"""Writes on organisations, memberships and invitations."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nis2.history import UNCHANGED, Unchanged, given, model_create, model_delete, model_update
from nis2.models import ORGANISATION_EDITABLE_FIELDS, Invitation, Membership, Organisation, invitation_token_hash
from nis2.password_links import email_is_delivered, password_set_link_send, password_set_path
from nis2.roles import Role

__all__ = [
    "INVITATION_VALIDITY",
    "ORGANISATION_EDITABLE_FIELDS",
    "account_names_update",
    "agent_account_create",
    "email_is_delivered",
    "invitation_accept",
    "invitation_accept_with_new_account",
    "invitation_create",
    "invitation_revoke",
    "invitation_usable",
    "membership_change_role",
    "membership_create",
    "membership_delete",
    "organisation_create",
    "organisation_update",
    "password_set_link_send",
    "password_set_path",
]


def _registration_date_errors(
    *, registered_on: date | None, updated_on: date | None, today: date
) -> dict[str, list[str]]:
    """Dates of the registration with ANSSI (Directive (EU) 2022/2555, Art. 3(4)): recorded after the fact,
    so never in the future, and an update never before the registration itself."""
    errors: dict[str, list[str]] = {}
    for name, value in (("registered_on", registered_on), ("registration_updated_on", updated_on)):
        if isinstance(value, date) and value > today:
            errors[name] = [_("This date is in the future: record the registration once it is made.")]
    if (
        isinstance(registered_on, date)
        and isinstance(updated_on, date)
        and updated_on < registered_on
        and "registration_updated_on" not in errors
    ):
        errors["registration_updated_on"] = [_("The registration cannot be updated before the date it was made.")]
    return errors


def _registration_dates_check(*, registered_on: date | None, updated_on: date | None, today: date | None) -> None:
    errors = _registration_date_errors(
        registered_on=registered_on, updated_on=updated_on, today=today or timezone.localdate()
    )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    name: str,
    siren: str,
    kind: str,
    population: int | None = None,
    population_year: int | None = None,
    parent: Organisation | None = None,
    nis2_status: str = "",
    nis2_status_justification: str = "",
) -> Organisation:
    """Create an organisation; its NIS 2 status defaults to what the scoping rule suggests or, when the data the
    rule needs is missing, to the most demanding status that data could lead to (``provisional_status``)."""
    organisation = Organisation(
        name=name,
        siren=siren,
        kind=kind,
        population=population,
        population_year=population_year,
        parent=parent,
        nis2_status=nis2_status,
        nis2_status_justification=nis2_status_justification,
    )
    if not organisation.nis2_status:
        organisation.nis2_status = organisation.nis2_status_suggestion().provisional_status
    return model_create(organisation, actor=actor)


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    actor: User | None,
    today: date | None = None,
    name: str | Unchanged = UNCHANGED,
    population: int | Unchanged | None = UNCHANGED,
    population_year: int | Unchanged | None = UNCHANGED,
    nis2_status: str | Unchanged = UNCHANGED,
    nis2_status_justification: str | Unchanged = UNCHANGED,
    mfa_required: bool | Unchanged = UNCHANGED,
    registered_on: date | Unchanged | None = UNCHANGED,
    registration_identifier: str | Unchanged = UNCHANGED,
    registration_contact: str | Unchanged = UNCHANGED,
    registration_updated_on: date | Unchanged | None = UNCHANGED,
) -> Organisation:
    """Change the fields an organisation's administrators may edit (``ORGANISATION_EDITABLE_FIELDS``), those
    given only; ``today`` (Paris date by default) bounds the registration dates."""
    data = given(
        {
            "name": name,
            "population": population,
            "population_year": population_year,
            "nis2_status": nis2_status,
            "nis2_status_justification": nis2_status_justification,
            "mfa_required": mfa_required,
            "registered_on": registered_on,
            "registration_identifier": registration_identifier,
            "registration_contact": registration_contact,
            "registration_updated_on": registration_updated_on,
        }
    )
    _registration_dates_check(
        registered_on=data.get("registered_on", organisation.registered_on),
        updated_on=data.get("registration_updated_on", organisation.registration_updated_on),
        today=today,
    )
    model_update(organisation, actor=actor, data=data)
    return organisation


@transaction.atomic
def membership_create(
    *, organisation: Organisation, username: str, role: str, actor: User | None, email: str = ""
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
    return model_create(Membership(user=user, organisation=organisation, role=role), actor=actor)


def _ensure_an_admin_remains(membership: Membership, new_role: str | None) -> None:
    if membership.role != Role.ADMIN or new_role == Role.ADMIN:
        return
    other_admins = Membership.objects.filter(organisation=membership.organisation_id, role=Role.ADMIN).exclude(
        pk=membership.pk
    )
    if not other_admins.exists():
        raise ValidationError({"role": _("An organisation must keep at least one administrator.")})


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor: User) -> Membership:
    _ensure_an_admin_remains(membership, role)
    model_update(membership, actor=actor, data={"role": role})
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership, actor: User) -> None:
    _ensure_an_admin_remains(membership, None)
    model_delete(membership, actor=actor)


def agent_account_create(*, email: str, first_name: str, last_name: str) -> User:
    """The account of a public agent signing in for the first time through single sign-on: no usable
    password and no membership; the username is the e-mail's local part, numbered when already taken."""
    base = email.split("@")[0][:140] or "agent"
    username, suffix = base, 1
    while User.objects.filter(username=username).exists():
        suffix += 1
        username = f"{base}{suffix}"
    user = User(username=username, email=email, first_name=first_name[:150], last_name=last_name[:150])
    user.set_unusable_password()
    user.save()
    return user


def account_names_update(*, user: User, first_name: str, last_name: str) -> User:
    """The person's names as the identity provider gives them, saved only when they changed."""
    names = {"first_name": first_name[:150], "last_name": last_name[:150]}
    if any(getattr(user, field) != value for field, value in names.items()):
        for field, value in names.items():
            setattr(user, field, value)
        user.save(update_fields=list(names))
    return user


# How long an invitation link can be used.
INVITATION_VALIDITY = timedelta(days=7)


def invitation_link(*, token: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + reverse("invitation-accept", kwargs={"token": token})


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
    *, organisation: Organisation, email: str, role: str, actor: User, now: datetime | None = None
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
    model_create(invitation, actor=actor)
    link = invitation_link(token=token)
    transaction.on_commit(lambda: invitation_email_send(invitation=invitation, link=link))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> None:
    if invitation.accepted_at is not None:
        raise ValidationError({"email": _("This invitation has been accepted: remove the membership instead.")})
    model_delete(invitation, actor=actor)


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


def _invitation_accept_as(*, invitation: Invitation, user: User, now: datetime) -> Membership:
    if Membership.objects.filter(user=user, organisation=invitation.organisation).exists():
        raise ValidationError(_("You are already a member of this organisation."), code="member")
    membership = model_create(
        Membership(user=user, organisation=invitation.organisation, role=invitation.role), actor=user
    )
    model_update(invitation, actor=user, data={"accepted_at": now, "accepted_by": user})
    return membership


@transaction.atomic
def invitation_accept(*, token: str, user: User, now: datetime | None = None) -> Membership:
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
