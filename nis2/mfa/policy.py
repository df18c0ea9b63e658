"""Who must present a second factor, and what a session still owes."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django_otp.plugins.otp_totp.models import TOTPDevice

from nis2.models import Membership
from nis2.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.base import SessionBase

# Roles an organisation may oblige to use a second factor (``Organisation.mfa_required``): those who administer the
# organisation and those who declare its incidents. A Rempart design choice: NIS 2 Art. 21(2)(j) asks for
# multi-factor authentication "where appropriate", without naming roles.
ROLES_BOUND_BY_MFA_REQUIREMENT = frozenset({Role.ADMIN, Role.SECURITY_OFFICER})

SESSION_KEY = "second_factor"


class Owed(StrEnum):
    """What a signed-in session still has to do before it reaches any page."""

    VERIFY = "verify"  # the account has an authenticator: enter its code
    ENROL = "enrol"  # an organisation requires one and the account has none: set it up


class Proof(StrEnum):
    """How the second factor of a session was given."""

    AUTHENTICATOR = "authenticator"
    RECOVERY_CODE = "recovery-code"
    IDENTITY_PROVIDER = "identity-provider"  # an OpenID Connect provider said it did (``amr``)


def has_authenticator(user: User) -> bool:
    confirmed: bool = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return confirmed


def mfa_required_for(user: User) -> bool:
    return Membership.objects.filter(
        user=user, role__in=ROLES_BOUND_BY_MFA_REQUIREMENT, organisation__mfa_required=True
    ).exists()


def owed_at_sign_in(user: User) -> Owed | None:
    if has_authenticator(user):
        return Owed.VERIFY
    if mfa_required_for(user):
        return Owed.ENROL
    return None


def owed(session: SessionBase) -> Owed | None:
    value = session.get(SESSION_KEY)
    return Owed(value) if value in {member.value for member in Owed} else None


def record_owed(session: SessionBase, value: Owed | None) -> None:
    session[SESSION_KEY] = value.value if value else None


def record_proof(session: SessionBase, proof: Proof) -> None:
    """The second factor was given: the session owes nothing more (the key rotates, as at any privilege change)."""
    session.cycle_key()
    session[SESSION_KEY] = None
    session["second_factor_proof"] = proof.value


def proof(session: SessionBase) -> Proof | None:
    value = session.get("second_factor_proof")
    return Proof(value) if value in {member.value for member in Proof} else None
