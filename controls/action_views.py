"""Web pages of the security action plan (ReCyF 2.C.2): list with filters, create, edit, export."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from controls import action_export, selectors, services
from controls.filters import ActionFilter
from controls.forms import ActionForm, ActionStatusForm, members_of
from controls.models import ActionItem
from controls.views.common import add_service_errors, require_assessment_write, writable_item
from nis2 import spreadsheets
from nis2.models import Organisation
from nis2.roles import Resource
from nis2.web import linked_records, paginate, readable_organisation, user_can_write


def _filtered(request: HttpRequest, organisation: Organisation) -> ActionFilter:
    """The plan as filtered by the query string; with no status asked for, the open actions."""
    data: QueryDict = request.GET.copy()
    shortcut = data.get("status")
    if shortcut in ("open", "overdue", "all"):  # the words the plan's earlier links used
        del data["status"]
        data.setdefault("open" if shortcut != "overdue" else "overdue", "true" if shortcut != "all" else "")
    if not data.get("status") and "open" not in data:
        data["open"] = "true"
    queryset = selectors.organisation_actions(user=request.user, organisation=organisation)
    action_filter = ActionFilter(data, queryset=queryset)
    action_filter.form.fields["owner"].queryset = members_of(organisation)
    return action_filter


@login_required
def action_plan(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    can_write = user_can_write(request.user, organisation, Resource.ASSESSMENT)
    form = ActionForm(request.POST or None, organisation=organisation, initial={"owner": request.user.pk})
    if request.method == "POST":
        actor = require_assessment_write(request, organisation)
        if form.is_valid():
            action = _save(form, organisation=organisation, actor=actor)
            if action is not None:
                messages.success(request, _("Action added to the plan."))
                return redirect("action-detail", organisation.pk, action.pk)
    action_filter = _filtered(request, organisation)
    actions = action_filter.qs if action_filter.is_valid() else action_filter.queryset.none()
    page_obj = paginate(request, actions)
    today = timezone.localdate()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "controls/action_plan.html",
        {
            "organisation": organisation,
            "rows": [(action, action.is_overdue(today=today)) for action in page_obj],
            "page_obj": page_obj,
            "filter": action_filter,
            "owners": members_of(organisation),
            "query": query.urlencode(),
            "form": form,
            "can_write": can_write,
            "statuses": ActionItem.Status.choices,
        },
    )


def _save(
    form: ActionForm, *, organisation: Organisation, actor: User, action: ActionItem | None = None
) -> ActionItem | None:
    """Creates or updates through the services; their refusals land on the form. None when refused."""
    fields = {name: value for name, value in form.cleaned_data.items() if name != "measures"}
    try:
        if action is None:
            return services.action_create(
                organisation=organisation, actor=actor, requirements=form.cleaned_data["measures"], **fields
            )
        return services.action_update(action=action, actor=actor, requirements=form.cleaned_data["measures"], **fields)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@login_required
def action_detail(request: HttpRequest, organisation_id: int, action_id: int) -> HttpResponse:
    """An action's page: edit it (writers), see its measures, the incidents that feed it, its history."""
    organisation = readable_organisation(request.user, organisation_id)
    action = get_object_or_404(selectors.action_list(user=request.user), pk=action_id, organisation=organisation)
    can_write = user_can_write(request.user, organisation, Resource.ASSESSMENT)
    # The form writes the posted values on its instance when validated: a copy, so that the service still sees
    # what changed.
    form = ActionForm(request.POST or None, instance=copy.copy(action), organisation=organisation)
    if request.method == "POST":
        actor = require_assessment_write(request, organisation)
        if form.is_valid() and _save(form, organisation=organisation, actor=actor, action=action) is not None:
            messages.success(request, _("Action saved."))
            return redirect("action-detail", organisation.pk, action.pk)
    shown = form if can_write else None
    return render(
        request,
        "controls/action_detail.html",
        {
            "organisation": organisation,
            "action": action,
            "overdue": action.is_overdue(today=timezone.localdate()),
            "form": shown,
            "can_write": can_write,
            "incidents": linked_records("controls.actionitem", [action.pk]).get(action.pk, []),
            "history": selectors.action_history(action),
        },
        status=400 if shown is not None and shown.errors else 200,
    )


@login_required
def action_export_file(request: HttpRequest, organisation_id: int, file_format: str) -> HttpResponse:
    """The plan as filtered on the page, as CSV or XLSX."""
    organisation = readable_organisation(request.user, organisation_id)
    action_filter = _filtered(request, organisation)
    actions = action_filter.qs if action_filter.is_valid() else action_filter.queryset.none()
    rows = action_export.rows(actions, today=timezone.localdate())
    name = f"plan-d-action-{organisation.pk}-{timezone.localdate().isoformat()}"
    content = action_export.write_xlsx(rows) if file_format == "xlsx" else action_export.write_csv(rows)
    return spreadsheets.attachment(content, file_format=file_format, name=name)


@login_required
@require_POST
def action_from_gap(request: HttpRequest, organisation_id: int, assessment_id: int, item_id: int) -> HttpResponse:
    """A gap's action: made with sensible defaults the first time, opened the next times."""
    organisation, item, actor = writable_item(request, organisation_id, assessment_id, item_id)
    action, created = services.action_create_from_gap(item=item, actor=actor)
    if created:
        messages.success(request, _("Action created: check its owner and due date."))
    else:
        messages.info(request, _("This gap already has an action in progress: here it is."))
    return redirect("action-detail", organisation.pk, action.pk)


@login_required
@require_POST
def action_status(request: HttpRequest, organisation_id: int, action_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    actor = require_assessment_write(request, organisation)
    action = get_object_or_404(
        selectors.organisation_actions(user=request.user, organisation=organisation), pk=action_id
    )
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_update(action=action, actor=actor, status=form.cleaned_data["status"])
        messages.success(request, _("Status updated."))
    return redirect("action-plan", organisation.pk)
