"""As of a date: quarterly reports read the history tables."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from controls import scoring
from controls.models import (
    ActionItem,
    Assessment,
    Requirement,
    RequirementAssessment,
)


def assessment_as_of(
    *, organisation_id: int, start: datetime.date, end: datetime.date, as_of: datetime.datetime
) -> Assessment | None:
    """The organisation's assessment of the period as it stood at ``as_of`` (``assessments_as_of_for``)."""
    found = assessments_as_of_for(organisation_ids=[organisation_id], start=start, end=end, as_of=as_of)
    return found.get(organisation_id)


def assessments_as_of_for(
    *, organisation_ids: Iterable[int], start: datetime.date, end: datetime.date, as_of: datetime.datetime
) -> dict[int, Assessment]:
    """Each organisation's assessment of the period as it stood at ``as_of`` (validated ones first, then the
    latest period); the organisation-wide one, not an information system's analysis. Organisations without
    one are left out. One query, whatever the number of organisations."""
    candidates: dict[int, list[Assessment]] = {}
    for assessment in (
        Assessment.history.as_of(as_of)
        .filter(
            organisation_id__in=sorted(set(organisation_ids)),
            period_start__gte=start,
            period_end__lte=end,
            information_system="",
        )
        .order_by("-period_start", "pk")
    ):
        candidates.setdefault(assessment.organisation_id, []).append(assessment)
    chosen = {}
    for organisation_id, found in candidates.items():
        found.sort(key=lambda assessment: assessment.status != Assessment.Status.VALIDATED)
        chosen[organisation_id] = found[0]
    return chosen


RatedItem = tuple[scoring.ItemRating, str, str]  # (rating, title_fr, title_en)


def ratings_as_of(assessment_id: int, as_of: datetime.datetime) -> list[RatedItem]:
    """(rating, title_fr, title_en) of each item as it stood at ``as_of``; catalogue texts are current."""
    return ratings_as_of_for([(assessment_id, as_of)]).get((assessment_id, as_of), [])


def ratings_as_of_for(
    lookups: Iterable[tuple[int, datetime.datetime]],
) -> dict[tuple[int, datetime.datetime], list[RatedItem]]:
    """The items of each (assessment id, moment) as they stood at that moment, in the catalogue's order, as
    ``ratings_as_of`` gives them; an assessment without items is left out. One query per distinct moment and
    one for the requirements, whatever the number of assessments."""
    wanted: dict[datetime.datetime, set[int]] = {}
    for assessment_id, as_of in lookups:
        wanted.setdefault(as_of, set()).add(assessment_id)
    items: dict[tuple[int, datetime.datetime], list[dict[str, Any]]] = {}
    for as_of, assessment_ids in wanted.items():
        for row in (
            RequirementAssessment.history.as_of(as_of)
            .filter(assessment_id__in=sorted(assessment_ids))
            .values(
                "assessment_id", "requirement_id", "applicable", "current_level", "target_level", "alternative_measure"
            )
        ):
            items.setdefault((row["assessment_id"], as_of), []).append(row)
    requirements = _requirement_texts({row["requirement_id"] for rows in items.values() for row in rows})
    return {key: _rated_items(rows, requirements) for key, rows in items.items()}


@dataclass(frozen=True)
class _RequirementText:
    position: int
    ref: str
    weight: int
    art21_points: str
    section_refs: tuple[str, ...]
    title_fr: str
    title_en: str


def _requirement_texts(requirement_ids: set[int]) -> dict[int, _RequirementText]:
    if not requirement_ids:
        return {}
    rows = Requirement.objects.filter(pk__in=sorted(requirement_ids)).values_list(
        "pk",
        "position",
        "ref",
        "weight",
        "art21_points",
        "section__parent__ref",
        "section__ref",
        "title_fr",
        "title_en",
    )
    return {
        pk: _RequirementText(
            position, ref, weight, art21, tuple(part for part in (parent, section) if part), title_fr, title_en
        )
        for pk, position, ref, weight, art21, parent, section, title_fr, title_en in rows
    }


def _rated_items(items: list[dict[str, Any]], requirements: dict[int, _RequirementText]) -> list[RatedItem]:
    result = []
    for item in sorted(items, key=lambda item: requirements[item["requirement_id"]].position):
        requirement = requirements[item["requirement_id"]]
        rating = scoring.ItemRating(
            ref=requirement.ref,
            weight=requirement.weight,
            applicable=item["applicable"],
            current_level=item["current_level"],
            target_level=item["target_level"],
            art21_points=requirement.art21_points,
            section_refs=requirement.section_refs,
            alternative=bool(item["alternative_measure"]),
        )
        result.append((rating, requirement.title_fr, requirement.title_en))
    return result


def actions_as_of(*, organisation_ids: list[int], as_of: datetime.datetime) -> list[dict[str, object]]:
    """The organisations' actions as they stood at ``as_of``, each with its owner's name (``owner``)."""
    return actions_as_of_for(organisation_ids=organisation_ids, moments=[as_of])[as_of]


def actions_as_of_for(
    *, organisation_ids: list[int], moments: Iterable[datetime.datetime]
) -> dict[datetime.datetime, list[dict[str, object]]]:
    """The organisations' actions as they stood at each moment (``actions_as_of``): one query per distinct
    moment and one for the owners' names."""
    rows = {
        as_of: list(
            ActionItem.history.as_of(as_of)
            .filter(organisation_id__in=organisation_ids)
            .values("pk", "title", "owner_id", "due_date", "status", "completed_at", "priority")
        )
        for as_of in dict.fromkeys(moments)
    }
    owner_ids = {row["owner_id"] for found in rows.values() for row in found if row["owner_id"]}
    owners = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=owner_ids)
    }
    for found in rows.values():
        for row in found:
            row["owner"] = owners.get(row.pop("owner_id"), "")
    return rows


def not_applicable_as_of(assessment_id: int, as_of: datetime.datetime) -> list[tuple[str, str]]:
    """(ref, justification) of the assessment's requirements marked not applicable at ``as_of``, by ref."""
    rows = list(
        RequirementAssessment.history.as_of(as_of)
        .filter(assessment_id=assessment_id, applicable=False)
        .values_list("requirement__ref", "justification")
    )
    return sorted((ref, justification) for ref, justification in rows)


def open_action_ids_as_of(organisation_id: int, as_of: datetime.datetime) -> list[int]:
    """Ids of the organisation's actions open at ``as_of`` (the actions' ids, not the history rows'), ascending."""
    rows = (
        ActionItem.history.as_of(as_of)
        .filter(organisation_id=organisation_id, status__in=ActionItem.OPEN_STATUSES)
        .values_list("id", flat=True)
    )
    return sorted(rows)
