"""The action plan as a spreadsheet for the people who run it: headers and values in the reader's language."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from controls.models import ActionItem
from nis2 import spreadsheets


def columns() -> list[str]:
    return [
        _("Action"),
        _("Measures"),
        _("Owner"),
        _("Due date"),
        _("Overdue"),
        _("Status"),
        _("Priority"),
        _("Effort (person-days)"),
        _("Estimated cost (€)"),
        _("Progress note"),
        _("Description"),
        _("Completed on"),
    ]


def rows(actions: Iterable[ActionItem], *, today: datetime.date) -> list[dict[str, object]]:
    """One row per action, keyed by ``columns()`` (in the active language)."""
    names = columns()
    found = []
    for action in actions:
        owner = action.owner
        values: list[object] = [
            action.title,
            ", ".join(requirement.ref for requirement in action.requirements.all()),
            (owner.get_full_name() or owner.get_username()) if owner else "",
            action.due_date,
            _("Yes") if action.is_overdue(today=today) else _("No"),
            action.get_status_display(),
            action.get_priority_display(),
            action.effort_days,
            action.estimated_cost_eur,
            action.progress_note,
            action.description,
            timezone.localtime(action.completed_at).date() if action.completed_at else None,
        ]
        found.append(dict(zip(names, values, strict=True)))
    return found


def write_csv(found: list[dict[str, object]]) -> bytes:
    return spreadsheets.write_csv(columns(), found)


def write_xlsx(found: list[dict[str, object]]) -> bytes:
    return spreadsheets.write_xlsx(columns(), found, sheet_title=_("Action plan")[:31])
