from __future__ import annotations

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
from nis2.web import readable_organisation, user_can_write
from reports import selectors, services
from reports.forms import ApprovalForm, TrainingForm, add_service_errors, members_of
from reports.models import Approval, Report


@login_required
def report_list(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    can_write = user_can_write(request.user, organisation, Resource.REPORT)
    can_consolidate = organisation.children.exists() and services.may_request_consolidated_report(
        user=request.user, organisation=organisation
    )
    if request.method == "POST":
        consolidated = request.POST.get("consolidated") == "on"
        if consolidated and not services.may_request_consolidated_report(user=request.user, organisation=organisation):
            raise PermissionDenied(services.CONSOLIDATED_REPORT_REFUSED)
        if not consolidated and not can_write:
            raise PermissionDenied(_("Your role does not allow this change in this organisation."))
        try:
            report = services.report_request(
                organisation=organisation,
                period=request.POST.get("period", ""),
                language=request.POST.get("language", "fr"),
                consolidated=consolidated,
                kind=Report.Kind.ANNUAL if request.POST.get("kind") == Report.Kind.ANNUAL else Report.Kind.QUARTERLY,
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            _tell_where_the_report_is(request, report)
        return redirect("report-list-page", organisation.pk)
    reports = Report.objects.filter(organisation=organisation).defer("snapshot").order_by("-period", "-version")
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
    report = get_object_or_404(Report.objects.defer("snapshot"), pk=report_id, organisation=organisation)
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
    request: HttpRequest,
    organisation: Organisation,
    *,
    approval_form: ApprovalForm | None = None,
    training_form: TrainingForm | None = None,
) -> HttpResponse:
    can_write = user_can_write(request.user, organisation, Resource.GOVERNANCE)
    register = list(selectors.approval_list().filter(organisation=organisation))
    in_force = selectors.latest_per_subject(register)
    in_force_ids = {approval.pk for approval in in_force}
    return render(
        request,
        "reports/governance.html",
        {
            "organisation": organisation,
            "can_write": can_write,
            "in_force": in_force,
            "register": [(approval, approval.pk in in_force_ids) for approval in register],
            "trainings": selectors.training_list().filter(organisation=organisation),
            "summary": selectors.training_summary(organisation_id=organisation.pk, as_of=timezone.localdate()),
            "validity_months": selectors.TRAINING_VALIDITY_MONTHS,
            "approval_form": approval_form or (_approval_form(request, organisation) if can_write else None),
            "training_form": training_form or (_training_form(organisation) if can_write else None),
        },
    )


def _require_governance_write(request: HttpRequest, organisation: Organisation) -> None:
    if not user_can_write(request.user, organisation, Resource.GOVERNANCE):
        raise PermissionDenied(_("Your role does not allow this change in this organisation."))


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
    _require_governance_write(request, organisation)
    form = _approval_form(request, organisation, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.approval_record(
                organisation=organisation,
                subject=data["subject"],
                assessment=data["assessment"] if data["subject"] != Approval.Subject.REPORT else None,
                report=data["report"] if data["subject"] == Approval.Subject.REPORT else None,
                act_type=data["act_type"],
                act_reference=data["act_reference"],
                decided_on=data["decided_on"],
                body=data["body"],
                act_file=data["act_file"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The approval is recorded."))
            return redirect("governance-page", organisation.pk)
    return _governance_page(request, organisation, approval_form=form)


@login_required
@require_POST
def training_add(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    _require_governance_write(request, organisation)
    form = _training_form(organisation, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.training_record(
                organisation=organisation,
                person=data["person"],
                person_name=data["person_name"],
                course=data["course"],
                provider=data["provider"],
                completed_on=data["completed_on"],
                hours=data["hours"],
                attestation=data["attestation"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The training is recorded."))
            return redirect("governance-page", organisation.pk)
    return _governance_page(request, organisation, training_form=form)


@login_required
@require_POST
def training_delete(request: HttpRequest, organisation_id: int, training_id: int) -> HttpResponse:
    organisation = readable_organisation(request.user, organisation_id)
    _require_governance_write(request, organisation)
    training = get_object_or_404(selectors.training_list(), pk=training_id, organisation=organisation)
    services.training_delete(training=training, actor=request.user)
    messages.success(request, _("The training is deleted; the history keeps it."))
    return redirect("governance-page", organisation.pk)
