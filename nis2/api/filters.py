"""Query-string filters read with the API's own field rules, so that a filter refuses what the same
value in a request body would: a 400 naming the parameter, never a query the database rejects."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from nis2.api.fields import StrictDateTimeField


class StrictDateTimeFormField(forms.Field):
    """A form field for django-filter that parses and bounds like ``StrictDateTimeField`` (a search bound,
    so up to ten years ahead): no impossible day, no offset beyond ±14:00, no date before 2000."""

    def to_python(self, value: Any) -> datetime.datetime | None:
        if value in self.empty_values:
            return None
        try:
            moment: datetime.datetime = StrictDateTimeField(deadline=True).run_validation(value)
        except serializers.ValidationError as error:
            details = error.detail if isinstance(error.detail, list) else [error.detail]
            raise forms.ValidationError(
                [
                    forms.ValidationError(str(detail), code=getattr(detail, "code", None) or "invalid")
                    for detail in details
                ]
            ) from None
        return moment


class StrictDateTimeFilter(filters.DateTimeFilter):
    field_class = StrictDateTimeFormField


class StrictBooleanFormField(forms.NullBooleanField):
    """``true``/``false`` (or ``1``/``0``); anything else is refused rather than read as "no filter"."""

    TRUE, FALSE = ("true", "1"), ("false", "0")

    def to_python(self, value: Any) -> bool | None:
        if value in self.empty_values:
            return None
        text = str(value).strip().lower()
        if text in self.TRUE or value is True:
            return True
        if text in self.FALSE or value is False:
            return False
        raise forms.ValidationError(_("Expected true or false."), code="invalid")

    def validate(self, value: bool | None) -> None:
        return None


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanFormField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)  # django-filter's boolean widget reads "maybe" as no filter
        super().__init__(*args, **kwargs)
