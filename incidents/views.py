"""Web pages of the incident register (thin: selectors read, services write)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
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
from incidents.models import CalendarFeed, Incident, Obligation
from incidents.significance import CRITERIA
from nis2.models import Organisation
from nis2.roles import Resource
from nis2.web import paginate, readable_organisation, user_can_write

SORTS = {
    "detected": ("-detected_at", "-pk"),
    "severity": ("severity", "-detected_at"),
    "status": ("status", "-detected_at"),
    "title": ("title",),
}


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


def _require_write(request: HttpRequest, organisation: Organisation) -> None:
    if not user_can_write(request.user, organisation, Resource.INCIDENT):
        raise PermissionDenied(_("Your role does not allow this change in this organisation."))


@login_required
def register(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    now = timezone.now()
    sort = request.GET.get("sort", "detected")
    incidents = (
        selectors.incident_list(user=request.user)
        .filter(organisation=organisation)
        .order_by(*SORTS.get(sort, SORTS["detected"]))
    )
    status = request.GET.get("status", "")
    if status == "open":
        incidents = incidents.open()
    elif status in Incident.Status.values:
        incidents = incidents.filter(status=status)
    if sort == "deadline":
        incidents = selectors.with_clock(incidents, now=now).order_by(
            F("next_due").asc(nulls_last=True), "-detected_at", "-pk"
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
    _require_write(request, organisation)
    form = DeclareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_create(organisation=organisation, actor=request.user, **form.incident_fields())
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
            "recurring": Incident.objects.filter(pk__in=selectors.recurring_incidents(incident)),
            "root_cause_form": RootCauseForm(instance=incident),
            "timeline_form": TimelineForm(),
            "intermediate_form": IntermediateRequestForm(),
            "corrective_form": CorrectiveActionForm(auto_id="id_corrective_%s"),
            "attachment_form": AttachmentForm(auto_id="id_attachment_%s"),
            "corrective_actions": incident.corrective_actions.select_related("owner", "plan_action"),
            "attachments": incident.attachments.all(),
            "can_write": user_can_write(request.user, organisation, Resource.INCIDENT),
            "has_personal_data": incident.personal_data_breach,
        },
    )


@login_required
def edit(request: HttpRequest, organisation_id: int, incident_id: int) -> HttpResponse:
    organisation, incident = _incident(request, organisation_id, incident_id)
    _require_write(request, organisation)
    form = IncidentEditForm(request.POST or None, instance=Incident.objects.get(pk=incident.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_update(incident=incident, actor=request.user, **form.incident_fields())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Incident updated."))
            return redirect("incident-detail-page", organisation.pk, incident.pk)
    return render(request, "incidents/edit.html", {"organisation": organisation, "incident": incident, "form": form})


def _post_action(handler: Callable[[HttpRequest, Organisation, Incident], str | None]) -> Callable[..., HttpResponse]:
    """A POST on the incident page: run ``handler``, show its message or the refusal, come back."""

    @login_required
    @require_POST
    def view(request: HttpRequest, organisation_id: int, incident_id: int, **kwargs: Any) -> HttpResponse:
        organisation, incident = _incident(request, organisation_id, incident_id)
        _require_write(request, organisation)
        try:
            message = handler(request, organisation, incident, **kwargs)
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


def _form_or_refuse(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        raise ValidationError(
            [
                f"{form.fields[field].label if field in form.fields else ''} {' '.join(errors)}".strip()
                for field, errors in form.errors.items()
            ]
        )
    return form.cleaned_data


def _transition(request: HttpRequest, organisation: Organisation, incident: Incident) -> str:
    target = request.POST.get("status", "")
    services.incident_transition(incident=incident, status=target, actor=request.user)
    return _("Status changed to “%(status)s”.") % {"status": Incident.Status(target).label}


def _root_cause(request: HttpRequest, organisation: Organisation, incident: Incident) -> str:
    form = RootCauseForm(request.POST, instance=Incident.objects.get(pk=incident.pk))
    services.incident_update(incident=incident, actor=request.user, **_form_or_refuse(form))
    return _("Root cause recorded.")


def _timeline(request: HttpRequest, organisation: Organisation, incident: Incident) -> str:
    data = _form_or_refuse(TimelineForm(request.POST))
    services.timeline_add(
        incident=incident, actor=request.user, kind=data["kind"], text=data["text"], occurred_at=data.get("occurred_at")
    )
    return _("Added to the timeline.")


def _obligation(incident: Incident, obligation_id: int) -> Obligation:
    obligation = incident.obligations.filter(pk=obligation_id).select_related("authority", "rule", "incident").first()
    if obligation is None:
        raise Http404
    return obligation


def _file(request: HttpRequest, organisation: Organisation, incident: Incident, obligation_id: int) -> str:
    obligation = _obligation(incident, obligation_id)
    data = _form_or_refuse(FilingForm(request.POST))
    services.obligation_file(
        obligation=obligation,
        actor=request.user,
        submitted_at=data["submitted_at"],
        reference=data["reference"],
        channel=data["channel"],
        delay_reason=data["delay_reason"],
    )
    return _("%(step)s recorded as submitted.") % {"step": obligation.get_step_display()}


def _not_required(request: HttpRequest, organisation: Organisation, incident: Incident, obligation_id: int) -> str:
    obligation = _obligation(incident, obligation_id)
    data = _form_or_refuse(NotRequiredForm(request.POST))
    services.obligation_mark_not_required(obligation=obligation, actor=request.user, rationale=data["rationale"])
    return _("Decision recorded.")


def _intermediate(request: HttpRequest, organisation: Organisation, incident: Incident) -> str:
    data = _form_or_refuse(IntermediateRequestForm(request.POST))
    services.obligation_request_intermediate(
        incident=incident,
        actor=request.user,
        requested_at=data["requested_at"],
        due_at=data["due_at"],
        note=data["note"],
    )
    return _("Intermediate report added.")


def _corrective(request: HttpRequest, organisation: Organisation, incident: Incident) -> str:
    data = _form_or_refuse(CorrectiveActionForm(request.POST))
    services.corrective_action_create(incident=incident, actor=request.user, **data)
    return _("Corrective action added.")


def _attachment(request: HttpRequest, organisation: Organisation, incident: Incident) -> str:
    data = _form_or_refuse(AttachmentForm(request.POST, request.FILES))
    services.attachment_add(incident=incident, actor=request.user, title=data["title"], upload=data["file"])
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
    _require_write(request, organisation)
    services.calendar_feed_rotate(organisation=organisation, actor=request.user)
    messages.success(request, _("A new calendar address was created; the previous one no longer works."))
    return redirect("incident-register", organisation.pk)


def calendar(request: HttpRequest, token: str) -> HttpResponse:
    """The organisation's pending deadlines as ICS; the secret token is the only credential."""
    feed = CalendarFeed.objects.select_related("organisation").filter(token=token).first()
    if feed is None:
        raise Http404
    now = timezone.now()
    incidents = (
        Incident.objects.filter(organisation=feed.organisation).open().prefetch_related(selectors.obligation_prefetch())
    )
    deadlines = []
    for incident in incidents:
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
