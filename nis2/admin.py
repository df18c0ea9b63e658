from typing import TYPE_CHECKING

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from nis2.models import Membership, Organisation

if TYPE_CHECKING:
    # Generic for the type checker only (Django's class takes no subscript at run time).
    _MembershipInline = admin.TabularInline[Membership, Organisation]
else:
    _MembershipInline = admin.TabularInline


class MembershipInline(_MembershipInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # django-simple-history ships no type hints
    list_display = ["name", "siren", "kind", "population", "nis2_status", "parent"]
    list_filter = ["kind", "nis2_status"]
    list_select_related = ["parent"]
    search_fields = ["name", "siren"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # django-simple-history ships no type hints
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "organisation__name"]
