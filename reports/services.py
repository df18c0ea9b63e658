"""Report generation: the snapshot as of the quarter's end, the PDF from the snapshot, stored immutable; the
management body's approvals and trainings (NIS 2 Art. 20)."""

from __future__ import annotations

import datetime
import hashlib
import logging
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from nis2.history import save_with_author
from nis2.models import Membership, Organisation
from nis2.periods import Period, Quarter, parse_quarter, parse_year, quarter_of
from nis2.roles import ROLES_REQUESTING_CONSOLIDATED_REPORTS, Role
from nis2.uploads import CheckedUpload, check_upload
from reports import selectors
from reports.deliberation import deliberation_lines, odt_document
from reports.models import Approval, Report, Training
from reports.rendering import render_report
from reports.snapshot import build_snapshot

if TYPE_CHECKING:
    from controls.models import Assessment

logger = logging.getLogger(__name__)

# A consolidated report gathers the member communes' data: it is asked for by those who answer for the
# intercommunality as a whole, not by its security officer, IT department or auditor, who do not all read
# the communes' data (nis2.roles.ROLES_READING_CHILDREN).
CONSOLIDATED_REPORT_REFUSED = gettext_lazy(
    "Only the intercommunality's administrators and executives may request a consolidated report: "
    "it gathers its member communes' data."
)


def may_request_consolidated_report(*, user: AbstractBaseUser | AnonymousUser, organisation: Organisation) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, organisation=organisation, role__in=ROLES_REQUESTING_CONSOLIDATED_REPORTS
    ).exists()


def parse_period(period: str, *, kind: str = "quarterly", today: Any = None) -> Period:
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
    actor: AbstractBaseUser | None,
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
    report.full_clean()
    report._history_user = actor  # type: ignore[attr-defined]
    report.save()
    if enqueue:
        transaction.on_commit(lambda: report_enqueue(report_id=report.pk))
    return report


