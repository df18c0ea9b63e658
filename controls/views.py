"""Web pages of the self-assessment and the action plan (thin: selectors read, services write)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from controls import scoring, selectors, services
from controls.art21 import ART21_TITLES
from controls.forms import (
    AssessmentCreateForm,
    EvidenceForm,
    GridFilterForm,
    ItemForm,
    SectionNotApplicableForm,
    SectionTargetForm,
    owner_choices,
)
from controls.maturity import DEFAULT_TARGET_LEVEL, SCALE
from controls.models import Assessment, Requirement, RequirementAssessment, RequirementMapping, Section
from nis2.charts import Series, grouped_bar_chart, to_svg
from nis2.models import Organisation
from nis2.periods import parse_quarter, quarter_of
from nis2.roles import Resource
from nis2.web import readable_organisation, user_can_write

# A link of the correspondence table, as the coverage page names it after the source requirement's level.
LINK_STRENGTHS = {
    RequirementMapping.Strength.HIGH: gettext_lazy("strong link"),
    RequirementMapping.Strength.MEDIUM: gettext_lazy("medium link"),
    RequirementMapping.Strength.LOW: gettext_lazy("weak link"),
}


def _assessment(request: HttpRequest, organisation_id: int, assessment_id: int) -> tuple[Organisation, Assessment]:
    organisation = readable_organisation(request.user, organisation_id)
    assessment = get_object_or_404(
        selectors.assessment_list(user=request.user), pk=assessment_id, organisation=organisation
    )
    return organisation, assessment


def _require_write(request: HttpRequest, organisation: Organisation) -> None:
    if not user_can_write(request.user, organisation, Resource.ASSESSMENT):
        raise PermissionDenied(_("Your role does not allow this change in this organisation."))


def _period_of(label: str) -> tuple[Any, Any]:
    quarter = parse_quarter(label) or quarter_of(timezone.localdate())
    return quarter.start, quarter.end


@login_required
def assessment_index(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    can_write = user_can_write(request.user, organisation, Resource.ASSESSMENT)
    form = AssessmentCreateForm(request.POST or None, organisation=organisation)
    if request.method == "POST":
        _require_write(request, organisation)
        if form.is_valid():
            start, end = _period_of(form.cleaned_data["label"])
            try:
                assessment = services.assessment_create(
                    organisation=organisation,
                    framework=form.cleaned_data["framework"],
                    label=form.cleaned_data["label"],
                    information_system=form.cleaned_data["information_system"],
                    period_start=start,
                    period_end=end,
                    actor=request.user,
                    copied_from=form.cleaned_data["start_from"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                if assessment.copied_from_id:
                    messages.success(
                        request,
                        _("New campaign started from %(label)s: every answer is to be reconfirmed.")
                        % {"label": assessment.copied_from.label},
                    )
                return redirect("assessment-grid", organisation.pk, assessment.pk)
    assessments = (
        selectors.assessment_list(user=request.user)
        .filter(organisation=organisation)
        .order_by("information_system", "-period_start", "label")
    )
    return render(
        request,
        "controls/assessment_index.html",
        {"organisation": organisation, "assessments": assessments, "form": form, "can_write": can_write},
    )


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


@dataclass(frozen=True)
class GridGroup:
    """The rows of one objective, as the grid shows them under its heading."""

    section: Section
    rows: list[dict[str, Any]]


@login_required
def assessment_grid(request: HttpRequest, organisation_id: int, assessment_id: int) -> HttpResponse:
    """The measures, one line each, of one objective or, with ``?section=``, of every objective grouped
    by objective; filtered by the GET parameters of ``GridFilterForm``. A constant number of queries."""
    organisation, assessment = _assessment(request, organisation_id, assessment_id)
    sections = list(
        Section.objects.filter(framework=assessment.framework_id, parent__isnull=True, retired_at__isnull=True)
    )
    progress = _progress_by_top_section(assessment)
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
    for section in sections:
        section.progress = progress.get(section.pk, SectionProgress(section.pk))
        section.query = _query(filters, section=section.ref)
    can_write = user_can_write(request.user, organisation, Resource.ASSESSMENT) and not assessment.is_read_only
    items = _grid_items(request, assessment, current, filters)
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
            "to_confirm_total": sum(section.progress.to_confirm for section in sections),
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


def _grid_items(
    request: HttpRequest, assessment: Assessment, section: Section | None, filters: dict[str, Any]
) -> QuerySet[RequirementAssessment]:
    """The items the grid shows: the objective's (every objective's when ``section`` is None), filtered."""
    items = (
        selectors.item_list(user=request.user)
        .filter(assessment=assessment)
        .prefetch_related(None)  # the evidence is counted, not listed
        .prefetch_related("requirement__checklist_items")
        .annotate(evidence_count=Count("evidence"))
    )
    if section is not None:
        items = items.filter(Q(requirement__section=section) | Q(requirement__section__parent=section))
    if filters.get("unrated"):
        items = items.filter(applicable=True, current_level__isnull=True)
    if filters.get("below_target"):  # an unrated measure counts as level 0, as in the scores
        below = Q(current_level__lt=F("target_level")) | Q(current_level__isnull=True, target_level__gt=0)
        items = items.filter(below, applicable=True)
    if filters.get("art21"):
        items = items.filter(requirement__art21_points__contains=filters["art21"])
    owner = filters.get("owner")
    if owner == GridFilterForm.NO_OWNER:
        items = items.filter(owner__isnull=True)
    elif owner:
        items = items.filter(owner_id=int(owner))
    if filters.get("to_confirm"):
        items = items.filter(to_confirm=True)
    return items


def _query(filters: dict[str, Any], *, section: str) -> str:
    """The grid's query string showing ``section`` ("" for every objective) with these filters: links and
    redirections keep the filters."""
    pairs = [("section", section)]
    for name in GridFilterForm.FILTERS:
        value = filters.get(name)
        if value:
            pairs.append((name, "on" if value is True else str(value)))
    return urlencode(pairs)


def _grid_location(assessment: Assessment, returned: str, *, section: Section, anchor: str = "") -> str:
    """Where a form posted from the grid without JavaScript goes back to: the grid as it was (its filters,
    from the form's ``return`` field, anything else dropped), else the objective of ``section``."""
    asked = QueryDict(returned)
    filters = {name: asked[name] for name in GridFilterForm.FILTERS if asked.get(name)}
    shown = asked.get("section", (section.parent or section).ref)
    url = reverse("assessment-grid", args=[assessment.organisation_id, assessment.pk])
    return f"{url}?{_query(filters, section=shown)}{anchor}"


def _section_progress(assessment: Assessment, item: RequirementAssessment) -> SectionProgress:
    """The progress of the item's objective, to refresh the side menu."""
    section = item.requirement.section
    top_id = section.parent_id or section.pk
    return _progress_by_top_section(assessment).get(top_id, SectionProgress(top_id))


def _progress_by_top_section(assessment: Assessment) -> dict[int, SectionProgress]:
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


@login_required
def item_detail(request: HttpRequest, organisation_id: int, assessment_id: int, item_id: int) -> HttpResponse:
    """GET: the requirement's page (statement, evidence, history). POST: the grid's inline save."""
    organisation, assessment = _assessment(request, organisation_id, assessment_id)
    item = get_object_or_404(selectors.item_list(user=request.user), pk=item_id, assessment=assessment)
    can_write = user_can_write(request.user, organisation, Resource.ASSESSMENT) and not assessment.is_read_only
    if request.method == "POST":
        _require_write(request, organisation)
        return _save_item(request, organisation, assessment, item)
    return render(
        request,
        "controls/item_detail.html",
        {
            "organisation": organisation,
            "assessment": assessment,
            "item": item,
            "row": {
                "item": item,
                "form": ItemForm(instance=item, initial={"version": item.version}, organisation=organisation),
            },
            "item_page": True,
            "evidence_form": EvidenceForm(),
            "history": selectors.item_history(item),
            "can_write": can_write,
            "scale": SCALE,
        },
    )


@login_required
@require_POST
def item_confirm(request: HttpRequest, organisation_id: int, assessment_id: int, item_id: int) -> HttpResponse:
    """A campaign's "Confirm": the answer carried over from the previous assessment, as the row shows it,
    becomes this campaign's (ReCyF asks for a yearly review)."""
    organisation, assessment = _assessment(request, organisation_id, assessment_id)
    _require_write(request, organisation)
    item = get_object_or_404(selectors.item_list(user=request.user), pk=item_id, assessment=assessment)
    return _save_item(request, organisation, assessment, item, confirm=True)


def _save_item(
    request: HttpRequest,
    organisation: Organisation,
    assessment: Assessment,
    item: RequirementAssessment,
    *,
    confirm: bool = False,
) -> HttpResponse:
    form = ItemForm(request.POST, instance=RequirementAssessment.objects.get(pk=item.pk), organisation=organisation)
    status = 200
    notice = ""
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ItemForm.Meta.fields}
        if confirm:
            fields["to_confirm"] = False
        try:
            services.item_update(item=item, expected_version=form.cleaned_data["version"], actor=request.user, **fields)
        except services.StaleVersionError:
            status, notice = (
                409,
                _(
                    "Someone changed this requirement since you opened it; your change was not saved. "
                    "Here is the current version."
                ),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            status = 400
        else:
            notice = _("Confirmed.") if confirm else _("Saved.")
    else:
        status = 400
    returned, item_page = request.POST.get("return", ""), bool(request.POST.get("item_page"))
    if not request.htmx:
        if status == 200:
            messages.success(request, notice)
        else:
            messages.error(request, notice or _("The requirement was not saved: check the highlighted fields."))
        if item_page:
            return redirect("item-detail", organisation.pk, assessment.pk, item.pk)
        return redirect(
            _grid_location(assessment, returned, section=item.requirement.section, anchor=f"#item-{item.pk}")
        )
    item = selectors.item_list(user=request.user).annotate(evidence_count=Count("evidence")).get(pk=item.pk)
    if status != 400:  # show the saved (or the other person's) state
        form = ItemForm(instance=item, initial={"version": item.version}, organisation=organisation)
    assessment = selectors.assessment_list(user=request.user).get(pk=assessment.pk)
    return render(
        request,
        "controls/_item_row.html",
        {
            "organisation": organisation,
            "assessment": assessment,
            "row": {"item": item, "form": form},
            "can_write": True,
            "notice": notice,
            "grid_query": returned,
            "item_page": item_page,
            "progress_oob": True,
            "section_progress": _section_progress(assessment, item),
        },
        status=200,  # htmx swaps only successful responses: the row carries the refusal itself
    )


def _objective(assessment: Assessment, section_id: int) -> Section:
    """A top-level section (an objective) of the assessment's framework, else 404."""
    return get_object_or_404(
        Section, pk=section_id, framework=assessment.framework_id, parent__isnull=True, retired_at__isnull=True
    )


@login_required
@require_POST
def section_target_level(
    request: HttpRequest, organisation_id: int, assessment_id: int, section_id: int
) -> HttpResponse:
    """One target level for every measure of an objective."""
    organisation, assessment = _assessment(request, organisation_id, assessment_id)
    _require_write(request, organisation)
    section = _objective(assessment, section_id)
    form = SectionTargetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        level = form.cleaned_data["target_level"]
        try:
            count = services.items_target_level_set(
                assessment=assessment, section=section, target_level=level, actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "Target level %(level)s set on %(count)s measure of objective %(ref)s.",
                    "Target level %(level)s set on %(count)s measures of objective %(ref)s.",
                    count,
                )
                % {"level": level, "count": count, "ref": section.ref},
            )
    return redirect(_grid_location(assessment, request.POST.get("return", ""), section=section))


