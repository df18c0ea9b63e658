"""Reads of the tenancy core, scoped to what the user may see."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, QuerySet

from nis2.models import Membership, Organisation


def organisation_list(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organisation]:
    return (
        Organisation.objects.readable_by(user)
        .select_related("parent")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name", "pk")
    )


def membership_list(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Membership]:
    return Membership.objects.readable_by(user).select_related("user", "organisation")


def memberships_of(user: AbstractBaseUser) -> QuerySet[Membership]:
    """The user's own memberships, for navigation and the home page."""
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")
