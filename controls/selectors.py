"""Reads of catalogues, assessments and actions, with the joins and aggregates in one place."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, Field, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils.text import capfirst
from django.utils.translation import gettext

from controls import duties, scoring
from controls.models import (
    ActionItem,
    Assessment,
    DutyCompletion,
    Evidence,
    Framework,
    Requirement,
    RequirementAssessment,
    RequirementMapping,
    Section,
)
from controls.services import entity_category_of
from nis2.models import Organisation, readable_organisation_ids

User = AbstractBaseUser | AnonymousUser


def framework_list() -> QuerySet[Framework]:
    return Framework.objects.annotate(
        requirement_count=Count("requirements", filter=Q(requirements__retired_at__isnull=True))
    ).order_by("code")


def requirement_list(*, framework: Framework) -> QuerySet[Requirement]:
    return (
        Requirement.objects.filter(framework=framework)
        .select_related("section__parent")
        .prefetch_related("checklist_items")
        .order_by("position")
    )


def assessment_list(*, user: User) -> QuerySet[Assessment]:
    return (
        Assessment.objects.readable_by(user)
        .select_related("framework", "organisation", "validated_by")
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


# What a reader of the requirement's history is told about; the rest is bookkeeping (the version guarding
# concurrent edits, the review and update times the history records anyway).
HISTORY_FIELDS = (
    "applicable",
    "justification",
    "current_level",
    "target_level",
    "owner",
    "comment",
    "alternative_measure",
    "to_confirm",
)


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


# What a reader of an action's history is told about.
ACTION_HISTORY_FIELDS = (
    "title",
    "description",
    "owner",
    "due_date",
    "priority",
    "status",
    "estimated_cost_eur",
    "effort_days",
    "progress_note",
)


def action_history(action: ActionItem) -> list[HistoryEntry]:
    """The action's history as a person reads it, newest first."""
    return readable_history(action, ACTION_HISTORY_FIELDS)


def readable_history(instance: RequirementAssessment | ActionItem, fields: tuple[str, ...]) -> list[HistoryEntry]:
    """``instance``'s history, newest first: each change by the field's name, a choice by its label, a
    yes/no answer in words, a person by name (``fields`` relate to people only)."""
    model = type(instance)
    records = list(instance.history.select_related("history_user").order_by("history_date", "history_id"))
    people = get_user_model().objects.in_bulk(
        {record.owner_id for record in records if record.owner_id}  # type: ignore[attr-defined]
    )
    entries, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            for change in record.diff_against(previous, included_fields=list(fields)).changes:
                model_field = model._meta.get_field(change.field)
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


def _shown(model_field: Field, value: object, owners: dict[int, AbstractBaseUser]) -> str:
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


def ratings_of(assessment: Assessment) -> list[scoring.ItemRating]:
    """The assessment's items as plain data for the scoring functions (one query)."""
    rows = (
        RequirementAssessment.objects.filter(assessment=assessment)
        .order_by("requirement__position")
        .values_list(
            "requirement__ref",
            "requirement__weight",
            "applicable",
            "current_level",
            "target_level",
            "requirement__art21_points",
            "requirement__section__ref",
            "requirement__section__parent__ref",
            "requirement__section__parent__parent__ref",
        )
    )
    ratings = []
    for ref, weight, applicable, current, target, art21, section, parent, grandparent in rows:
        chain = tuple(part for part in (grandparent, parent, section) if part)
        ratings.append(
            scoring.ItemRating(
                ref=ref,
                weight=weight,
                applicable=applicable,
                current_level=current,
                target_level=target,
                art21_points=art21,
                section_refs=chain,
            )
        )
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


def actions_owned(*, organisation: Organisation, owner: User) -> QuerySet[ActionItem]:
    """The person's open actions in the organisation, the earliest due first (no date last)."""
    return (
        ActionItem.objects.filter(organisation=organisation, owner=owner)
        .open()
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )


# --- As of a date (quarterly reports read the history tables) ---------------------------------------


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


def ratings_for_assessments(assessment_ids: list[int]) -> dict[int, list[scoring.ItemRating]]:
    """Ratings of several assessments in one query (dashboards comparing communes)."""
    rows = RequirementAssessment.objects.filter(assessment_id__in=assessment_ids).values_list(
        "assessment_id",
        "requirement__ref",
        "requirement__weight",
        "applicable",
        "current_level",
        "target_level",
        "requirement__art21_points",
    )
    ratings: dict[int, list[scoring.ItemRating]] = {}
    for assessment_id, ref, weight, applicable, current, target, art21 in rows:
        ratings.setdefault(assessment_id, []).append(
            scoring.ItemRating(
                ref=ref,
                weight=weight,
                applicable=applicable,
                current_level=current,
                target_level=target,
                art21_points=art21,
            )
        )
    return ratings


# --- Recurring duties (ReCyF) --------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyCalendarRow:
    duty: duties.Duty
    last_done_on: datetime.date | None
    last_done_by: str  # who recorded the latest performance, "" when nobody is known
    last_note: str
    next_due: datetime.date
    status: duties.DutyStatus


def latest_duty_completions(
    *, organisation_ids: list[int] | QuerySet[Any] | None = None
) -> dict[tuple[int, str], DutyCompletion]:
    """The latest performance of every duty, by (organisation id, duty code), in one query; each carries
    ``recorded_by_id``, the author of its creation in the history. Every organisation's when ``organisation_ids``
    is None (the reminders)."""
    completions = DutyCompletion.objects.all()
    if organisation_ids is not None:
        completions = completions.filter(organisation_id__in=organisation_ids)
    creation = DutyCompletion.history.filter(id=OuterRef("pk"), history_type="+").order_by("history_id")
    latest = (
        completions.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("organisation_id"), F("duty")],
                order_by=[F("done_on").desc(), F("pk").desc()],
            ),
            recorded_by_id=Subquery(creation.values("history_user_id")[:1]),
        )
        .filter(rank=1)
        .order_by()
    )
    return {(completion.organisation_id, completion.duty): completion for completion in latest}


def duty_calendar(*, organisation: Organisation, today: datetime.date) -> list[DutyCalendarRow]:
    """The recurring duties the organisation's NIS 2 status requires, each with its latest performance, its next
    due date and its status, the earliest due first (two queries, whatever the number of duties or performances)."""
    latest = latest_duty_completions(organisation_ids=[organisation.pk])
    authors = get_user_model().objects.in_bulk(
        {completion.recorded_by_id for completion in latest.values() if completion.recorded_by_id}
    )
    rows = []
    for duty in duties.duties_for(entity_category_of(organisation)):
        completion = latest.get((organisation.pk, duty.code))
        last_done_on = completion.done_on if completion else None
        next_due = duties.next_due(last_done_on, duty.every_months, today=today)
        author = authors.get(completion.recorded_by_id) if completion else None
        rows.append(
            DutyCalendarRow(
                duty=duty,
                last_done_on=last_done_on,
                last_done_by=(author.get_full_name() or author.get_username()) if author else "",
                last_note=completion.note if completion else "",
                next_due=next_due,
                status=duties.status(next_due, today, ever_done=completion is not None),
            )
        )
    return sorted(rows, key=lambda row: row.next_due)  # stable: the catalogue's order among equal dates


def duty_completion_list(*, user: User) -> QuerySet[DutyCompletion]:
    return DutyCompletion.objects.readable_by(user).order_by("-done_on", "-pk")
