"""``{% page_query number %}``: the link to another page of a list, keeping its filters."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context: dict[str, Any], number: int) -> str:
    """``?key=value&…&page=N``: the request's query string (one value a key) with page ``number``;
    escaped for an attribute by the template engine."""
    kept = "".join(f"{key}={urlencode(value)}&" for key, value in context["request"].GET.items() if key != "page")
    return f"?{kept}page={number}"