def report_enqueue(*, report_id: int) -> bool:
    """Queue the generation. The report row is the outbox: when the broker cannot take the job, the request
    still succeeds and ``reports_sweep`` queues it once the broker is back."""
    from reports.tasks import generate_report  # imported here: the task module imports this one

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
        _set(report, status=Report.Status.PENDING, progress=0, attempts=report.attempts + 1)
        if report_enqueue(report_id=report.pk):
            counts["queued"] += 1
    return counts


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
    quarter = parse_year(report.period) if report.kind == Report.Kind.ANNUAL else parse_quarter(report.period)
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
    variant = "-consolidated" if report.consolidated else ""
    name = f"rempart-{report.organisation.siren}-{report.period}{variant}-{report.language}-v{report.version}"
    with transaction.atomic():
        report.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
        if report.kind == Report.Kind.ANNUAL:
            draft = odt_document(deliberation_lines(snapshot), title=f"Projet de délibération — {report.period}")
            report.odt.save(f"{name}-deliberation.odt", ContentFile(draft), save=False)
        _set(
            report,
            snapshot=snapshot,
            sha256=digest,
            status=Report.Status.DONE,
            progress=100,
            generated_at=timezone.now(),
            pdf=report.pdf,
            odt=report.odt,
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


# --- Governance: the management body's approvals and trainings (NIS 2 Art. 20) -------------------------------

UNKNOWN_OBJECT = gettext_lazy("Invalid pk “%(pk)s” - object does not exist.")
ACT_FILE_TYPES = frozenset({"application/pdf"})
ATTESTATION_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


def _checked_file(
    upload: UploadedFile | None, *, field: str, accepted: frozenset[str], refusal: str, errors: dict[str, list[str]]
) -> CheckedUpload | None:
    """The project's upload checks (size, type confirmed by the content), then the types this field takes; a
    refusal is added to ``errors`` under ``field``."""
    if upload is None:
        return None
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        errors.setdefault(field, []).extend(error.messages)
        return None
    if checked.content_type not in accepted:
        errors.setdefault(field, []).append(refusal)
        return None
    return checked


def _not_in_future(day: datetime.date | None, *, today: datetime.date, message: str) -> list[str]:
    return [message] if day is not None and day > today else []


def _approval_object_errors(approval: Approval) -> dict[str, list[str]]:
    """Which object an approval names, by subject: a report for a report, an assessment otherwise; either
    belonging to the organisation (another's is refused as an unknown one)."""
    errors: dict[str, list[str]] = {}
    if approval.subject == Approval.Subject.REPORT:
        if approval.assessment is not None:
            errors["assessment"] = [_("A report approval names a report, not an assessment.")]
        if approval.report is None:
            errors["report"] = [_("Choose the report approved.")]
        elif approval.report.organisation_id != approval.organisation_id:
            errors["report"] = [str(UNKNOWN_OBJECT % {"pk": approval.report.pk})]
        elif approval.report.status != Report.Status.DONE:
            errors["report"] = [_("This report is not generated yet: it cannot be approved.")]
        return errors
    if approval.report is not None:
        errors["report"] = [_("Only a report approval names a report.")]
    if approval.assessment is None:
        errors["assessment"] = [
            _("This organisation has no assessment yet: there are no security measures to approve.")
            if approval.subject == Approval.Subject.MEASURES
            else _("Choose the assessment approved.")
        ]
    elif approval.assessment.organisation_id != approval.organisation_id:
        errors["assessment"] = [str(UNKNOWN_OBJECT % {"pk": approval.assessment.pk})]
    return errors


@transaction.atomic
def approval_record(
    *,
    organisation: Organisation,
    subject: str,
    act_type: str,
    act_reference: str,
    decided_on: datetime.date | None,
    body: str,
    actor: AbstractBaseUser | None,
    assessment: Assessment | None = None,
    report: Report | None = None,
    act_file: UploadedFile | None = None,
    today: datetime.date | None = None,
) -> Approval:
    """Record the management body's approval of ``subject``, with a summary of what it approved
    (``approved_state``). Directive (EU) 2022/2555, Art. 20(1). An approval of the security measures without
    an assessment named approves the organisation's current one. Approvals are never changed afterwards."""
    today = today or timezone.localdate()
    if subject == Approval.Subject.MEASURES and assessment is None:
        assessment = selectors.current_assessment(organisation_id=organisation.pk, as_of=timezone.now())
    approval = Approval(
        organisation=organisation,
        subject=subject,
        assessment_id=assessment.pk if assessment is not None else None,
        report=report,
        act_type=act_type,
        act_reference=act_reference.strip(),
        decided_on=decided_on,
        body=body,
        recorded_by=actor,
    )
    errors = _field_errors(approval, exclude=["approved_state", "assessment", "report", "act_file"])
    if "subject" not in errors:
        approval.assessment = assessment  # the instance given, for its organisation
        errors.update(_approval_object_errors(approval))
    future = _not_in_future(decided_on, today=today, message=_("The decision cannot be dated in the future."))
    if future:
        errors.setdefault("decided_on", []).extend(future)
    checked = _checked_file(
        act_file,
        field="act_file",
        accepted=ACT_FILE_TYPES,
        refusal=_("The signed act must be a PDF file."),
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    approval.approved_state = dict(
        selectors.subject_state(
            organisation_id=organisation.pk,
            subject=subject,
            as_of=timezone.now(),
            assessment_id=assessment.pk if assessment is not None else None,
            assessment_label=assessment.label if assessment is not None else None,
            report=report,
        )
    )
    if act_file is not None and checked is not None:
        approval.act_sha256 = checked.sha256
        approval.act_file.save(act_file.name or "act.pdf", act_file, save=False)
    save_with_author(approval, actor)
    return approval


def _field_errors(instance: Any, *, exclude: list[str]) -> dict[str, list[str]]:
    """The model's own field checks (choices, lengths, required values), by field."""
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return {}


@transaction.atomic
def training_record(
    *,
    organisation: Organisation,
    course: str,
    provider: str,
    completed_on: datetime.date | None,
    hours: Decimal | None,
    actor: AbstractBaseUser | None,
    person: AbstractBaseUser | None = None,
    person_name: str = "",
    attestation: UploadedFile | None = None,
    today: datetime.date | None = None,
) -> Training:
    """Record a training followed by a member of the management body (a member of the organisation, or an
    assembly member without an account, named). Directive (EU) 2022/2555, Art. 20(2)."""
    today = today or timezone.localdate()
    person_name = " ".join(person_name.split())
    training = Training(
        organisation=organisation,
        person=person,
        person_name=person_name,
        course=course.strip(),
        provider=provider.strip(),
        completed_on=completed_on,
        hours=hours,
        recorded_by=actor,
    )
    errors = _field_errors(training, exclude=["person", "attestation"])
    if (person is None) == (not person_name):
        errors.setdefault("person", []).append(
            _(
                "Choose a member of the organisation or write the name of an assembly member without an account, "
                "one of the two."
            )
        )
    elif person is not None and not Membership.objects.filter(organisation=organisation, user=person).exists():
        errors.setdefault("person", []).append(_("The person trained must be a member of the organisation."))
    future = _not_in_future(completed_on, today=today, message=_("A training cannot be completed in the future."))
    if future:
        errors.setdefault("completed_on", []).extend(future)
    _checked_file(
        attestation,
        field="attestation",
        accepted=ATTESTATION_TYPES,
        refusal=_("The attestation must be a PDF file or an image (PNG, JPEG)."),
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    if attestation is not None:
        training.attestation.save(attestation.name or "attestation.pdf", attestation, save=False)
    save_with_author(training, actor)
    return training


@transaction.atomic
def training_delete(*, training: Training, actor: AbstractBaseUser | None) -> None:
    """Delete a training; its history keeps it (and its attestation file, nis2/stored_files.py), and the
    organisation's deleted-records list shows who deleted it."""
    training._history_user = actor  # type: ignore[attr-defined]
    training.delete()