@login_required
@require_POST
def section_not_applicable(
    request: HttpRequest, organisation_id: int, assessment_id: int, section_id: int
) -> HttpResponse:
    """Every measure of an objective not applicable, for one stated reason."""
    organisation, assessment = _assessment(request, organisation_id, assessment_id)
    _require_write(request, organisation)
    section = _objective(assessment, section_id)
    form = SectionNotApplicableForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            count = services.items_not_applicable_set(
                assessment=assessment,
                section=section,
                justification=form.cleaned_data["justification"],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s measure of objective %(ref)s marked not applicable.",
                    "%(count)s measures of objective %(ref)s marked not applicable.",
                    count,
                )
                % {"count": count, "ref": section.ref},
            )
    return redirect(_grid_location(assessment, request.POST.get("return", ""), section=section))


def _form_errors(form: Any) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


@login_required
@require_POST
def evidence_add(request: HttpRequest, organisation_id: int, assessment_id: int, item_id: int) -> HttpResponse:
    organisation, assessment = _assessment(request, organisation_id, assessment_id)
    _require_write(request, organisation)
    item = get_object_or_404(RequirementAssessment, pk=item_id, assessment=assessment)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(
                item=item,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data.get("file"),
                url=form.cleaned_data.get("url") or "",
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Evidence added."))
    else:
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    return redirect("item-detail", organisation.pk, assessment.pk, item.pk)


@login_required
def assessment_scores(request: HttpRequest, organisation_id: int, assessment_id: int) -> HttpResponse:
    organisation, assessment = _assessment(request, organisation_id, assessment_id)
    result = selectors.assessment_scores(assessment)
    titles = ART21_TITLES
    points = list(result.by_art21_point)
    series = [
        Series(_("Current level"), [float(result.by_art21_point[p].level or 0) for p in points]),
        Series(_("Target"), [float(result.by_art21_point[p].target_level or 0) for p in points]),
    ]
    if result.previous_label:
        series.append(
            Series(
                result.previous_label,
                [
                    float(result.previous_by_art21_point[p].level or 0) if p in result.previous_by_art21_point else None
                    for p in points
                ],
            )
        )
    chart = to_svg(
        grouped_bar_chart([f"({p})" for p in points], series, value_max=5, value_step=1),
        title=_("Maturity by Article 21(2) measure"),
    )
    gaps = selectors.assessment_gaps(assessment)[:10]
    actions = selectors.open_actions_by_requirement(
        organisation_id=organisation.pk, requirement_ids=[item.requirement_id for _gap, item in gaps]
    )
    return render(
        request,
        "controls/assessment_scores.html",
        {
            "organisation": organisation,
            "assessment": assessment,
            "result": result,
            "measures": [
                (p, titles[p], result.by_art21_point[p], result.previous_by_art21_point.get(p)) for p in points
            ],
            "sections": [(ref, result.section_titles.get(ref, ""), score) for ref, score in result.by_section.items()],
            "chart": chart,
            "gaps": [(gap, item, actions.get(item.requirement_id)) for gap, item in gaps],
            "comparison": selectors.assessment_comparison(assessment),
            "can_write": user_can_write(request.user, organisation, Resource.ASSESSMENT),
        },
    )


@login_required
def assessment_coverage(request: HttpRequest, organisation_id: int, assessment_id: int) -> HttpResponse:
    """Another framework's requirements as this assessment implies them through the correspondence table."""
    organisation, assessment = _assessment(request, organisation_id, assessment_id)
    frameworks = list(selectors.mapped_frameworks(assessment.framework))
    target = next(
        (f for f in frameworks if f.code == request.GET.get("framework")), frameworks[0] if frameworks else None
    )
    rows = []
    if target is not None:
        titles = dict(
            Requirement.objects.filter(framework=target).values_list("ref", "title_fr" if _is_french() else "title_en")
        )
        rows = [
            (
                level,
                titles.get(level.ref, ""),
                [(ref, source, LINK_STRENGTHS[strength]) for ref, source, strength in level.sources],
            )
            for level in selectors.derived_coverage(assessment, target)
        ]
    return render(
        request,
        "controls/assessment_coverage.html",
        {
            "organisation": organisation,
            "assessment": assessment,
            "frameworks": frameworks,
            "target": target,
            "rows": rows,
            "covered": sum(1 for level, _title, _sources in rows if level.level is not None),
            "weights": scoring.STRENGTH_WEIGHTS,
            "full_coverage_weight": scoring.FULL_COVERAGE_WEIGHT,
        },
    )


def _is_french() -> bool:
    from nis2.bilingual import current_language

    return current_language() == "fr"


@login_required
@require_POST
def assessment_validate(request: HttpRequest, organisation_id: int, assessment_id: int) -> HttpResponse:
    organisation, assessment = _assessment(request, organisation_id, assessment_id)
    _require_write(request, organisation)
    try:
        services.assessment_validate(assessment=assessment, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The assessment is validated; it can no longer be changed."))
    return redirect("assessment-scores", organisation.pk, assessment.pk)


@login_required
@require_POST
def assessment_copy(request: HttpRequest, organisation_id: int, assessment_id: int) -> HttpResponse:
    organisation, assessment = _assessment(request, organisation_id, assessment_id)
    _require_write(request, organisation)
    label = request.POST.get("label", "").strip()
    start, end = _period_of(label)
    try:
        copy = services.assessment_copy(
            assessment=assessment, label=label, period_start=start, period_end=end, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessment-index", organisation.pk)
    messages.success(request, _("New assessment started from %(label)s.") % {"label": assessment.label})
    return redirect("assessment-grid", organisation.pk, copy.pk)
