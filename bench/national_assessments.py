"""Shared helpers."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from bench.national_copy import copy_rows, insert_select, next_id
from bench.national_country import Country, Org


def _moment(day: datetime.date, generator: random.Random) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(8), tzinfo=datetime.UTC) + datetime.timedelta(
        minutes=generator.randint(0, 600)
    )


def generate_assessments(country: Country, generator: random.Random) -> None:
    """One assessment of the quarter just ended per organisation (and of the quarter before for the measured
    organisations, so that their reports compare two quarters); items rated during the quarter."""
    from controls.models import Assessment, Framework

    framework_id = Framework.objects.get(code="recyf").pk
    quarter = country.quarter
    rows, assessment_id = [], next_id(Assessment)
    for org in country.organisations:
        periods = [quarter.previous(), quarter] if org.anchor else [quarter]
        previous_id = None
        for period in periods:
            created = _moment(period.start + datetime.timedelta(days=generator.randint(0, 20)), generator)
            updated = created + datetime.timedelta(days=generator.randint(5, 60), minutes=generator.randint(0, 900))
            # The measured organisations' current assessment stays open: the bench rates its items.
            validated = period is not quarter or (not org.anchor and generator.random() < 0.3)
            rows.append(
                {
                    "id": assessment_id,
                    "organisation_id": org.id,
                    "framework_id": framework_id,
                    "label": f"{period.year}-T{period.number}",
                    "period_start": period.start,
                    "period_end": period.end,
                    "entity_category": org.category,
                    "status": "validated"
                    if validated
                    else "in_progress"
                    if org.anchor
                    else generator.choice(["draft", "in_progress", "in_progress"]),
                    "validated_at": updated if validated else None,
                    "validated_by_id": org.people["security_officer"] if validated else None,
                    "copied_from_id": previous_id,
                    "created_at": created,
                    "updated_at": updated,
                }
            )
            org.assessment_id, previous_id = assessment_id, assessment_id
            assessment_id += 1
    copy_rows(Assessment, rows)
    _items()


def _items() -> None:
    """Every assessment's items, by the server: the requirements that apply to the assessed category (as
    controls.services.assessment_create selects them), rated at random (3 % not applicable, 2 % covered by an
    alternative measure, 5 % not rated yet)."""
    from controls.models import RequirementAssessment

    sampled = (
        "(SELECT a.id AS assessment_id, r.id AS requirement_id, a.created_at, a.updated_at,"
        " random() AS u, random() AS v, random() AS w"
        " FROM controls_assessment a JOIN controls_requirement r ON r.framework_id = a.framework_id"
        " AND r.retired_at IS NULL AND CASE WHEN a.entity_category = 'essential' THEN r.applies_to_essential"
        " ELSE r.applies_to_important END ORDER BY a.id, r.position) s"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2026)")
    insert_select(
        RequirementAssessment,
        {
            "assessment_id": "s.assessment_id",
            "requirement_id": "s.requirement_id",
            "created_at": "s.created_at",
            "updated_at": "s.created_at + (s.updated_at - s.created_at) * s.w",
            "applicable": "s.u >= 0.03",
            "justification": "CASE WHEN s.u < 0.03 THEN 'Sans objet : pas de service de ce type dans la collectivité.'"
            " ELSE '' END",
            "alternative_measure": "CASE WHEN s.u >= 0.03 AND s.u < 0.05"
            " THEN 'Mesure compensatoire mutualisée avec l''intercommunalité.' ELSE '' END",
            "current_level": "CASE WHEN s.v < 0.05 THEN NULL ELSE floor(s.w * 5)::int END",
            "reviewed_at": "CASE WHEN s.v < 0.05 THEN NULL ELSE s.created_at + (s.updated_at - s.created_at) * s.w END",
            "version": "CASE WHEN s.v < 0.05 THEN 1 ELSE 2 END",
        },
        sampled,
    )


ACTION_TITLES = (
    "Déployer l'authentification multifacteur pour les comptes d'administration",
    "Tester la restauration des sauvegardes de la paie",
    "Cloisonner le réseau des écoles",
    "Réviser la politique de sécurité des systèmes d'information",
    "Former les agents à l'hameçonnage",
    "Inventorier les comptes à privilèges",
    "Chiffrer les postes nomades",
    "Contractualiser la réversibilité avec l'éditeur du logiciel d'état civil",
)


def generate_actions(country: Country, scale: float, generator: random.Random) -> None:
    from controls.models import ActionItem

    today = timezone.localdate()

    def count(org: Org) -> int:
        if org.anchor == "metropole":
            return 60
        if org.anchor == "agglomeration":
            return 30
        if org.anchor == "member":
            return 3
        return generator.randint(4, 25) if org.kind != "commune" else generator.randint(0, 3)

    def rows() -> Iterator[dict[str, Any]]:
        for org in country.organisations:
            for index in range(count(org)):
                status = generator.choices(["open", "in_progress", "done", "abandoned"], [45, 25, 25, 5])[0]
                created = _moment(today - datetime.timedelta(days=generator.randint(10, 500)), generator)
                completed = min(country.now, created + datetime.timedelta(days=generator.randint(5, 200)))
                yield {
                    "organisation_id": org.id,
                    "title": f"{ACTION_TITLES[index % len(ACTION_TITLES)]} ({index + 1})",
                    "assessment_id": org.assessment_id,
                    "owner_id": org.people["security_officer"],
                    "due_date": today + datetime.timedelta(days=generator.randint(-200, 300)),
                    "priority": generator.choice(["low", "medium", "medium", "high", "critical"]),
                    "status": status,
                    "estimated_cost_eur": Decimal(generator.randint(0, 40_000)),
                    "effort_days": Decimal(generator.randint(1, 40)),
                    "completed_at": completed if status == "done" else None,
                    "created_at": created,
                    "updated_at": completed if status in ("done", "abandoned") else created,
                }

    copy_rows(ActionItem, rows())


def generate_duties(country: Country, generator: random.Random) -> None:
    """Each organisation recorded 85 % of its recurring duties at some date of the last period (some are now
    overdue); the reminders the daily task sent up to yesterday are stored, so that a run today sends only
    today's (as the task would find them on any morning)."""
    from controls import duties
    from controls.models import DutyCompletion, DutyReminder

    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    completions, reminders = [], []
    for org in country.organisations:
        for duty in duties.duties_for(org.category):
            last_done = None
            if generator.random() < 0.85:
                last_done = today - datetime.timedelta(days=generator.randint(0, int(duty.every_months * 30.4 * 1.1)))
                completions.append(
                    {
                        "organisation_id": org.id,
                        "duty": duty.code,
                        "done_on": last_done,
                        "created_at": _moment(last_done, generator),
                        "updated_at": _moment(last_done, generator),
                    }
                )
            if org.status == "not_in_scope":
                continue
            due_on = duties.next_due(last_done, duty.every_months, today=yesterday)
            state = duties.status(due_on, yesterday, ever_done=last_done is not None)
            threshold = {"due_soon": "soon", "overdue": "overdue", "never_done": "overdue"}.get(state.value)
            if threshold:
                reminders.append(
                    {"organisation_id": org.id, "duty": duty.code, "due_on": due_on, "threshold": threshold}
                )
    copy_rows(DutyCompletion, completions)
    copy_rows(DutyReminder, reminders)
