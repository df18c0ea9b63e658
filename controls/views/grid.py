"""The assessment grid: the measures of an objective, one line each, rated inline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse

from controls import selectors
from controls.forms import GridFilterForm, ItemForm, SectionNotApplicableForm, SectionTargetForm, owner_choices
from controls.maturity import DEFAULT_TARGET_LEVEL, SCALE
from controls.models import Assessment, RequirementAssessment, Section
from controls.selectors import SectionProgress
from controls.views.common import assessment_of
from nis2.models import Organisation
from nis2.roles import Resource
from nis2.web import user_can_write

__all__ = ["GridGroup", "SectionProgress", "assessment_grid", "grid_items", "grid_location", "section_progress"]


@dataclass(frozen=True)
class GridGroup:
    """The rows of one objective, as the grid shows them under its heading."""

    section: Section
    rows: list[dict[str, Any]]


@login_required
def assessment_grid(request: HttpRequest, organisation_id: int, assessment_id: int) -> HttpResponse:
    """The measures, one line each, of one objective or, with ``?section=``, of every objective grouped
    by objective; filtered by the GET parameters of ``GridFilterForm``. A constant number of queries."""
    organisation, assessment = assessment_of(request, organisation_id, assessment_id)
    sections = list(selectors.objectives(assessment))
    progress = selectors.progress_by_top_section(assessment)
    members = owner_choices(organisation)
    data = request.GET.copy()
    if "section" not in data and sections:
        data["section"] = sections[0].ref
    filter_form = GridFilterForm(
        data,
        sections=[(section.ref, f"{section.ref} — {section.title}") for section in sections],
        owner_choices=members,
    )
    filters = filter_form.values()
    selected = filters.get("section", sections[0].ref if sections else "")
    current = next((section for section in sections if section.ref == selected), None)
    shown = [current] if current else sections
    side_menu = {section.pk: progress.get(section.pk, SectionProgress(section.pk)) for section in sections}
    for section in sections:
        # The template reads each objective's progress and link on the section itself.
        section.progress = side_menu[section.pk]  # type: ignore[attr-defined]
        section.query = _query(filters, section=section.ref)  # type: ignore[attr-defined]
    can_write = user_can_write(request.user, organisation, Resource.ASSESSMENT) and not assessment.is_read_only
    items = grid_items(request, assessment, current, filters)
    groups = _grid_groups(items, shown, organisation=organisation, members=members, keep_empty=current is not None)
    return render(
        request,
        "controls/assessment_grid.html",
        {
            "organisation": organisation,
            "assessment": assessment,
            "sections": sections,
            "current_section": current,
            "groups": groups,
            "first_form": next((group.rows[0]["form"] for group in groups if group.rows), None),
            "row_count": sum(len(group.rows) for group in groups),
            "filter_form": filter_form,
            "filtered": any(filters.get(name) for name in GridFilterForm.FILTERS),
            "all_query": _query(filters, section=""),
            "reset_query": _query({}, section=selected),
            "grid_query": _query(filters, section=selected),
            "to_confirm_total": sum(line.to_confirm for line in side_menu.values()),
            "can_write": can_write,
            "target_form": SectionTargetForm(auto_id="bulk-%s", initial={"target_level": DEFAULT_TARGET_LEVEL}),
            "not_applicable_form": SectionNotApplicableForm(auto_id="bulk-%s"),
            "scale": SCALE,
        },
    )


def _grid_groups(
    items: QuerySet[RequirementAssessment],
    sections: list[Section],
    *,
    organisation: Organisation,
    members: list[tuple[Any, str]],
    keep_empty: bool,
) -> list[GridGroup]:
    """The rows (item and form) under their objective, in the objectives' order; an objective without a
    row is left out unless ``keep_empty``."""
    rows: dict[int, list[dict[str, Any]]] = {section.pk: [] for section in sections}
    for item in items:
        form = ItemForm(
            instance=item, initial={"version": item.version}, organisation=organisation, owner_choices=members
        )
        section = item.requirement.section
        rows.setdefault(section.parent_id or section.pk, []).append({"item": item, "form": form})
    return [GridGroup(section, rows[section.pk]) for section in sections if keep_empty or rows[section.pk]]


def grid_items(
    request: HttpRequest, assessment: Assessment, section: Section | None, filters: dict[str, Any]
) -> QuerySet[RequirementAssessment]:
    """The items the grid shows, as ``GridFilterForm.values()`` filters them."""
    owner = filters.get("owner") or ""
    return selectors.grid_items(
        user=request.user,
        assessment=assessment,
        section=section,
        unrated=bool(filters.get("unrated")),
        below_target=bool(filters.get("below_target")),
        art21=filters.get("art21") or "",
        owner_id=int(owner) if owner and owner != GridFilterForm.NO_OWNER else None,
        without_owner=owner == GridFilterForm.NO_OWNER,
        to_confirm=bool(filters.get("to_confirm")),
    )


def _query(filters: dict[str, Any], *, section: str) -> str:
    """The grid's query string showing ``section`` ("" for every objective) with these filters: links and
    redirections keep the filters."""
    pairs = [("section", section)]
    for name in GridFilterForm.FILTERS:
        value = filters.get(name)
        if value:
            pairs.append((name, "on" if value is True else str(value)))
    return urlencode(pairs)


def grid_location(assessment: Assessment, returned: str, *, section: Section, anchor: str = "") -> str:
    """Where a form posted from the grid without JavaScript goes back to: the grid as it was (its filters,
    from the form's ``return`` field, anything else dropped), else the objective of ``section``."""
    asked = QueryDict(returned)
    filters = {name: asked[name] for name in GridFilterForm.FILTERS if asked.get(name)}
    shown = asked.get("section", (section.parent or section).ref)
    url = reverse("assessment-grid", args=[assessment.organisation_id, assessment.pk])
    return f"{url}?{_query(filters, section=shown)}{anchor}"


def section_progress(assessment: Assessment, item: RequirementAssessment) -> SectionProgress:
    """The progress of the item's objective, to refresh the side menu."""
    section = item.requirement.section
    top_id = section.parent_id or section.pk
    return selectors.progress_by_top_section(assessment).get(top_id, SectionProgress(top_id))
