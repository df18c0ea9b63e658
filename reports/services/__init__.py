"""Report generation: the snapshot as of the period's end, the PDF from the snapshot, stored immutable; the
schedule and the sweeper that deliver what the queue lost. The management body's approvals and trainings
(NIS 2 Art. 20) are written by ``reports.services.governance``, re-exported here.

Every write goes through ``nis2.history``."""

from __future__ import annotations

import datetime
import hashlib
import logging
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from nis2.history import model_create, model_update
from nis2.models import Membership, Organisation
from nis2.periods import Period, Quarter, parse_quarter, parse_year, quarter_of
from nis2.roles import ROLES_REQUESTING_CONSOLIDATED_REPORTS, Role
from reports.deliberation import deliberation_lines, odt_document
from reports.models import Report
from reports.rendering import render_report
from reports.services.governance import (
    ACT_FILE_TYPES,
    ATTESTATION_TYPES,
    UNKNOWN_OBJECT,
    ApprovedAssessment,
    approval_record,
    training_delete,
    training_record,
)
from reports.snapshot import Progress, build_snapshot

__all__ = [
    "ACT_FILE_TYPES",
    "ATTESTATION_TYPES",
    "CONSOLIDATED_REPORT_REFUSED",
    "MAX_ATTEMPTS",
    "QUEUED_GRACE",
    "RUNNING_BUDGET",
    "UNKNOWN_OBJECT",
    "ApprovedAssessment",
    "approval_record",
    "issue_quarterly_reports",
    "may_request_consolidated_report",
    "notify_executives",
    "parse_period",
    "report_enqueue",
    "report_fail",
    "report_generate",
    "report_request",
    "reports_sweep",
    "training_delete",
    "training_record",
]

logger = logging.getLogger(__name__)

# A consolidated report gathers the member communes' data: it is asked for by those who answer for the
# intercommunality as a whole, not by its security officer, IT department or auditor, who do not all read
# the communes' data (nis2.roles.ROLES_READING_CHILDREN).
CONSOLIDATED_REPORT_REFUSED = gettext_lazy(
    "Only the intercommunality's administrators and executives may request a consolidated report: "
    "it gathers its member communes' data."
)


def may_request_consolidated_report(*, user: AbstractBaseUser | AnonymousUser, organisation: Organisation) -> bool:
    if not isinstance(user, User):
        return False
    return Membership.objects.filter(
        user=user, organisation=organisation, role__in=ROLES_REQUESTING_CONSOLIDATED_REPORTS
    ).exists()


def parse_period(period: str, *, kind: str = "quarterly", today: datetime.date | None = None) -> Period:
    """The ended quarter (``2026-Q3``) of a quarterly report, or the year (``2026``) of an annual one. A year may
    be the current one once its last quarter has started: the council often adopts the report in December."""
    today = today or timezone.localdate()
    if kind == Report.Kind.ANNUAL:
        year = parse_year(period)
        if year is None:
            raise ValidationError({"period": _("Expected a year such as 2026.")})
        if Quarter(year.year, 4).start > today:
            raise ValidationError({"period": _("An annual report covers a year whose last quarter has started.")})
        return year
    quarter = parse_quarter(period)
    if quarter is None:
        raise ValidationError({"period": _("Expected a quarter such as 2026-Q3.")})
    if quarter >= quarter_of(today):
        raise ValidationError({"period": _("A report covers a quarter that has ended.")})
    return quarter


@transaction.atomic
def report_request(
    *,
    organisation: Organisation,
    period: str,
    language: str,
    actor: User | None,
    consolidated: bool = False,
    kind: str = Report.Kind.QUARTERLY,
    enqueue: bool = True,
) -> Report:
    """Create a new version of the report and queue its generation (after the commit). A consolidated
    report is refused to an actor who may not request one; ``actor=None`` is the platform itself."""
    if (
        consolidated
        and actor is not None
        and not may_request_consolidated_report(user=actor, organisation=organisation)
    ):
        raise PermissionDenied(str(CONSOLIDATED_REPORT_REFUSED))
    quarter = parse_period(period, kind=kind)
    if consolidated and not organisation.children.exists():
        raise ValidationError(
            {"consolidated": _("Only an intercommunality with member communes has a consolidated report.")}
        )
    # Versions are numbered per organisation: lock its row so that two requests cannot take the same number.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    latest = Report.objects.filter(
        organisation=organisation, kind=kind, period=quarter.code, language=language, consolidated=consolidated
    ).aggregate(version=Max("version"))["version"]
    report = Report(
        organisation=organisation,
        kind=kind,
        period=quarter.code,
        period_start=quarter.start,
        period_end=quarter.end,
        language=language,
        consolidated=consolidated,
        version=(latest or 0) + 1,
        requested_by=actor,
    )
    model_create(report, actor=actor)
    if enqueue:
        transaction.on_commit(partial(report_enqueue, report_id=report.pk))
    return report


def report_enqueue(*, report_id: int) -> bool:
    """Queue the generation. The report row is the outbox: when the broker cannot take the job, the request
    still succeeds and ``reports_sweep`` queues it once the broker is back."""
    from reports.tasks import generate_report  # imported here: the task module imports this one (a cycle)

    try:
        generate_report.delay(report_id)
    except Exception:  # the broker is down or unreachable: any transport error
        logger.warning("Report %s not queued (broker unavailable); the sweeper will queue it", report_id, exc_info=True)
        return False
    return True


