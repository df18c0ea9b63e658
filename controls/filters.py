"""The action plan's filters, one declaration for the API (``?overdue=true&owner=…``) and the web page."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from controls.models import ActionItem
from nis2.filters import StrictBooleanFilter

User = get_user_model()


class ActionFilter(filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type hints
    owner = filters.ModelChoiceFilter(label=_("Owner"), queryset=User.objects.all())
    overdue = StrictBooleanFilter(label=_("Overdue"), method="filter_overdue")
    due_before = filters.DateFilter(label=_("Due on or before"), field_name="due_date", lookup_expr="lte")
    due_after = filters.DateFilter(label=_("Due on or after"), field_name="due_date", lookup_expr="gte")
    measure = filters.CharFilter(
        label=_("Measure"),
        method="filter_measure",
        help_text=_("A requirement reference or its beginning (“10.A” finds 10.A.1 to 10.A.6)."),
    )
    art21 = filters.CharFilter(label=_("Article 21(2) point"), method="filter_art21", max_length=1)
    open = StrictBooleanFilter(label=_("Open or in progress"), method="filter_open")

    class Meta:
        model = ActionItem
        fields = ["organisation", "status", "priority", "owner", "assessment"]

    def filter_overdue(self, queryset: QuerySet[ActionItem], name: str, value: bool | None) -> QuerySet[ActionItem]:
        if value is None:
            return queryset
        late = ActionItem.objects.overdue(today=timezone.localdate()).values("pk")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)

    def filter_open(self, queryset: QuerySet[ActionItem], name: str, value: bool | None) -> QuerySet[ActionItem]:
        if value is None:
            return queryset
        condition = Q(status__in=ActionItem.OPEN_STATUSES)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_measure(self, queryset: QuerySet[ActionItem], name: str, value: str) -> QuerySet[ActionItem]:
        ref = value.strip()
        if not ref:
            return queryset
        matching = ActionItem.objects.filter(
            Q(requirements__ref__iexact=ref) | Q(requirements__ref__istartswith=ref.rstrip(".") + ".")
        ).values("pk")
        return queryset.filter(pk__in=matching)

    def filter_art21(self, queryset: QuerySet[ActionItem], name: str, value: str) -> QuerySet[ActionItem]:
        point = value.strip().lower()
        if not point:
            return queryset
        matching = ActionItem.objects.filter(requirements__art21_points__contains=point).values("pk")
        return queryset.filter(pk__in=matching)
