"""Recurring security duties of ReCyF v2.5 (yearly account review, backup test, risk analysis every three
years...): the catalogue read from controls/data/recurring_duties.yaml and the calendar rules, as pure
functions over dates. The clock is passed in as ``today``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from nis2.clock import add_months

DUTIES_FILE = Path(__file__).resolve().parent / "data" / "recurring_duties.yaml"

# The values of controls.models.EntityCategory (this module imports no model).
IMPORTANT = "important"
ESSENTIAL = "essential"
# ReCyF's applicability marks: EI/EE applies to important and essential entities, EE to essential ones only.
APPLIES_TO_CATEGORIES = {"EI/EE": frozenset({IMPORTANT, ESSENTIAL}), "EE": frozenset({ESSENTIAL})}


class DutyStatus(StrEnum):
    NEVER_DONE = "never_done"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    DutyStatus.NEVER_DONE: _("Never recorded"),
    DutyStatus.OVERDUE: _("Overdue"),
    DutyStatus.DUE_SOON: _("Due soon"),
    DutyStatus.ON_TRACK: _("Up to date"),
}


@dataclass(frozen=True)
class Duty:
    code: str
    recyf_ref: str
    applies_to: str  # "EI/EE" or "EE"
    every_months: int
    title_fr: str
    title_en: str
    description_fr: str
    description_en: str
    source: str

    def applies_to_category(self, entity_category: str) -> bool:
        return entity_category in APPLIES_TO_CATEGORIES[self.applies_to]


@dataclass(frozen=True)
class Catalogue:
    duties: tuple[Duty, ...]
    due_soon_days: int  # Rempart's design choice (see the data file's header), not ReCyF's


@cache
def catalogue() -> Catalogue:
    """The shipped catalogue, read once per process."""
    return parse(yaml.safe_load(DUTIES_FILE.read_text(encoding="utf-8")))


def parse(document: dict[str, Any]) -> Catalogue:
    duties = tuple(
        Duty(
            code=entry["code"],
            recyf_ref=str(entry["recyf_ref"]),
            applies_to=entry["applies_to"],
            every_months=int(entry["every_months"]),
            title_fr=entry["title_fr"],
            title_en=entry["title_en"],
            description_fr=entry["description_fr"],
            description_en=entry["description_en"],
            source=entry["source"],
        )
        for entry in document["duties"]
    )
    codes = [duty.code for duty in duties]
    if len(set(codes)) != len(codes):
        raise ValueError(f"duplicate duty codes in {DUTIES_FILE.name}")
    unknown = {duty.applies_to for duty in duties} - set(APPLIES_TO_CATEGORIES)
    if unknown:
        raise ValueError(f"unknown applicability {sorted(unknown)} in {DUTIES_FILE.name}")
    return Catalogue(duties=duties, due_soon_days=int(document["due_soon_days"]))


def all_duties() -> tuple[Duty, ...]:
    return catalogue().duties


def duty_by_code(code: str) -> Duty | None:
    return next((duty for duty in all_duties() if duty.code == code), None)


def duties_for(entity_category: str) -> tuple[Duty, ...]:
    """An important entity owes the EI/EE duties; an essential entity owes them all (ReCyF v2.5)."""
    return tuple(duty for duty in all_duties() if duty.applies_to_category(entity_category))


def next_due(last_done: datetime.date | None, every_months: int, *, today: datetime.date) -> datetime.date:
    """The date the duty is next due: ``every_months`` calendar months after it was last done, the day
    clamped to the month's end; a duty never done is due today."""
    if last_done is None:
        return today
    return add_months(last_done, every_months)


def status(
    next_due: datetime.date, today: datetime.date, *, ever_done: bool = True, due_soon_days: int | None = None
) -> DutyStatus:
    """Never done, overdue (the due date has passed), due soon (due within ``due_soon_days``, today
    included) or on track."""
    if not ever_done:
        return DutyStatus.NEVER_DONE
    window = catalogue().due_soon_days if due_soon_days is None else due_soon_days
    if next_due < today:
        return DutyStatus.OVERDUE
    if (next_due - today).days <= window:
        return DutyStatus.DUE_SOON
    return DutyStatus.ON_TRACK


def period_in_words(every_months: int) -> str:
    """The period as a person says it ("every year", "every 3 years"), in the active language."""
    if every_months % 12 == 0:
        years = every_months // 12
        return str(ngettext("every year", "every %(count)s years", years) % {"count": years})
    return str(ngettext("every month", "every %(count)s months", every_months) % {"count": every_months})
