"""``{{ moment|paris_datetime }}``: a stored moment shown on the Paris clock.

Django's ``date`` filter converts to local time before formatting, and that conversion overflows on an
absurd stored date (9999-12-31 23:30 UTC is in year 10000 in Paris): one such row would make every page
listing it fail. This filter shows such a moment in UTC, marked as such, for someone to correct it.
"""

from __future__ import annotations

import datetime

from django import template
from django.utils import formats

from nis2.clock import PARIS, paris_time_for_display

register = template.Library()


@register.filter(expects_localtime=False)
def paris_datetime(value: object, format_name: str = "SHORT_DATETIME_FORMAT") -> str:
    """``format_name`` is a Django date format or format setting (``"c"`` for ISO 8601, which carries its
    offset)."""
    if not isinstance(value, datetime.datetime):
        return "" if value is None else str(value)
    moment = paris_time_for_display(value)
    text = formats.date_format(moment, format_name)
    if moment.tzinfo is PARIS or format_name == "c":
        return text
    return f"{text} UTC"
