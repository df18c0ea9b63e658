"""Web pages of the self-assessment and the action plan (thin: selectors read, services write)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from controls import scoring, selectors, services
from controls.art21 import ART21_TITLES
from controls.forms import AssessmentCreateForm, EvidenceForm, ItemForm, owner_choices
from controls.maturity import SCALE
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
    form = AssessmentCreateForm(request.POST or None)
    if request.method == "POST":
        _require_write(request, organisation)
        if form.is_valid():
            start, end = _period_of(form.cleaned_data["label"])
            try:
                assessment = services.assessment_create(
                    organisation=organisation,
                    framework=form.cleaned_data["framework"],
                    label=form.cleaned_data["label"],
                    period_start=start,
                    period_end=end,
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("assessment-grid", organisation.pk, assessment.pk)
    assessments = selectors.assessment_list(user=request.user).filter(organisation=organisation)
    return render(
        request,
        "controls/assessment_index.html",
        {"organisation": organisation, "assessments": assessments, "form": form, "can_write": can_write},
    )


@login_required
def assessment_grid(request: HttpRequest, organisation_id: int, assessment_id: int) -> HttpResponse:
    """All requirements of one objective on one screen, each editable inline."""
    organisation, assessment = _assessment(request, organisation_id, assessment_id)
    sections = list(
        Section.objects.filter(framework=assessment.framework_id, parent__isnull=True, retired_at__isnull=True)
    )
    progress = _progress_by_top_section(assessment)
    for section in sections:
        section.applicable, section.assessed = progress.get(section.pk, (0, 0))
    current_ref = request.GET.get("section") or (sections[0].ref if sections else "")
    current = next((section for section in sections if section.ref == current_ref), sections[0] if sections else None)
    items = (
        selectors.item_list(user=request.user)
        .filter(assessment=assessment)
        .filter(Q(requirement__section=current) | Q(requirement__section__parent=current))
        .annotate(evidence_count=Count("evidence"))
        if current
        else RequirementAssessment.objects.none()
    )
    can_write = user_can_write(request.user, organisation, Resource.ASSESSMENT) and not assessment.is_read_only
    choices = owner_choices(organisation)
    rows = [
        {
            "item": item,
            "form": ItemForm(
                instance=item, initial={"version": item.version}, organisation=organisation, owner_choices=choices
            ),
        }
        for item in items
    ]
    return render(
        request,
        "controls/assessment_grid.html",
        {
            "organisation": organisation,
            "assessment": assessment,
            "sections": sections,
            "current_section": current,
            "rows": rows,
            "can_write": can_write,
            "scale": SCALE,
        },
    )


def _section_progress(assessment: Assessment, item: RequirementAssessment) -> tuple[int, int, int]:
    """(top section id, applicable, assessed) of the item's objective, to refresh the side menu."""
    section = item.requirement.section
    top_id = section.parent_id or section.pk
    applicable, assessed = _progress_by_top_section(assessment).get(top_id, (0, 0))
    return top_id, applicable, assessed


def _progress_by_top_section(assessment: Assessment) -> dict[int, tuple[int, int]]:
    """(applicable, assessed) per top-level section; catalogues nest sections two levels deep at most."""
    rows = (
        RequirementAssessment.objects.filter(assessment=assessment)
        .annotate(top_section=Coalesce("requirement__section__parent_id", "requirement__section_id"))
        .values("top_section")
        .annotate(
            applicable_count=Count("pk", filter=Q(applicable=True)),
            assessed_count=Count("pk", filter=Q(applicable=True, current_level__isnull=False)),
        )
        .order_by()
    )
    return {row["top_section"]: (row["applicable_count"], row["assessed_count"]) for row in rows}


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
            "evidence_form": EvidenceForm(),
            "history": selectors.item_history(item),
            "can_write": can_write,
            "scale": SCALE,
        },
    )


def _save_item(
    request: HttpRequest, organisation: Organisation, assessment: Assessment, item: RequirementAssessment
) -> HttpResponse:
    form = ItemForm(request.POST, instance=RequirementAssessment.objects.get(pk=item.pk), organisation=organisation)
    status = 200
    notice = ""
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ItemForm.Meta.fields}
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
            notice = _("Saved.")
    else:
        status = 400
    if not request.htmx:
        if status == 200:
            messages.success(request, notice)
        else:
            messages.error(request, notice or _("The requirement was not saved: check the highlighted fields."))
        return redirect(f"{request.path.rsplit('/items/', 1)[0]}/?section={item.requirement.section.ref}")
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
            "progress_oob": True,
            "section_progress": _section_progress(assessment, item),
        },
        status=200,  # htmx swaps only successful responses: the row carries the refusal itself
    )


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
            "gaps": gaps,
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
