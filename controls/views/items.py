"""One measure of an assessment: its page, the grid's inline save and confirmation, its evidence, and the
objective-wide changes (one target level, not applicable)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from controls import selectors, services
from controls.forms import EvidenceForm, ItemForm, SectionNotApplicableForm, SectionTargetForm
from controls.maturity import SCALE
from controls.models import Assessment, RequirementAssessment, Section
from controls.views.common import (
    add_service_errors,
    assessment_of,
    form_errors,
    require_assessment_write,
    writable_item,
)
from controls.views.grid import grid_items, grid_location, section_progress
from nis2.models import Organisation
from nis2.roles import Resource
from nis2.web import user_can_write


@login_required
def item_detail(request: HttpRequest, organisation_id: int, assessment_id: int, item_id: int) -> HttpResponse:
    """GET: the requirement's page (statement, evidence, history). POST: the grid's inline save."""
    organisation, assessment = assessment_of(request, organisation_id, assessment_id)
    item = get_object_or_404(selectors.item_list(user=request.user), pk=item_id, assessment=assessment)
    can_write = user_can_write(request.user, organisation, Resource.ASSESSMENT) and not assessment.is_read_only
    if request.method == "POST":
        actor = require_assessment_write(request, organisation)
        return _save_item(request, actor, organisation, assessment, item)
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
    organisation, assessment = assessment_of(request, organisation_id, assessment_id)
    actor = require_assessment_write(request, organisation)
    item = get_object_or_404(selectors.item_list(user=request.user), pk=item_id, assessment=assessment)
    return _save_item(request, actor, organisation, assessment, item, confirm=True)


def _save_item(
    request: HttpRequest,
    actor: User,
    organisation: Organisation,
    assessment: Assessment,
    item: RequirementAssessment,
    *,
    confirm: bool = False,
) -> HttpResponse:
    """Save the posted row through ``item_update``; answer htmx with the row, a plain form with a redirection."""
    form = ItemForm(
        request.POST, instance=selectors.assessment_items(assessment).get(pk=item.pk), organisation=organisation
    )
    status, notice = _update_item(form, actor, item, confirm=confirm)
    returned, item_page = request.POST.get("return", ""), bool(request.POST.get("item_page"))
    if not request.htmx:  # type: ignore[attr-defined]  # set by django-htmx's middleware
        if status == 200:
            messages.success(request, notice)
        else:
            messages.error(request, notice or _("The requirement was not saved: check the highlighted fields."))
        if item_page:
            return redirect("item-detail", organisation.pk, assessment.pk, item.pk)
        return redirect(
            grid_location(assessment, returned, section=item.requirement.section, anchor=f"#item-{item.pk}")
        )
    item = grid_items(request, assessment, None, {}).get(pk=item.pk)
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
            "section_progress": section_progress(assessment, item),
        },
        status=200,  # htmx swaps only successful responses: the row carries the refusal itself
    )


def _update_item(form: ItemForm, actor: User, item: RequirementAssessment, *, confirm: bool) -> tuple[int, str]:
    """(status, notice) of saving the row's form: 200 saved, 409 changed by someone else, 400 refused."""
    if not form.is_valid():
        return 400, ""
    fields = {name: form.cleaned_data[name] for name in ItemForm.Meta.fields}
    if confirm:
        fields["to_confirm"] = False
    try:
        services.item_update(item=item, expected_version=form.cleaned_data["version"], actor=actor, **fields)
    except services.StaleVersionError:
        return 409, _(
            "Someone changed this requirement since you opened it; your change was not saved. "
            "Here is the current version."
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return 400, ""
    return 200, _("Confirmed.") if confirm else _("Saved.")


def _objective_change(
    request: HttpRequest,
    organisation_id: int,
    assessment_id: int,
    section_id: int,
    form_class: type[forms.Form],
    change: Callable[[Assessment, Section, User, forms.Form], str],
) -> HttpResponse:
    """An objective-wide change posted from the grid: ``change`` calls the service with the valid form and
    returns the success message; refusals become error messages. Back to the grid as it was."""
    organisation, assessment = assessment_of(request, organisation_id, assessment_id)
    actor = require_assessment_write(request, organisation)
    section = get_object_or_404(selectors.objectives(assessment), pk=section_id)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        try:
            messages.success(request, change(assessment, section, actor, form))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect(grid_location(assessment, request.POST.get("return", ""), section=section))


def _target_level_set(assessment: Assessment, section: Section, actor: User, form: forms.Form) -> str:
    level = form.cleaned_data["target_level"]
    count = services.items_target_level_set(assessment=assessment, section=section, target_level=level, actor=actor)
    return ngettext(
        "Target level %(level)s set on %(count)s measure of objective %(ref)s.",
        "Target level %(level)s set on %(count)s measures of objective %(ref)s.",
        count,
    ) % {"level": level, "count": count, "ref": section.ref}


def _not_applicable_set(assessment: Assessment, section: Section, actor: User, form: forms.Form) -> str:
    count = services.items_not_applicable_set(
        assessment=assessment, section=section, justification=form.cleaned_data["justification"], actor=actor
    )
    return ngettext(
        "%(count)s measure of objective %(ref)s marked not applicable.",
        "%(count)s measures of objective %(ref)s marked not applicable.",
        count,
    ) % {"count": count, "ref": section.ref}


@login_required
@require_POST
def section_target_level(
    request: HttpRequest, organisation_id: int, assessment_id: int, section_id: int
) -> HttpResponse:
    """One target level for every measure of an objective."""
    return _objective_change(request, organisation_id, assessment_id, section_id, SectionTargetForm, _target_level_set)


@login_required
@require_POST
def section_not_applicable(
    request: HttpRequest, organisation_id: int, assessment_id: int, section_id: int
) -> HttpResponse:
    """Every measure of an objective not applicable, for one stated reason."""
    return _objective_change(
        request, organisation_id, assessment_id, section_id, SectionNotApplicableForm, _not_applicable_set
    )


@login_required
@require_POST
def evidence_add(request: HttpRequest, organisation_id: int, assessment_id: int, item_id: int) -> HttpResponse:
    organisation, item, actor = writable_item(request, organisation_id, assessment_id, item_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(
                item=item,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data.get("file"),
                url=form.cleaned_data.get("url") or "",
                actor=actor,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Evidence added."))
    else:
        messages.error(request, form_errors(form))
    return redirect("item-detail", organisation.pk, item.assessment_id, item.pk)
