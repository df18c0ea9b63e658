"""Web pages of the self-assessments: the list and creation, scores, coverage, validation, next campaign."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from controls import scoring, selectors, services
from controls.art21 import ART21_TITLES
from controls.forms import AssessmentCreateForm
from controls.models import RequirementMapping
from controls.selectors import AssessmentScores
from controls.views.common import add_service_errors, assessment_of, require_assessment_write
from nis2.bilingual import current_language
from nis2.charts import Series, grouped_bar_chart, to_svg
from nis2.periods import parse_quarter, quarter_of
from nis2.roles import Resource
from nis2.web import readable_organisation, user_can_write

# A link of the correspondence table, as the coverage page names it after the source requirement's level.
LINK_STRENGTHS: dict[str, Promise] = {
    RequirementMapping.Strength.HIGH: gettext_lazy("strong link"),
    RequirementMapping.Strength.MEDIUM: gettext_lazy("medium link"),
    RequirementMapping.Strength.LOW: gettext_lazy("weak link"),
}


def _period_of(label: str) -> tuple[datetime.date, datetime.date]:
    quarter = parse_quarter(label) or quarter_of(timezone.localdate())
    return quarter.start, quarter.end


@login_required
def assessment_index(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    can_write = user_can_write(request.user, organisation, Resource.ASSESSMENT)
    form = AssessmentCreateForm(request.POST or None, organisation=organisation)
    if request.method == "POST":
        actor = require_assessment_write(request, organisation)
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
                    actor=actor,
                    copied_from=form.cleaned_data["start_from"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                source = form.cleaned_data["start_from"]
                if source is not None:
                    messages.success(
                        request,
                        _("New campaign started from %(label)s: every answer is to be reconfirmed.")
                        % {"label": source.label},
                    )
                return redirect("assessment-grid", organisation.pk, assessment.pk)
    assessments = selectors.organisation_assessments(user=request.user, organisation=organisation)
    return render(
        request,
        "controls/assessment_index.html",
        {"organisation": organisation, "assessments": assessments, "form": form, "can_write": can_write},
    )


def _art21_chart(result: AssessmentScores) -> str:
    """Current, target and (when there is one) previous level of each Article 21(2) measure, as an SVG."""
    points = list(result.by_art21_point)
    series = [
        Series(_("Current level"), [float(result.by_art21_point[p].level or 0) for p in points]),
        Series(_("Target"), [float(result.by_art21_point[p].target_level or 0) for p in points]),
    ]
    if result.previous_label:
        previous = result.previous_by_art21_point
        series.append(
            Series(
                result.previous_label,
                [float(previous[p].level or 0) if p in previous else None for p in points],
            )
        )
    return to_svg(
        grouped_bar_chart([f"({p})" for p in points], series, value_max=5, value_step=1),
        title=_("Maturity by Article 21(2) measure"),
    )


@login_required
def assessment_scores(request: HttpRequest, organisation_id: int, assessment_id: int) -> HttpResponse:
    organisation, assessment = assessment_of(request, organisation_id, assessment_id)
    result = selectors.assessment_scores(assessment)
    points = list(result.by_art21_point)
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
                (p, ART21_TITLES[p], result.by_art21_point[p], result.previous_by_art21_point.get(p)) for p in points
            ],
            "sections": [(ref, result.section_titles.get(ref, ""), score) for ref, score in result.by_section.items()],
            "chart": _art21_chart(result),
            "gaps": [(gap, item, actions.get(item.requirement_id)) for gap, item in gaps],
            "comparison": selectors.assessment_comparison(assessment),
            "can_write": user_can_write(request.user, organisation, Resource.ASSESSMENT),
        },
    )


@login_required
def assessment_coverage(request: HttpRequest, organisation_id: int, assessment_id: int) -> HttpResponse:
    """Another framework's requirements as this assessment implies them through the correspondence table."""
    organisation, assessment = assessment_of(request, organisation_id, assessment_id)
    frameworks = list(selectors.mapped_frameworks(assessment.framework))
    target = next(
        (f for f in frameworks if f.code == request.GET.get("framework")), frameworks[0] if frameworks else None
    )
    rows = []
    if target is not None:
        titles = selectors.requirement_titles(target, french=current_language() == "fr")
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


@login_required
@require_POST
def assessment_validate(request: HttpRequest, organisation_id: int, assessment_id: int) -> HttpResponse:
    organisation, assessment = assessment_of(request, organisation_id, assessment_id)
    actor = require_assessment_write(request, organisation)
    try:
        services.assessment_validate(assessment=assessment, actor=actor)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The assessment is validated; it can no longer be changed."))
    return redirect("assessment-scores", organisation.pk, assessment.pk)


@login_required
@require_POST
def assessment_copy(request: HttpRequest, organisation_id: int, assessment_id: int) -> HttpResponse:
    organisation, assessment = assessment_of(request, organisation_id, assessment_id)
    actor = require_assessment_write(request, organisation)
    label = request.POST.get("label", "").strip()
    start, end = _period_of(label)
    try:
        copy = services.assessment_copy(
            assessment=assessment, label=label, period_start=start, period_end=end, actor=actor
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessment-index", organisation.pk)
    messages.success(request, _("New assessment started from %(label)s.") % {"label": assessment.label})
    return redirect("assessment-grid", organisation.pk, copy.pk)
