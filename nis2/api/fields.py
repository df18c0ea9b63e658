import datetime
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from nis2.clock import AmbiguousLocalTime, NonexistentLocalTime, localize_strict
from nis2.models import Organisation


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A related object the requesting user may read; others are reported as not existing.

    ``scope`` is the lookup from the related model to its organisation (``"pk"`` for organisations,
    ``"organisation"``, ``"assessment__organisation"``, ``"memberships__organisation"`` for people).
    """

    def __init__(self, *, scope: str, **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        readable = Organisation.objects.readable_by(self.context["request"].user)
        return queryset.filter(**{f"{self.scope}__in": readable}).distinct()


class StrictDateTimeField(serializers.DateTimeField):
    """Naive input is a wall-clock time in Europe/Paris; times that do not exist or are ambiguous on
    daylight-saving nights are refused unless an explicit offset is given."""

    default_error_messages = {
        "nonexistent": _(
            "“%(value)s” does not exist in Europe/Paris (clocks jump forward that night): give an explicit offset."
        ),
        "ambiguous": _(
            "“%(value)s” happens twice in Europe/Paris (clocks go back that night): give an explicit offset, "
            "+02:00 or +01:00."
        ),
    }

    def enforce_timezone(self, value: datetime.datetime) -> datetime.datetime:
        if value.tzinfo is None:
            try:
                value = localize_strict(value)
            except NonexistentLocalTime:
                self.fail("nonexistent", value=value.isoformat(sep=" "))
            except AmbiguousLocalTime:
                self.fail("ambiguous", value=value.isoformat(sep=" "))
        return super().enforce_timezone(value)


class StrictTimesModelSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: StrictDateTimeField,
    }