# The sweeper's budgets: Rempart's design choices, a report taking seconds to a minute to generate.
QUEUED_GRACE = datetime.timedelta(minutes=2)  # a pending report not started by then is queued again
RUNNING_BUDGET = datetime.timedelta(minutes=15)  # a running report not finished by then lost its worker
MAX_ATTEMPTS = 3


def reports_sweep(*, now: datetime.datetime) -> dict[str, int]:
    """Deliver what the queue lost: pending reports never started (broker down when requested) are queued
    again, running reports whose worker died are reset and queued again; after ``MAX_ATTEMPTS`` they are
    marked failed with a reason a person can read."""
    counts = {"queued": 0, "failed": 0}
    stale = Report.objects.filter(
        Q(status=Report.Status.PENDING, updated_at__lt=now - QUEUED_GRACE)
        | Q(status=Report.Status.RUNNING, updated_at__lt=now - RUNNING_BUDGET)
    ).order_by("pk")
    for report in stale:
        if report.attempts >= MAX_ATTEMPTS:
            report_fail(
                report_id=report.pk,
                error=_("The report could not be generated after %(count)s attempts (queue or worker unavailable).")
                % {"count": report.attempts},
            )
            counts["failed"] += 1
            continue
        _record(report, {"status": Report.Status.PENDING, "progress": 0, "attempts": report.attempts + 1})
        if report_enqueue(report_id=report.pk):
            counts["queued"] += 1
    return counts


def _record(report: Report, data: dict[str, object], *, also_save: tuple[str, ...] = ()) -> None:
    """The platform's bookkeeping of a generation (status, progress, result). Not validated again: the row was
    when requested, and the progress is written several times a generation."""
    model_update(report, actor=None, data=data, also_save=also_save, validate=False)


def _progress_recorder(report: Report, relay: Progress | None) -> Progress:
    """Records each step of the snapshot on the report (its page polls it) and passes it on to ``relay``."""

    def record(percent: int) -> None:
        _record(report, {"progress": percent})
        if relay is not None:
            relay(percent)

    return record


def _period_of(report: Report) -> Period:
    period = parse_year(report.period) if report.kind == Report.Kind.ANNUAL else parse_quarter(report.period)
    if period is None:  # the service wrote it from a parsed period: never
        raise ValueError(f"Report {report.pk} has an invalid period: {report.period!r}")
    return period


def report_generate(*, report_id: int, progress: Progress | None = None) -> Report:
    """Build and store the report. Safe to run again: a finished report is left as it is."""
    report: Report = Report.objects.select_related("organisation").get(pk=report_id)
    if report.status == Report.Status.DONE:
        return report
    _record(report, {"status": Report.Status.RUNNING, "progress": 5, "error": ""})
    snapshot = build_snapshot(
        report.organisation,
        _period_of(report),
        language=report.language,
        consolidated=report.consolidated,
        progress=_progress_recorder(report, progress),
    )
    snapshot["meta"]["version"] = report.version
    pdf = render_report(snapshot)
    variant = "-consolidated" if report.consolidated else ""
    name = f"rempart-{report.organisation.siren}-{report.period}{variant}-{report.language}-v{report.version}"
    with transaction.atomic():
        report.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
        if report.kind == Report.Kind.ANNUAL:
            draft = odt_document(deliberation_lines(snapshot), title=f"Projet de délibération — {report.period}")
            report.odt.save(f"{name}-deliberation.odt", ContentFile(draft), save=False)
        _record(
            report,
            {
                "snapshot": snapshot,
                "sha256": hashlib.sha256(pdf).hexdigest(),
                "status": Report.Status.DONE,
                "progress": 100,
                "generated_at": timezone.now(),
            },
            also_save=("pdf", "odt"),  # set on the instance by their ``save`` above
        )
    return report


def report_fail(*, report_id: int, error: str) -> None:
    report = Report.objects.get(pk=report_id)
    if report.status != Report.Status.DONE:
        _record(report, {"status": Report.Status.FAILED, "error": error[:2000]})


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
    _record(report, {"notified_at": timezone.now()})
    return len(recipients)


def issue_quarterly_reports(*, today: datetime.date | None = None) -> list[int]:
    """On the first day of a quarter: one report per in-scope organisation for the quarter just ended. One
    query finds who has none yet, one statement writes them all (each version 1: an organisation with
    a version already is not selected); each is queued after the commit."""
    quarter = quarter_of(today or timezone.localdate()).previous()
    has_one = Report.objects.filter(organisation=OuterRef("pk"), period=quarter.code, consolidated=False)
    without = Organisation.objects.exclude(nis2_status=Organisation.Nis2StatusChoices.NOT_IN_SCOPE).exclude(
        Exists(has_one)
    )
    with transaction.atomic():
        reports = bulk_create_with_history(
            [
                Report(
                    organisation_id=organisation_id,
                    kind=Report.Kind.QUARTERLY,
                    period=quarter.code,
                    period_start=quarter.start,
                    period_end=quarter.end,
                    language="fr",
                    version=1,
                )
                for organisation_id in without.order_by("pk").values_list("pk", flat=True)
            ],
            Report,
        )
        ids = [report.pk for report in reports]
        transaction.on_commit(partial(_enqueue_all, ids))
    return ids


def _enqueue_all(report_ids: list[int]) -> None:
    for report_id in report_ids:
        report_enqueue(report_id=report_id)
