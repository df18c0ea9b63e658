"""Form fields shared by every app."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nis2.clock import AmbiguousLocalTime, NonexistentLocalTime, localize_strict, paris_time_for_display
from nis2.event_time import validate_deadline_time, validate_event_time

INPUT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M")
OFFSET_CHOICES = [
    ("", _("automatic")),
    ("+02:00", _("summer time, +02:00")),
    ("+01:00", _("winter time, +01:00")),
]


class ParisDateTimeWidget(forms.MultiWidget):
    template_name = "nis2/widgets/paris_datetime.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            [
                forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                forms.Select(choices=OFFSET_CHOICES),
            ],
            attrs,
        )

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_0" if id_ else id_  # the label names the date-time input

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.datetime):
            # An absurd stored date (year 9999) is shown as it is, to be corrected: saving it is refused.
            return [paris_time_for_display(value).replace(tzinfo=None), ""]
        return [value, ""]


class ParisDateTimeField(forms.MultiValueField):
    """A wall-clock time in Europe/Paris. On daylight-saving nights a time that does not exist, or that
    happens twice, is refused unless the person picks the offset. An event lies between 1 January 2000
    and one day from now; a ``deadline`` may lie ahead (nis2/event_time.py)."""

    widget = ParisDateTimeWidget
    default_error_messages = {
        "nonexistent": _("This time does not exist in Europe/Paris (clocks jump forward that night)."),
        "ambiguous": _(
            "This time happens twice in Europe/Paris that night: choose summer (+02:00) or winter (+01:00) time."
        ),
    }

    def __init__(self, *, deadline: bool = False, **kwargs: Any) -> None:
        self.deadline = deadline
        # The wall time stays a string here: Django's DateTimeField would interpret it in the current
        # zone before we can refuse a non-existent or ambiguous time.
        fields = (forms.CharField(), forms.ChoiceField(choices=OFFSET_CHOICES, required=False))
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> datetime.datetime | None:
        if not data_list or not data_list[0]:
            return None
        raw, offset = data_list[0].strip(), data_list[1] if len(data_list) > 1 else ""
        wall = None
        for pattern in INPUT_FORMATS:
            try:
                wall = datetime.datetime.strptime(raw, pattern)  # noqa: DTZ007 - a wall time, zoned below
                break
            except ValueError:
                continue
        if wall is None:
            raise forms.ValidationError(_("Enter a date and time."), code="invalid")
        if offset:
            sign = 1 if offset[0] == "+" else -1
            hours, minutes = (int(part) for part in offset[1:].split(":"))
            zone = datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))
            return wall.replace(tzinfo=zone)
        try:
            return localize_strict(wall)
        except NonexistentLocalTime:
            raise forms.ValidationError(self.error_messages["nonexistent"], code="nonexistent") from None
        except AmbiguousLocalTime:
            raise forms.ValidationError(self.error_messages["ambiguous"], code="ambiguous") from None

    def validate(self, value: datetime.datetime | None) -> None:
        super().validate(value)
        if value is not None:
            validate = validate_deadline_time if self.deadline else validate_event_time
            validate(value, now=timezone.now())


class PasswordForgottenForm(PasswordResetForm):
    """Django's reset form, also for people who never set a password (an admin created by
    ``bootstrap``, an invited member, a person restored from an archive): the e-mailed link is how they
    set one. Rempart has no external login whose accounts this would expose."""

    def get_users(self, email: str) -> Any:
        email_field = get_user_model().get_email_field_name()
        return get_user_model()._default_manager.filter(**{f"{email_field}__iexact": email, "is_active": True})
