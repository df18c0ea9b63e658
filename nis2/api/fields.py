from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

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
