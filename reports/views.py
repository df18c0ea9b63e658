from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from nis2.periods import quarter_of
from nis2.roles import Resource
from nis2.web import readable_organisation, user_can_write
from reports import services
from reports.models import Report


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
            services.report_request(
                organisation=organisation,
                period=request.POST.get("period", ""),
                language=request.POST.get("language", "fr"),
                consolidated=consolidated,
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The report is being generated."))
        return redirect("report-list-page", organisation.pk)
    reports = Report.objects.filter(organisation=organisation).defer("snapshot").order_by("-period", "-version")
    last_quarter = quarter_of(timezone.localdate()).previous()
    periods = [last_quarter]
    for _index in range(3):
        periods.append(periods[-1].previous())
    return render(
        request,
        "reports/list.html",
        {
            "organisation": organisation,
            "reports": reports,
            "can_write": can_write,
            "periods": periods,
            "can_consolidate": can_consolidate,
            "running": any(report.status in (Report.Status.PENDING, Report.Status.RUNNING) for report in reports),
        },
    )


@login_required
def report_status(request: HttpRequest, organisation_id: int, report_id: int) -> HttpResponse:
    """The progress fragment that htmx polls while a report is generated."""
    organisation = readable_organisation(request.user, organisation_id)
    report = get_object_or_404(Report.objects.defer("snapshot"), pk=report_id, organisation=organisation)
    return render(request, "reports/_row.html", {"organisation": organisation, "report": report})
