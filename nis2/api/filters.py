"""Query-string filters read with the API's own field rules, so that a filter refuses what the same
value in a request body would: a 400 naming the parameter, never a query the database rejects."""

import datetime
from typing import Any

from django import forms
from django_filters import rest_framework as filters
from rest_framework import serializers

from nis2.api.fields import StrictDateTimeField
from nis2.filters import StrictBooleanFilter, StrictBooleanFormField

__all__ = ["StrictBooleanFilter", "StrictBooleanFormField", "StrictDateTimeFilter", "StrictDateTimeFormField"]


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


class StrictDateTimeFilter(filters.DateTimeFilter):  # type: ignore[misc]  # django-filter ships no type hints
    field_class = StrictDateTimeFormField
