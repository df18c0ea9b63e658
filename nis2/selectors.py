"""Reads of the tenancy core, scoped to what the user may see."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from nis2.models import Invitation, Membership, Organisation
from nis2.roles import Resource, roles_writing


def _largest_member() -> Subquery:
    """Population of the largest member commune entered (the organisation's children), for the scoping rule."""
    members = Organisation.objects.filter(parent=OuterRef("pk")).order_by().values("parent")
    return Subquery(members.annotate(largest=Max("population")).values("largest")[:1])


def organisation_list(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organisation]:
    return (
        Organisation.objects.readable_by(user)
        .select_related("parent")
        .annotate(member_count=Count("memberships", distinct=True), largest_member_population=_largest_member())
        .order_by("name", "pk")
    )


def membership_list(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Membership]:
    return Membership.objects.readable_by(user).select_related("user", "organisation")


def memberships_of(user: User) -> QuerySet[Membership]:
    """The user's own memberships, for navigation and the home page."""
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


def membership_in(*, user: User, organisation: Organisation) -> Membership | None:
    """The user's own membership of ``organisation`` (None for a reader through a parent organisation)."""
    return memberships_of(user).filter(organisation=organisation).first()


def children_of(*, user: AbstractBaseUser | AnonymousUser, organisation: Organisation) -> QuerySet[Organisation]:
    """The member organisations of ``organisation`` the user may read."""
    return organisation_list(user=user).filter(parent=organisation)


def members_of(*, user: AbstractBaseUser | AnonymousUser, organisation: Organisation) -> QuerySet[Membership]:
    """The members of ``organisation``, if the user may read them."""
    return membership_list(user=user).filter(organisation=organisation)


def organisation_as_stored(organisation: Organisation) -> Organisation:
    """A fresh copy of ``organisation`` from the database: a form bound to it may change it in memory,
    and a refused form must leave the page's other forms showing what is stored."""
    return Organisation.objects.get(pk=organisation.pk)


def organisation_with_siren(siren: str) -> Organisation | None:
    return Organisation.objects.filter(siren=siren).first()


def invitation_list(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Invitation]:
    """Invitations of the organisations the user may read, for the API."""
    return Invitation.objects.readable_by(user).select_related("organisation", "invited_by")


def pending_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations of the organisation still waiting for an answer (not accepted, not expired)."""
    return Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def pending_invitation(*, organisation: Organisation, invitation_id: str) -> Invitation:
    """One not-yet-accepted invitation of the organisation; 404 for any other id (of another organisation too)."""
    if not invitation_id.isdigit():
        raise Http404
    invitation = Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True, pk=int(invitation_id)
    ).first()
    if invitation is None:
        raise Http404
    return invitation


def people_who_write(*, organisation: Organisation, resource: Resource) -> list[str]:
    """ "Name (role)" of each member whose role may write ``resource``: whom a reader can ask."""
    members = (
        Membership.objects.filter(organisation=organisation, role__in=roles_writing(resource))
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    return [
        f"{member.user.get_full_name() or member.user.get_username()} ({member.get_role_display()})"
        for member in members
    ]
