"""Reads of catalogues, assessments and actions, with the joins and aggregates in one place."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.models import User as DjangoUser
from django.db.models import Count, F, Prefetch, Q, QuerySet

from controls import scoring
from controls.models import (
    ActionItem,
    Assessment,
    Evidence,
    Framework,
    Requirement,
    RequirementAssessment,
    RequirementMapping,
    RequirementQuerySet,
    Section,
)
from nis2.models import Organisation, readable_organisation_ids

User = AbstractBaseUser | AnonymousUser


def framework_list() -> QuerySet[Framework]:
    return Framework.objects.annotate(
        requirement_count=Count("requirements", filter=Q(requirements__retired_at__isnull=True))
    ).order_by("code")


def requirement_list(*, framework: Framework) -> RequirementQuerySet:
    return (
        Requirement.objects.filter(framework=framework)
        .select_related("section__parent")
        .prefetch_related("checklist_items")
        .order_by("position")
    )


def requirements_shown(
    *, framework: Framework, include_retired: bool, applies_to: str | None, art21_point: str | None
) -> RequirementQuerySet:
    """A framework's requirements as the catalogue API filters them: active ones unless retired ones are
    asked for, those applicable to an entity category, those under one point of Art. 21(2) (a letter)."""
    queryset = requirement_list(framework=framework)
    if not include_retired:
        queryset = queryset.active()
    if applies_to in ("important", "essential"):
        queryset = queryset.applicable_to(applies_to)
    if art21_point is not None and len(art21_point) == 1:
        queryset = queryset.filter(art21_points__contains=art21_point.lower())
    return queryset


def assessment_list(*, user: User) -> QuerySet[Assessment]:
    readable: QuerySet[Assessment] = Assessment.objects.readable_by(user)
    return (
        readable.select_related("framework", "organisation", "validated_by")
        .annotate(
            applicable_count=Count("items", filter=Q(items__applicable=True)),
            assessed_count=Count("items", filter=Q(items__applicable=True, items__current_level__isnull=False)),
        )
        .order_by("organisation__name", "-period_start", "label")
    )


def item_list(*, user: User) -> QuerySet[RequirementAssessment]:
    return (
        RequirementAssessment.objects.filter(assessment__organisation_id__in=readable_organisation_ids(user))
        .select_related("assessment", "requirement__section__parent", "owner")
        .prefetch_related(
            "requirement__checklist_items",
            Prefetch("evidence", queryset=Evidence.objects.select_related("added_by").order_by("-created_at")),
        )
        .order_by("requirement__position")
    )


def items_of_readable_assessment(*, user: User, assessment_id: int | str) -> QuerySet[RequirementAssessment] | None:
    """The items of one assessment the user may read; ``None`` when the assessment is not theirs to read."""
    if not assessment_list(user=user).filter(pk=assessment_id).exists():
        return None
    return item_list(user=user).filter(assessment_id=assessment_id)


# What a reader of an item's or an action's history is told about: what a person may change on it.


def evidence_list(*, user: User) -> QuerySet[Evidence]:
    return Evidence.objects.filter(
        item__assessment__organisation_id__in=readable_organisation_ids(user)
    ).select_related("item__assessment", "added_by")


def action_list(*, user: User) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.readable_by(user)
        .select_related("organisation", "owner", "assessment")
        .prefetch_related(Prefetch("requirements", queryset=Requirement.objects.only("id", "ref", "framework_id")))
        .order_by("due_date", "pk")
    )


def section_chain_refs(section: Section) -> tuple[str, ...]:
    chain = []
    current: Section | None = section
    while current is not None:
        chain.append(current.ref)
        current = current.parent
    return tuple(reversed(chain))


# scoring.ItemRating's fields read from an item row, by the lookup that reads each.
_RATING_FIELDS = {
    "ref": "requirement__ref",
    "weight": "requirement__weight",
    "applicable": "applicable",
    "current_level": "current_level",
    "target_level": "target_level",
    "art21_points": "requirement__art21_points",
}


def _item_rating(values: list[Any], *, section_refs: tuple[str, ...] = ()) -> scoring.ItemRating:
    return scoring.ItemRating(**dict(zip(_RATING_FIELDS, values, strict=True)), section_refs=section_refs)


def ratings_of(assessment: Assessment) -> list[scoring.ItemRating]:
    """The assessment's items as plain data for the scoring functions (one query)."""
    rows = (
        RequirementAssessment.objects.filter(assessment=assessment)
        .order_by("requirement__position")
        .values_list(
            *_RATING_FIELDS.values(),
            "requirement__section__ref",
            "requirement__section__parent__ref",
            "requirement__section__parent__parent__ref",
        )
    )
    ratings = []
    for *rating, section, parent, grandparent in rows:
        chain = tuple(part for part in (grandparent, parent, section) if part)
        ratings.append(_item_rating(rating, section_refs=chain))
    return ratings


def previous_validated(assessment: Assessment) -> Assessment | None:
    return (
        Assessment.objects.filter(
            organisation=assessment.organisation_id,
            framework=assessment.framework_id,
            status=Assessment.Status.VALIDATED,
            information_system=assessment.information_system,
            period_start__lt=assessment.period_start,
        )
        .order_by("-period_start")
        .first()
    )


