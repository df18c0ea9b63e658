"""Web pages of the security action plan (ReCyF 2.C.2): list, create, edit, export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from controls import selectors, services
from controls.forms import ActionForm, ActionStatusForm
from controls.models import ActionItem, RequirementAssessment
from controls.views import _assessment, _require_write
from nis2.roles import Resource
from nis2.web import paginate, readable_organisation, user_can_write


@login_required
@require_POST
def action_from_gap(request: HttpRequest, organisation_id: int, assessment_id: int, item_id: int) -> HttpResponse:
    organisation, assessment = _assessment(request, organisation_id, assessment_id)
    _require_write(request, organisation)
    item = get_object_or_404(
        RequirementAssessment.objects.select_related("requirement", "assessment__organisation"),
        pk=item_id,
        assessment=assessment,
    )
    action = services.action_create_from_gap(item=item, actor=request.user)
    messages.success(request, _("Action created: %(title)s") % {"title": action.title})
    return redirect("action-plan", organisation.pk)


@login_required
def action_plan(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    can_write = user_can_write(request.user, organisation, Resource.ASSESSMENT)
    form = ActionForm(request.POST or None, organisation=organisation)
    if request.method == "POST":
        _require_write(request, organisation)
        if form.is_valid():
            try:
                services.action_create(organisation=organisation, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Action added to the plan."))
                return redirect("action-plan", organisation.pk)
    today = timezone.localdate()
    actions = selectors.action_list(user=request.user).filter(organisation=organisation)
    status_filter = request.GET.get("status", "open")
    if status_filter == "open":
        actions = actions.open()
    elif status_filter == "overdue":
        actions = actions.overdue(today=today)
    elif status_filter in ActionItem.Status.values:
        actions = actions.filter(status=status_filter)
    page_obj = paginate(request, [(action, action.is_overdue(today=today)) for action in actions])
    return render(
        request,
        "controls/action_plan.html",
        {
            "organisation": organisation,
            "actions": page_obj,
            "page_obj": page_obj,
            "form": form,
            "can_write": can_write,
            "status_filter": status_filter,
            "statuses": ActionItem.Status.choices,
        },
    )


@login_required
@require_POST
def action_status(request: HttpRequest, organisation_id: int, action_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    _require_write(request, organisation)
    action = get_object_or_404(ActionItem, pk=action_id, organisation=organisation)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_update(action=action, actor=request.user, status=form.cleaned_data["status"])
        messages.success(request, _("Status updated."))
    return redirect("action-plan", organisation.pk)
