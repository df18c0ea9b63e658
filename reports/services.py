"""Report generation: the snapshot as of the quarter's end, the PDF from the snapshot, stored immutable."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nis2.models import Membership, Organisation
from nis2.periods import Quarter, parse_quarter, quarter_of
from nis2.roles import Role
from reports.models import Report
from reports.rendering import render_report
from reports.snapshot import build_snapshot

logger = logging.getLogger(__name__)


def parse_period(period: str, *, today: Any = None) -> Quarter:
    quarter = parse_quarter(period)
    if quarter is None:
        raise ValidationError({"period": _("Expected a quarter such as 2026-Q3.")})
    current = quarter_of(today or timezone.localdate())
    if quarter >= current:
        raise ValidationError({"period": _("A report covers a quarter that has ended.")})
    return quarter


@transaction.atomic
def report_request(
    *,
    organisation: Organisation,
    period: str,
    language: str,
    actor: AbstractBaseUser | None,
    consolidated: bool = False,
    enqueue: bool = True,
) -> Report:
    """Create a new version of the report and queue its generation (after the commit)."""
    quarter = parse_period(period)
    if consolidated and not organisation.children.exists():
        raise ValidationError(
            {"consolidated": _("Only an intercommunality with member communes has a consolidated report.")}
        )
    # Versions are numbered per organisation: lock its row so that two requests cannot take the same number.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    latest = Report.objects.filter(
        organisation=organisation, period=quarter.code, language=language, consolidated=consolidated
    ).aggregate(version=Max("version"))["version"]
    report = Report(
        organisation=organisation,
        period=quarter.code,
        period_start=quarter.start,
        period_end=quarter.end,
        language=language,
        consolidated=consolidated,
        version=(latest or 0) + 1,
        requested_by=actor,
    )
    report.full_clean()
    report._history_user = actor  # type: ignore[attr-defined]
    report.save()
    from reports.tasks import generate_report

    if enqueue:
        transaction.on_commit(lambda: generate_report.delay(report.pk))
    return report


def _set(report: Report, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(report, name, value)
    report.save(update_fields=[*fields, "updated_at"])


def report_generate(*, report_id: int, progress: Any = None) -> Report:
    """Build and store the report. Safe to run again: a finished report is left as it is."""
    report = Report.objects.select_related("organisation").get(pk=report_id)
    if report.status == Report.Status.DONE:
        return report
    _set(report, status=Report.Status.RUNNING, progress=5, error="")
    quarter = parse_quarter(report.period)
    snapshot = build_snapshot(
        report.organisation,
        quarter,
        language=report.language,
        consolidated=report.consolidated,
        progress=lambda percent: (_set(report, progress=percent), progress and progress(percent)),
    )
    snapshot["meta"]["version"] = report.version
    pdf = render_report(snapshot)
    digest = hashlib.sha256(pdf).hexdigest()
    kind = "-consolidated" if report.consolidated else ""
    name = f"rempart-{report.organisation.siren}-{report.period}{kind}-{report.language}-v{report.version}.pdf"
    with transaction.atomic():
        report.pdf.save(name, ContentFile(pdf), save=False)
        _set(
            report,
            snapshot=snapshot,
            sha256=digest,
            status=Report.Status.DONE,
            progress=100,
            generated_at=timezone.now(),
            pdf=report.pdf,
        )
    return report


def report_fail(*, report_id: int, error: str) -> None:
    report = Report.objects.get(pk=report_id)
    if report.status != Report.Status.DONE:
        _set(report, status=Report.Status.FAILED, error=error[:2000])


def notify_executives(*, report: Report) -> int:
    """E-mail the organisation's executives a link to the report (never the attachment)."""
    recipients = list(
        Membership.objects.filter(organisation=report.organisation_id, role=Role.EXECUTIVE)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not recipients:
        return 0
    link = settings.SITE_URL + reverse("report-list-page", args=[report.organisation_id])
    with translation.override(report.language):
        subject = _("Quarterly NIS 2 report %(period)s — %(organisation)s") % {
            "period": report.period,
            "organisation": report.organisation.name,
        }
        body = _("The NIS 2 compliance report for %(period)s is ready. Read it in Rempart: %(link)s") % {
            "period": report.period,
            "link": link,
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    _set(report, notified_at=timezone.now())
    return len(recipients)


def issue_quarterly_reports(*, today: Any = None) -> list[int]:
    """On the first day of a quarter: one report per in-scope organisation for the quarter just ended."""
    quarter = quarter_of(today or timezone.localdate()).previous()
    created = []
    for organisation in Organisation.objects.exclude(nis2_status=Organisation.Nis2StatusChoices.NOT_IN_SCOPE):
        if Report.objects.filter(organisation=organisation, period=quarter.code, consolidated=False).exists():
            continue
        created.append(report_request(organisation=organisation, period=quarter.code, language="fr", actor=None).pk)
    return created
