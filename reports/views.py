from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nis2.models import Organisation
from nis2.periods import quarter_of
from nis2.roles import Resource
from nis2.selectors import people_who_write
from nis2.web import readable_organisation, request_actor, require_write, user_can_write
from reports import selectors, services
from reports.forms import ApprovalForm, TrainingForm, add_service_errors, members_of
from reports.models import Report


@login_required
def report_list(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    if request.method == "POST":
        return _request_report(request, organisation)
    can_write = user_can_write(request.user, organisation, Resource.REPORT)
    can_consolidate = selectors.has_member_communes(organisation) and services.may_request_consolidated_report(
        user=request.user, organisation=organisation
    )
    reports = selectors.report_list(organisation_id=organisation.pk)
    current = quarter_of(timezone.localdate())
    periods = [current.previous()]
    for _index in range(3):
        periods.append(periods[-1].previous())
    # The year whose last quarter has started (the council adopts the annual report in December), and the two before.
    latest_year = current.year if current.number == 4 else current.year - 1
    years = [latest_year - offset for offset in range(3)]
    return render(
        request,
        "reports/list.html",
        {
            "organisation": organisation,
            "reports": reports,
            "can_write": can_write,
            "periods": periods,
            "years": years,
            "can_consolidate": can_consolidate,
            "running": any(report.status in (Report.Status.PENDING, Report.Status.RUNNING) for report in reports),
            "who_generates": []
            if can_write or can_consolidate
            else people_who_write(organisation=organisation, resource=Resource.REPORT),
        },
    )


def _request_report(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """The form of the list: a new version of a report, generated in the background."""
    consolidated = request.POST.get("consolidated") == "on"
    if consolidated and not services.may_request_consolidated_report(user=request.user, organisation=organisation):
        raise PermissionDenied(services.CONSOLIDATED_REPORT_REFUSED)
    # A consolidated report is not a write of the reports' resource: the check above is its permission.
    actor = request_actor(request) if consolidated else require_write(request, organisation, Resource.REPORT)
    try:
        report = services.report_request(
            organisation=organisation,
            period=request.POST.get("period", ""),
            language=request.POST.get("language", "fr"),
            consolidated=consolidated,
            kind=Report.Kind.ANNUAL if request.POST.get("kind") == Report.Kind.ANNUAL else Report.Kind.QUARTERLY,
            actor=actor,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _tell_where_the_report_is(request, report)
    return redirect("report-list-page", organisation.pk)


def _tell_where_the_report_is(request: HttpRequest, report: Report) -> None:
    """The message matches the report's line: ready already when the work ran in the request (eager
    mode, the embedded default), else on its way, its line updating itself."""
    report.refresh_from_db(fields=["status"])
    if report.status == Report.Status.DONE:
        messages.success(request, _("The report is ready: download it from its line below."))
    elif report.status == Report.Status.FAILED:
        messages.error(request, _("The report could not be generated: its line below gives the reason."))
    else:
        messages.success(
            request, _("The report is being generated: its line below updates itself and offers the download.")
        )


@login_required
def report_status(request: HttpRequest, organisation_id: int, report_id: int) -> HttpResponse:
    """The progress fragment that htmx polls while a report is generated."""
    organisation = readable_organisation(request.user, organisation_id)
    report = get_object_or_404(selectors.report_list(organisation_id=organisation.pk), pk=report_id)
    return render(request, "reports/_row.html", {"organisation": organisation, "report": report})


# --- Governance (NIS 2 Art. 20) ----------------------------------------------------------------------------


def _approval_form(
    request: HttpRequest, organisation: Organisation, data: Any = None, files: Any = None
) -> ApprovalForm:
    return ApprovalForm(
        data,
        files,
        assessments=selectors.approvable_assessments(user=request.user, organisation_id=organisation.pk),
        reports=selectors.approvable_reports(organisation_id=organisation.pk),
    )


def _training_form(organisation: Organisation, data: Any = None, files: Any = None) -> TrainingForm:
    return TrainingForm(data, files, members=members_of(organisation.pk))


def _governance_page(
    request: HttpRequest, organisation: Organisation, *, submitted: ApprovalForm | TrainingForm | None = None
) -> HttpResponse:
    """The page; ``submitted``: a form posted and refused, shown with its errors in place of a blank one."""
    can_write = user_can_write(request.user, organisation, Resource.GOVERNANCE)
    register = selectors.approval_register(organisation_id=organisation.pk)
    in_force = selectors.latest_per_subject(register)
    in_force_ids = {approval.pk for approval in in_force}
    approval_form = submitted if isinstance(submitted, ApprovalForm) else None
    training_form = submitted if isinstance(submitted, TrainingForm) else None
    return render(
        request,
        "reports/governance.html",
        {
            "organisation": organisation,
            "can_write": can_write,
            "in_force": in_force,
            "register": [(approval, approval.pk in in_force_ids) for approval in register],
            "trainings": selectors.training_list(organisation_id=organisation.pk),
            "summary": selectors.training_summary(organisation_id=organisation.pk, as_of=timezone.localdate()),
            "validity_months": selectors.TRAINING_VALIDITY_MONTHS,
            "approval_form": approval_form or (_approval_form(request, organisation) if can_write else None),
            "training_form": training_form or (_training_form(organisation) if can_write else None),
        },
    )


def _governance_post(
    request: HttpRequest,
    organisation: Organisation,
    form: ApprovalForm | TrainingForm,
    record: Callable[..., object],
    *,
    done: str,
) -> HttpResponse:
    """Give the valid form to ``record`` (the service); a refusal is shown on the form's fields."""
    actor = require_write(request, organisation, Resource.GOVERNANCE)
    if form.is_valid():
        try:
            record(organisation=organisation, actor=actor, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("governance-page", organisation.pk)
    return _governance_page(request, organisation, submitted=form)


@login_required
def governance(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The management body's approvals and trainings (NIS 2 Art. 20): read by every member, written by the
    administrators and the executives."""
    organisation = readable_organisation(request.user, organisation_id)
    return _governance_page(request, organisation)


@login_required
@require_POST
def approval_add(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    form = _approval_form(request, organisation, request.POST, request.FILES)
    return _governance_post(request, organisation, form, services.approval_record, done=_("The approval is recorded."))


@login_required
@require_POST
def training_add(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    form = _training_form(organisation, request.POST, request.FILES)
    return _governance_post(request, organisation, form, services.training_record, done=_("The training is recorded."))


@login_required
@require_POST
def training_delete(request: HttpRequest, organisation_id: int, training_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    actor = require_write(request, organisation, Resource.GOVERNANCE)
    training = get_object_or_404(selectors.training_list(organisation_id=organisation.pk), pk=training_id)
    services.training_delete(training=training, actor=actor)
    messages.success(request, _("The training is deleted; the history keeps it."))
    return redirect("governance-page", organisation.pk)
