"""Reference content (catalogues, taxonomies) is stored in French and English side by side."""

from typing import Any

from django.utils.translation import get_language

SUPPORTED = ("fr", "en")


def current_language() -> str:
    language = (get_language() or "fr")[:2]
    return language if language in SUPPORTED else "fr"


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """``localized(requirement, "title")`` reads ``title_fr`` or ``title_en`` for the active language,
    falling back to French when the English text is empty."""
    language = language or current_language()
    return str(getattr(obj, f"{field}_{language}") or getattr(obj, f"{field}_fr"))
