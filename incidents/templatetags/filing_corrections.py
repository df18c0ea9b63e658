"""``{% for correction in obligation|filing_corrections %}``: each correcting filing of an obligation with,
field by field, what it changes in the filing it corrects (read from the prefetched filings: no query)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html_join
from django.utils.translation import gettext

from incidents.filing_changes import Change, Value, filing_changes, filing_values
from incidents.models import Filing, Obligation
from nis2.templatetags.paris_time import paris_datetime

register = template.Library()


@dataclass(frozen=True)
class ChangeLine:
    label: Any  # the field's verbose name, translated when shown
    before: str
    after: str


@dataclass(frozen=True)
class Correction:
    corrects_submitted_at: datetime.datetime
    changes: list[ChangeLine]


@register.filter
def changes_in_words(correction: Correction, separator: str) -> str:
    """ "Field before → after" for each change, joined by ``separator``; escaped."""
    if not correction.changes:
        return conditional_escape(gettext("no field changed"))
    return format_html_join(
        separator, "{} {} → {}", ((line.label, line.before, line.after) for line in correction.changes)
    )


@register.filter
def filing_corrections(obligation: Obligation) -> list[Correction]:
    filings = list(obligation.filings.all())
    by_id = {filing.pk: filing for filing in filings}
    corrections = []
    for filing in filings:
        if filing.supersedes_id is None:
            continue
        previous = by_id.get(filing.supersedes_id) or filing.supersedes
        if previous is None:
            continue  # cannot happen: a filing's supersedes_id names a filing
        changes = filing_changes(filing_values(previous), filing_values(filing))
        corrections.append(Correction(previous.submitted_at, [_line(change) for change in changes]))
    return corrections


def _line(change: Change) -> ChangeLine:
    label = getattr(Filing._meta.get_field(change.field), "verbose_name", change.field)
    return ChangeLine(label, _shown(change.before), _shown(change.after))


def _shown(value: Value) -> str:
    if isinstance(value, datetime.datetime):
        return paris_datetime(value)
    return value or "—"
