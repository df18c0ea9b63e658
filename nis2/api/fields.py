import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from nis2.clock import AmbiguousLocalTime, NonexistentLocalTime, localize_strict, paris_time_for_display
from nis2.event_time import validate_deadline_time, validate_event_time
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
        if queryset is None:
            raise AssertionError(f"{type(self).__name__} needs a queryset")
        readable = Organisation.objects.readable_by(self.context["request"].user)
        return queryset.filter(**{f"{self.scope}__in": readable}).distinct()


# The offsets clocks use: from Baker Island (UTC-12) to Kiribati (UTC+14).
EARLIEST_OFFSET = datetime.timedelta(hours=-12)
LATEST_OFFSET = datetime.timedelta(hours=14)


class StrictDateTimeField(serializers.DateTimeField):
    """Naive input is a wall-clock time in Europe/Paris; times that do not exist or are ambiguous on
    daylight-saving nights are refused unless an explicit offset is given. An event lies between
    1 January 2000 and one day from now; a ``deadline`` may lie ahead (nis2/event_time.py). Output is on
    the Paris clock, or in UTC for an absurd stored date Paris time cannot represent."""

    # DRF's ``fail()`` fills messages with str.format, hence ``{value}`` rather than ``%(value)s``.
    default_error_messages = {
        "nonexistent": _(
            "“{value}” does not exist in Europe/Paris (clocks jump forward that night): give an explicit offset."
        ),
        "ambiguous": _(
            "“{value}” happens twice in Europe/Paris (clocks go back that night): give an explicit offset, "
            "+02:00 or +01:00."
        ),
        "offset_out_of_range": _("The offset from UTC must lie between -12:00 and +14:00."),
    }

    def __init__(self, *, deadline: bool = False, **kwargs: Any) -> None:
        self.deadline = deadline
        super().__init__(**kwargs)

    def enforce_timezone(self, value: datetime.datetime) -> datetime.datetime:
        # Only input comes here (to_representation is overridden): the bounds are checked before Django
        # converts the value, which would overflow on a year 1 or 9999.
        offset = value.utcoffset()
        if offset is not None and not EARLIEST_OFFSET <= offset <= LATEST_OFFSET:
            # Python reads offsets up to ±23:59, PostgreSQL refuses those beyond ±15:59.
            self.fail("offset_out_of_range")
        if value.tzinfo is None:
            try:
                value = localize_strict(value)
            except NonexistentLocalTime:
                self.fail("nonexistent", value=value.isoformat(sep=" "))
            except AmbiguousLocalTime:
                self.fail("ambiguous", value=value.isoformat(sep=" "))
        validate = validate_deadline_time if self.deadline else validate_event_time
        try:
            validate(value, now=timezone.now())
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages, code=error.code) from None
        return super().enforce_timezone(value)

    def to_representation(self, value: Any) -> Any:
        output_format = getattr(self, "format", api_settings.DATETIME_FORMAT)
        if not value or output_format is None or isinstance(value, str):
            return value or None
        moment = paris_time_for_display(value)
        if output_format.lower() != ISO_8601:
            return moment.strftime(output_format)
        text = moment.isoformat()
        return f"{text[:-6]}Z" if text.endswith("+00:00") else text


class StrictTimesModelSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: StrictDateTimeField,
    }
