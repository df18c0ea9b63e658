"""Web pages of the incident register (thin: selectors read, services write)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from incidents import lifecycle, selectors, services, taxonomy
from incidents.calendar import Deadline, render_calendar
from incidents.forms import (
    AttachmentForm,
    CorrectiveActionForm,
    DeclareForm,
    FilingForm,
    IncidentEditForm,
    IntermediateRequestForm,
    NotRequiredForm,
    RootCauseForm,
    TimelineForm,
)
from incidents.legal_bases import legal_basis_label
from incidents.models import Incident, Obligation
from incidents.significance import CRITERIA
from nis2.models import Organisation
from nis2.roles import Resource
from nis2.web import paginate, readable_organisation, require_write, user_can_write


def time_left(due_at: datetime.datetime | None, now: datetime.datetime) -> dict[str, Any] | None:
    """Hours and minutes to a deadline (negative when overdue), for the countdowns."""
    if due_at is None:
        return None
    seconds = int((due_at - now).total_seconds())
    overdue = seconds < 0
    minutes = abs(seconds) // 60
    return {"overdue": overdue, "days": minutes // 1440, "hours": minutes % 1440 // 60, "minutes": minutes % 60}


def register_rows(incidents: Any, *, now: datetime.datetime) -> list[dict[str, Any]]:
    """Each incident with its category label, next deadline, time left and number of overdue reports
    (the register and the security officer's dashboard show the same rows)."""
    rows = []
    for incident in incidents:
        views = selectors.obligation_views(incident, now=now)
        upcoming = selectors.next_deadline(views)
        rows.append(
            {
                "incident": incident,
                "category": taxonomy.label(incident.category, incident.subcategory),
                "next": upcoming,
                "left": time_left(upcoming.obligation.due_at, now) if upcoming else None,
                "overdue": sum(1 for view in views if view.status == "overdue"),
            }
        )
    return rows


def _incident(request: HttpRequest, organisation_id: int, incident_id: int) -> tuple[Organisation, Incident]:
    organisation = readable_organisation(request.user, organisation_id)
    incident = get_object_or_404(selectors.incident_list(user=request.user), pk=incident_id, organisation=organisation)
    return organisation, incident


@login_required
def register(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    now = timezone.now()
    sort = request.GET.get("sort", "detected")
    status = request.GET.get("status", "")
    incidents = selectors.register_incidents(
        user=request.user, organisation=organisation, sort=sort, status=status, now=now
    )
    page_obj = paginate(request, incidents)  # sorted and cut in the database: the page costs its page
    return render(
        request,
        "incidents/register.html",
        {
            "organisation": organisation,
            "rows": register_rows(page_obj.object_list, now=now),
            "page_obj": page_obj,
            "sort": sort,
            "status": status,
            "statuses": Incident.Status.choices,
            "can_write": user_can_write(request.user, organisation, Resource.INCIDENT),
        },
    )


@login_required
def declare(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    actor = require_write(request, organisation, Resource.INCIDENT)
    form = DeclareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_create(organisation=organisation, actor=actor, **form.incident_fields())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Incident declared. Its reporting deadlines are below."))
            return redirect("incident-detail-page", organisation.pk, incident.pk)
    return render(request, "incidents/declare.html", {"organisation": organisation, "form": form})


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def detail(request: HttpRequest, organisation_id: int, incident_id: int) -> HttpResponse:
    organisation, incident = _incident(request, organisation_id, incident_id)
    now = timezone.now()
    views = selectors.obligation_views(incident, now=now)
    proposal = selectors.incident_proposal(incident)
    return render(
        request,
        "incidents/detail.html",
        {
            "organisation": organisation,
            "incident": incident,
            "category": taxonomy.label(incident.category, incident.subcategory),
            "obligations": [
                {
                    "view": view,
                    "left": time_left(view.obligation.due_at, now),
                    "legal_basis": legal_basis_label(view.obligation.rule.legal_basis),
                    "filing_form": FilingForm(auto_id=f"id_%s_{view.obligation.pk}"),
                    "not_required_form": NotRequiredForm(auto_id=f"id_%s_not_required_{view.obligation.pk}"),
                }
                for view in views
            ],
            "timeline": selectors.timeline_of(incident),
            "transitions": [
                (status, label)
                for status, label in Incident.Status.choices
                if lifecycle.transition_allowed(incident.status, status)
            ],
            "proposal": proposal,
            "proposal_criteria": [CRITERIA[code] for code in proposal.criteria],
            "cause_unknown_too_long": lifecycle.cause_unknown_too_long(
                aware_at=incident.aware_at,
                detected_at=incident.detected_at,
                root_cause_identified=incident.root_cause_identified,
                now=now,
            ),
            "recurring": selectors.incidents_by_ids(selectors.recurring_incidents(incident)),
            "root_cause_form": RootCauseForm(instance=incident),
            "timeline_form": TimelineForm(),
            "intermediate_form": IntermediateRequestForm(),
            "corrective_form": CorrectiveActionForm(auto_id="id_corrective_%s"),
            "attachment_form": AttachmentForm(auto_id="id_attachment_%s"),
            "corrective_actions": selectors.corrective_actions_of(incident),
            "attachments": selectors.attachments_of(incident),
            "can_write": user_can_write(request.user, organisation, Resource.INCIDENT),
            "has_personal_data": incident.personal_data_breach,
        },
    )


@login_required
def edit(request: HttpRequest, organisation_id: int, incident_id: int) -> HttpResponse:
    organisation, incident = _incident(request, organisation_id, incident_id)
    actor = require_write(request, organisation, Resource.INCIDENT)
    form = IncidentEditForm(request.POST or None, instance=selectors.incident_fresh(incident.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_update(incident=incident, actor=actor, **form.incident_fields())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Incident updated."))
            return redirect("incident-detail-page", organisation.pk, incident.pk)
    return render(request, "incidents/edit.html", {"organisation": organisation, "incident": incident, "form": form})


def _post_action(handler: Callable[..., str | None]) -> Callable[..., HttpResponse]:
    """A POST on the incident page: run ``handler`` (request, acting user, incident and the URL's other
    arguments), show its message or the refusal, come back."""

    @login_required
    @require_POST
    def view(request: HttpRequest, organisation_id: int, incident_id: int, **kwargs: Any) -> HttpResponse:
        organisation, incident = _incident(request, organisation_id, incident_id)
        actor = require_write(request, organisation, Resource.INCIDENT)
        try:
            message = handler(request, actor, incident, **kwargs)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            if message:
                messages.success(request, message)
        return redirect(
            reverse("incident-detail-page", args=[organisation.pk, incident.pk]) + request.POST.get("anchor", "")
        )

    return view


def _refusal(form: forms.BaseForm, field: str, errors: Iterable[object]) -> str:
    """One line of the refusal: the field's label, then what is wrong with it."""
    label = form.fields[field].label if field in form.fields else ""
    return f"{label or ''} {' '.join(str(error) for error in errors)}".strip()


def _form_or_refuse(form: forms.BaseForm) -> dict[str, Any]:
    if not form.is_valid():
        raise ValidationError([_refusal(form, field, errors) for field, errors in form.errors.items()])
    return form.cleaned_data


def _transition(request: HttpRequest, actor: User, incident: Incident) -> str:
    target = request.POST.get("status", "")
    services.incident_transition(incident=incident, status=target, actor=actor)
    return _("Status changed to “%(status)s”.") % {"status": Incident.Status(target).label}


def _root_cause(request: HttpRequest, actor: User, incident: Incident) -> str:
    form = RootCauseForm(request.POST, instance=selectors.incident_fresh(incident.pk))
    services.incident_update(incident=incident, actor=actor, **_form_or_refuse(form))
    return _("Root cause recorded.")


def _timeline(request: HttpRequest, actor: User, incident: Incident) -> str:
    data = _form_or_refuse(TimelineForm(request.POST))
    services.timeline_add(
        incident=incident, actor=actor, kind=data["kind"], text=data["text"], occurred_at=data.get("occurred_at")
    )
    return _("Added to the timeline.")


def _obligation(incident: Incident, obligation_id: int) -> Obligation:
    obligation = selectors.obligation_of(incident, obligation_id)
    if obligation is None:
        raise Http404
    return obligation


def _file(request: HttpRequest, actor: User, incident: Incident, obligation_id: int) -> str:
    obligation = _obligation(incident, obligation_id)
    data = _form_or_refuse(FilingForm(request.POST))
    services.obligation_file(
        obligation=obligation,
        actor=actor,
        submitted_at=data["submitted_at"],
        reference=data["reference"],
        channel=data["channel"],
        delay_reason=data["delay_reason"],
    )
    return _("%(step)s recorded as submitted.") % {"step": obligation.get_step_display()}


def _not_required(request: HttpRequest, actor: User, incident: Incident, obligation_id: int) -> str:
    obligation = _obligation(incident, obligation_id)
    data = _form_or_refuse(NotRequiredForm(request.POST))
    services.obligation_mark_not_required(obligation=obligation, actor=actor, rationale=data["rationale"])
    return _("Decision recorded.")


def _intermediate(request: HttpRequest, actor: User, incident: Incident) -> str:
    # The form's fields are the service's arguments: requested_at, due_at, note.
    data = _form_or_refuse(IntermediateRequestForm(request.POST))
    services.obligation_request_intermediate(incident=incident, actor=actor, **data)
    return _("Intermediate report added.")


def _corrective(request: HttpRequest, actor: User, incident: Incident) -> str:
    # The form's fields are the service's arguments: title, due_date, add_to_action_plan.
    data = _form_or_refuse(CorrectiveActionForm(request.POST))
    services.corrective_action_create(incident=incident, actor=actor, **data)
    return _("Corrective action added.")


def _attachment(request: HttpRequest, actor: User, incident: Incident) -> str:
    data = _form_or_refuse(AttachmentForm(request.POST, request.FILES))
    services.attachment_add(incident=incident, actor=actor, title=data["title"], upload=data["file"])
    return _("Attachment added.")


transition = _post_action(_transition)
record_root_cause = _post_action(_root_cause)
add_timeline_entry = _post_action(_timeline)
file_obligation = _post_action(_file)
obligation_not_required = _post_action(_not_required)
request_intermediate = _post_action(_intermediate)
add_corrective_action = _post_action(_corrective)
add_attachment = _post_action(_attachment)


@login_required
@require_POST
def calendar_feed(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    actor = require_write(request, organisation, Resource.INCIDENT)
    services.calendar_feed_rotate(organisation=organisation, actor=actor)
    messages.success(request, _("A new calendar address was created; the previous one no longer works."))
    return redirect("incident-register", organisation.pk)


def calendar(request: HttpRequest, token: str) -> HttpResponse:
    """The organisation's pending deadlines as ICS; the secret token is the only credential."""
    feed = selectors.calendar_feed_of(token)
    if feed is None:
        raise Http404
    now = timezone.now()
    deadlines = []
    for incident in selectors.calendar_incidents(feed.organisation):
        for view in selectors.obligation_views(incident, now=now):
            if view.is_pending and view.obligation.due_at:
                prefix = _("[EXERCISE] ") if incident.is_exercise else ""
                deadlines.append(
                    Deadline(
                        uid=f"obligation-{view.obligation.pk}@rempart",
                        summary=f"{prefix}{view.obligation.get_step_display()} — {incident.title}",
                        due_at=view.obligation.due_at,
                        description=(
                            f"{view.obligation.authority.name}. {legal_basis_label(view.obligation.rule.legal_basis)}"
                        ),
                        url=request.build_absolute_uri(
                            reverse("incident-detail-page", args=[incident.organisation_id, incident.pk])
                        ),
                    )
                )
    body = render_calendar(f"Rempart — {feed.organisation.name}", deadlines, now=now)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
