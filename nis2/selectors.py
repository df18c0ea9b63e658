"""Reads of the tenancy core, scoped to what the user may see."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
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


def memberships_of(user: AbstractBaseUser) -> QuerySet[Membership]:
    """The user's own memberships, for navigation and the home page."""
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


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
