"""Shared helpers."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from bench.national_assessments import generate_actions, generate_assessments, generate_duties
from bench.national_components import generate_components
from bench.national_copy import copy_history, reset_sequences
from bench.national_country import SEED, generate_organisations, generate_people


@dataclass
class Phases:
    """Seconds spent in each phase of the generation, in order."""

    seconds: dict[str, float] = field(default_factory=dict)

    def run(self, name: str, function: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = function()
        self.seconds[name] = round(time.perf_counter() - start, 2)
        print(f"  {name:<48} {self.seconds[name]:8.1f} s", flush=True)
        return result


def generate(scale: float, *, seed: int = SEED) -> dict[str, Any]:
    """Load the national data set at ``scale`` into the current (migrated, empty) database; returns the time
    of each phase."""
    from bench import national_incidents

    generator = random.Random(seed)
    phases = Phases()
    phases.run("reference catalogues", _load_catalogues)
    country = phases.run("organisations", lambda: generate_organisations(scale, generator))
    phases.run("people and memberships", lambda: generate_people(country))
    phases.run("assessments and items", lambda: generate_assessments(country, generator))
    phases.run("action plans", lambda: generate_actions(country, scale, generator))
    phases.run("recurring duties and their reminders", lambda: generate_duties(country, generator))
    phases.run("components and sharing", lambda: generate_components(country, scale, generator))
    phases.run(
        "incidents, obligations, filings, timeline", lambda: national_incidents.generate(country, scale, generator)
    )
    phases.run("history of the other tables", lambda: _history())
    phases.run("sequences", _sequences)
    phases.run("obligations backfill (when the service has one)", _backfill)
    phases.run("vacuum analyze", _analyze)
    return {"phases": phases.seconds, "seconds": round(sum(phases.seconds.values()), 1)}


def _load_catalogues() -> None:
    from controls.catalogue_loading import load_shipped_catalogues
    from dependencies import services as dependencies

    load_shipped_catalogues()
    dependencies.load_domains()
    dependencies.load_seed_catalogue()


def history_models() -> list[Any]:
    """The tables whose history django-simple-history would hold and that the bench fills from the live rows
    (the incidents' history is written with their transitions in bench.national_incidents)."""
    from controls.models import ActionItem, Assessment, DutyCompletion
    from dependencies.models import Component, DependencySharing
    from incidents.models import CorrectiveAction, Filing, Obligation, TimelineEntry
    from nis2.models import Membership, Organisation

    return [
        Organisation,
        Membership,
        Assessment,
        ActionItem,
        DutyCompletion,
        Component,
        DependencySharing,
        Obligation,
        Filing,
        TimelineEntry,
        CorrectiveAction,
    ]


def _history() -> None:
    """'+' rows dated at creation; a '~' row dated at the last update for rows changed since. Items: created
    unrated, then rated (their live state) at their last update."""
    from controls.models import RequirementAssessment
    from incidents.models import Filing, TimelineEntry

    for model in history_models():
        if model in (Filing, TimelineEntry):
            copy_history(model, history_date="t.recorded_at")
            continue
        copy_history(model)
        copy_history(model, where="t.updated_at > t.created_at", history_date="t.updated_at", history_type="~")
    copy_history(
        RequirementAssessment,
        overrides={"current_level": "NULL", "reviewed_at": "NULL", "version": "1", "updated_at": "t.created_at"},
    )
    copy_history(
        RequirementAssessment,
        where="t.current_level IS NOT NULL",
        history_date="t.updated_at",
        history_type="~",
    )


def _sequences() -> None:
    from django.apps import apps

    reset_sequences(
        model
        for app in ("auth", "nis2", "controls", "dependencies", "incidents", "reports")
        for model in apps.get_app_config(app).get_models()
    )


def _backfill() -> str:
    """Stored fields other engineers derive from the obligations (status, next reminder...) are filled by
    their own backfill entry point when it exists."""
    from incidents import services

    backfill = getattr(services, "obligations_backfill", None)
    if backfill is None:
        return "absent"
    backfill()
    return "done"


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
