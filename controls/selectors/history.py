"""An item's or an action's history as a person reads it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Field
from django.utils.text import capfirst
from django.utils.translation import gettext

from controls.models import (
    ACTION_EDITABLE_FIELDS,
    ITEM_EDITABLE_FIELDS,
    ActionItem,
    RequirementAssessment,
)

HISTORY_FIELDS = ITEM_EDITABLE_FIELDS
ACTION_HISTORY_FIELDS = tuple(name for name in ACTION_EDITABLE_FIELDS if name != "assessment")


@dataclass(frozen=True)
class HistoryChange:
    label: str  # the field's verbose name, in the active language
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    recorded_at: datetime.datetime
    author: str
    created: bool
    changes: list[HistoryChange]


def item_history(item: RequirementAssessment) -> list[HistoryEntry]:
    """The requirement's history as a person reads it, newest first."""
    return readable_history(item, HISTORY_FIELDS)


def action_history(action: ActionItem) -> list[HistoryEntry]:
    """The action's history as a person reads it, newest first."""
    return readable_history(action, ACTION_HISTORY_FIELDS)


def readable_history(instance: RequirementAssessment | ActionItem, fields: tuple[str, ...]) -> list[HistoryEntry]:
    """``instance``'s history, newest first: each change by the field's name, a choice by its label, a
    yes/no answer in words, a person by name (``fields`` relate to people only)."""
    model = type(instance)
    records = list(instance.history.select_related("history_user").order_by("history_date", "history_id"))
    people: dict[object, User] = dict(
        get_user_model().objects.in_bulk({record.owner_id for record in records if record.owner_id})
    )
    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        changes: list[HistoryChange] = []
        if previous is not None:
            for change in record.diff_against(previous, included_fields=list(fields)).changes:
                model_field = model._meta.get_field(change.field)
                assert isinstance(model_field, Field)  # the fields listed are the model's own columns
                changes.append(
                    HistoryChange(
                        str(capfirst(model_field.verbose_name)),
                        _shown(model_field, change.old, people),
                        _shown(model_field, change.new, people),
                    )
                )
        author = record.history_user
        entries.append(
            HistoryEntry(
                recorded_at=record.history_date,
                author=(author.get_full_name() or author.get_username()) if author else "",
                created=record.history_type == "+",
                changes=changes,
            )
        )
        previous = record
    return entries[::-1]


def _shown(model_field: Field[object, object], value: object, owners: dict[object, User]) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(gettext("Yes") if value else gettext("No"))
    if model_field.is_relation:
        owner = owners.get(value)
        return (owner.get_full_name() or owner.get_username()) if owner else "—"
    return str(value)