@dataclass(frozen=True)
class AssessmentScores:
    overall: scoring.Score
    by_art21_point: dict[str, scoring.Score]
    by_section: dict[str, scoring.Score]
    section_titles: dict[str, str]
    previous_by_art21_point: dict[str, scoring.Score]
    previous_label: str | None


def assessment_scores(assessment: Assessment) -> AssessmentScores:
    ratings = ratings_of(assessment)
    previous = previous_validated(assessment)
    top_sections = Section.objects.filter(framework=assessment.framework_id, parent__isnull=True)
    return AssessmentScores(
        overall=scoring.score(ratings),
        by_art21_point=scoring.scores_by_art21_point(ratings),
        by_section=scoring.scores_by_top_section(ratings),
        section_titles={section.ref: section.title for section in top_sections},
        previous_by_art21_point=scoring.scores_by_art21_point(ratings_of(previous)) if previous else {},
        previous_label=previous.label if previous else None,
    )


def assessment_gaps(assessment: Assessment) -> list[tuple[scoring.Gap, RequirementAssessment]]:
    """Gaps worst first, each with its item (for titles, owners and the one-click action)."""
    items = {
        item.requirement.ref: item
        for item in RequirementAssessment.objects.filter(assessment=assessment).select_related("requirement", "owner")
    }
    return [(gap, items[gap.ref]) for gap in scoring.gaps(ratings_of(assessment))]


def assessment_comparison(assessment: Assessment) -> scoring.Comparison | None:
    previous = previous_validated(assessment)
    if previous is None:
        return None
    return scoring.compare(ratings_of(previous), ratings_of(assessment))


def mapped_frameworks(framework: Framework) -> QuerySet[Framework]:
    """Frameworks linked to this one by a correspondence table, in either direction."""
    return (
        Framework.objects.filter(
            Q(requirements__mappings_to__source__framework=framework)
            | Q(requirements__mappings_from__target__framework=framework)
        )
        .exclude(pk=framework.pk)
        .distinct()
        .order_by("code")
    )


def derived_coverage(assessment: Assessment, target: Framework) -> list[scoring.DerivedLevel]:
    """Levels implied for another framework's requirements through the mapping, either direction."""
    forward = RequirementMapping.objects.filter(
        source__framework=assessment.framework_id, target__framework=target
    ).values_list("source__ref", "target__ref", "strength")
    backward = RequirementMapping.objects.filter(
        target__framework=assessment.framework_id, source__framework=target
    ).values_list("target__ref", "source__ref", "strength")
    links = [*forward, *backward]
    target_refs = (
        Requirement.objects.filter(framework=target).active().order_by("position").values_list("ref", flat=True)
    )
    ratings = {rating.ref: rating for rating in ratings_of(assessment)}
    return scoring.derived_levels(list(target_refs), links, ratings)


def requirement_choices() -> QuerySet[Requirement]:
    """Every requirement, for another app's field that points at one (incidents' implicated requirements)."""
    return Requirement.objects.all()


def latest_organisation_wide_assessments(organisation_ids: list[int]) -> dict[int, Assessment]:
    """Each organisation's latest organisation-wide assessment (not an information system's), by the start of
    its period; organisations without one are left out. One query."""
    latest: dict[int, Assessment] = {}
    organisation_wide = Assessment.objects.filter(organisation_id__in=organisation_ids, information_system="")
    for assessment in organisation_wide.order_by("organisation_id", "-period_start"):
        latest.setdefault(assessment.organisation_id, assessment)
    return latest


def overdue_actions(*, organisation: Organisation, today: datetime.date) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(organisation=organisation).overdue(today=today).select_related("owner")


def requirements_assessed_by(organisation: Organisation, refs: list[str]) -> list[Requirement]:
    """Requirements with these references (any case) in the frameworks the organisation assesses."""
    condition = Q()
    for ref in refs:
        condition |= Q(ref__iexact=ref)
    frameworks = Assessment.objects.filter(organisation=organisation).values("framework_id")
    return list(Requirement.objects.filter(condition, framework__in=frameworks).order_by("framework_id", "position"))


def open_actions_by_requirement(*, organisation_id: int, requirement_ids: list[int]) -> dict[int, ActionItem]:
    """The open action that covers each requirement (the earliest made), for a gap's "open its action"."""
    found: dict[int, ActionItem] = {}
    links = ActionItem.requirements.through.objects.filter(
        requirement_id__in=requirement_ids,
        actionitem__organisation_id=organisation_id,
        actionitem__status__in=ActionItem.OPEN_STATUSES,
    ).select_related("actionitem")
    for link in links.order_by("actionitem_id"):
        found.setdefault(link.requirement_id, link.actionitem)
    return found


def actions_owned(*, organisation: Organisation, owner: DjangoUser) -> QuerySet[ActionItem]:
    """The person's open actions in the organisation, the earliest due first (no date last)."""
    return (
        ActionItem.objects.filter(organisation=organisation, owner=owner)
        .open()
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )


def ratings_for_assessments(assessment_ids: list[int]) -> dict[int, list[scoring.ItemRating]]:
    """Ratings of several assessments in one query (dashboards comparing communes)."""
    rows = RequirementAssessment.objects.filter(assessment_id__in=assessment_ids).values_list(
        "assessment_id", *_RATING_FIELDS.values()
    )
    ratings: dict[int, list[scoring.ItemRating]] = {}
    for assessment_id, *rating in rows:
        ratings.setdefault(assessment_id, []).append(_item_rating(rating))
    return ratings
