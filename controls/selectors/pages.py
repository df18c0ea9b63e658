"""Reads of the assessment and action-plan pages: the grid's items and progress, an organisation's lists."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from controls.models import ActionItem, Assessment, Framework, Requirement, RequirementAssessment, Section
from controls.selectors.assessments import User, action_list, assessment_list, item_list
from nis2.models import Organisation


@dataclass(frozen=True)
class SectionProgress:
    """An objective's line in the grid's side menu."""

    section_id: int
    applicable: int = 0
    assessed: int = 0
    to_confirm: int = 0  # answers of the previous campaign not yet reconfirmed

    @property
    def complete(self) -> bool:
        return self.assessed == self.applicable


def organisation_assessments(*, user: User, organisation: Organisation) -> QuerySet[Assessment]:
    """The organisation's assessments, organisation-wide first, the latest period first."""
    return (
        assessment_list(user=user)
        .filter(organisation=organisation)
        .order_by("information_system", "-period_start", "label")
    )


def organisation_actions(*, user: User, organisation: Organisation) -> QuerySet[ActionItem]:
    return action_list(user=user).filter(organisation=organisation)


def objectives(assessment: Assessment) -> QuerySet[Section]:
    """The top-level sections (objectives) in force of the assessment's framework."""
    return Section.objects.filter(framework=assessment.framework_id, parent__isnull=True, retired_at__isnull=True)


def assessment_items(assessment: Assessment) -> QuerySet[RequirementAssessment]:
    """The assessment's items, with their requirement and assessment (no prefetch: one item at a time)."""
    return RequirementAssessment.objects.filter(assessment=assessment).select_related(
        "requirement", "assessment__organisation"
    )


def requirement_titles(framework: Framework, *, french: bool) -> dict[str, str]:
    """Each requirement's title by reference, in one language."""
    title = "title_fr" if french else "title_en"
    return dict(Requirement.objects.filter(framework=framework).values_list("ref", title))


def grid_items(
    *,
    user: User,
    assessment: Assessment,
    section: Section | None = None,
    unrated: bool = False,
    below_target: bool = False,
    art21: str = "",
    owner_id: int | None = None,
    without_owner: bool = False,
    to_confirm: bool = False,
) -> QuerySet[RequirementAssessment]:
    """The items the grid shows: the objective's (every objective's when ``section`` is None), filtered, each
    with its ``evidence_count``."""
    items = (
        item_list(user=user)
        .filter(assessment=assessment)
        .prefetch_related(None)  # the evidence is counted, not listed
        .prefetch_related("requirement__checklist_items")
        .annotate(evidence_count=Count("evidence"))
    )
    if section is not None:
        items = items.filter(Q(requirement__section=section) | Q(requirement__section__parent=section))
    if unrated:
        items = items.filter(applicable=True, current_level__isnull=True)
    if below_target:  # an unrated measure counts as level 0, as in the scores
        below = Q(current_level__lt=F("target_level")) | Q(current_level__isnull=True, target_level__gt=0)
        items = items.filter(below, applicable=True)
    if art21:
        items = items.filter(requirement__art21_points__contains=art21)
    if without_owner:
        items = items.filter(owner__isnull=True)
    elif owner_id is not None:
        items = items.filter(owner_id=owner_id)
    if to_confirm:
        items = items.filter(to_confirm=True)
    return items


def progress_by_top_section(assessment: Assessment) -> dict[int, SectionProgress]:
    """Progress per top-level section; catalogues nest sections two levels deep at most."""
    rows = (
        RequirementAssessment.objects.filter(assessment=assessment)
        .annotate(top_section=Coalesce("requirement__section__parent_id", "requirement__section_id"))
        .values("top_section")
        .annotate(
            applicable_count=Count("pk", filter=Q(applicable=True)),
            assessed_count=Count("pk", filter=Q(applicable=True, current_level__isnull=False)),
            to_confirm_count=Count("pk", filter=Q(to_confirm=True)),
        )
        .order_by()
    )
    return {
        row["top_section"]: SectionProgress(
            row["top_section"], row["applicable_count"], row["assessed_count"], row["to_confirm_count"]
        )
        for row in rows
    }
