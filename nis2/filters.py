"""Query-string filters shared by the web pages and the API: a value the filter cannot read is refused
(a form error, a 400 naming the parameter), never taken as "no filter"."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


class StrictBooleanFormField(forms.NullBooleanField):
    """``true``/``false`` (or ``1``/``0``); anything else is refused rather than read as "no filter"."""

    TRUE, FALSE = ("true", "1"), ("false", "0")

    # NullBooleanField returns None for a blank value; its stub keeps BooleanField's ``bool``.
    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
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
class StrictBooleanFilter(filters.BooleanFilter):  # type: ignore[misc]  # django-filter ships no type hints
    field_class = StrictBooleanFormField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput)  # django-filter's boolean widget reads "maybe" as no filter
        super().__init__(*args, **kwargs)
