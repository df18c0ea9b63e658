"""Writes of the management body's register: its approvals and its members' trainings (Directive (EU)
2022/2555, Art. 20). Approvals are never changed afterwards; a training may be deleted, its history kept."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nis2.history import model_create, model_delete
from nis2.models import Membership, Organisation
from nis2.uploads import CheckedUpload, check_upload
from reports import selectors
from reports.models import Approval, Report, Training

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise  # a development dependency: for the type checker only

UNKNOWN_OBJECT = gettext_lazy("Invalid pk “%(pk)s” - object does not exist.")
ACT_FILE_TYPES = frozenset({"application/pdf"})
ATTESTATION_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


@dataclass(frozen=True)
class UploadRule:
    """The file a field takes: its types, and the refusal of any other."""

    field: str
    accepted: frozenset[str]
    refusal: StrPromise


ACT_FILE = UploadRule("act_file", ACT_FILE_TYPES, gettext_lazy("The signed act must be a PDF file."))
ATTESTATION = UploadRule(
    "attestation", ATTESTATION_TYPES, gettext_lazy("The attestation must be a PDF file or an image (PNG, JPEG).")
)


class ApprovedAssessment(Protocol):
    """What an approval reads of the self-assessment it names (a ``controls`` assessment, which the reports app
    reads through ``controls.selectors`` only)."""

    @property
    def pk(self) -> int: ...

    @property
    def organisation_id(self) -> int: ...

    @property
    def label(self) -> str: ...


def _checked_file(
    upload: UploadedFile[bytes] | None, rule: UploadRule, errors: dict[str, list[str]]
) -> CheckedUpload | None:
    """The project's upload checks (size, type confirmed by the content), then the types this field takes; a
    refusal is added to ``errors`` under the rule's field."""
    if upload is None:
        return None
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        errors.setdefault(rule.field, []).extend(error.messages)
        return None
    if checked.content_type not in rule.accepted:
        errors.setdefault(rule.field, []).append(str(rule.refusal))
        return None
    return checked


def _add_if_in_future(
    errors: dict[str, list[str]], field: str, day: datetime.date | None, *, today: datetime.date, message: str
) -> None:
    if day is not None and day > today:
        errors.setdefault(field, []).append(message)


def _field_errors(instance: models.Model, *, exclude: list[str]) -> dict[str, list[str]]:
    """The model's own field checks (choices, lengths, required values), by field."""
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        return {field: list(messages) for field, messages in error.message_dict.items()}
    return {}


def _report_errors(approval: Approval, assessment: ApprovedAssessment | None) -> dict[str, list[str]]:
    """A report approval names a generated report of the organisation (another's is refused as an unknown one)."""
    errors: dict[str, list[str]] = {}
    if assessment is not None:
        errors["assessment"] = [_("A report approval names a report, not an assessment.")]
    if approval.report is None:
        errors["report"] = [_("Choose the report approved.")]
    elif approval.report.organisation_id != approval.organisation_id:
        errors["report"] = [str(UNKNOWN_OBJECT % {"pk": approval.report.pk})]
    elif approval.report.status != Report.Status.DONE:
        errors["report"] = [_("This report is not generated yet: it cannot be approved.")]
    return errors


def _approval_object_errors(approval: Approval, assessment: ApprovedAssessment | None) -> dict[str, list[str]]:
    """Which object an approval names, by subject: a report for a report, an assessment otherwise; either
    belonging to the organisation (another's is refused as an unknown one)."""
    if approval.subject == Approval.Subject.REPORT:
        return _report_errors(approval, assessment)
    errors: dict[str, list[str]] = {}
    if approval.report is not None:
        errors["report"] = [_("Only a report approval names a report.")]
    if assessment is None:
        errors["assessment"] = [
            _("This organisation has no assessment yet: there are no security measures to approve.")
            if approval.subject == Approval.Subject.MEASURES
            else _("Choose the assessment approved.")
        ]
    elif assessment.organisation_id != approval.organisation_id:
        errors["assessment"] = [str(UNKNOWN_OBJECT % {"pk": assessment.pk})]
    return errors


def _approved_state(
    approval: Approval, *, assessment: ApprovedAssessment | None, report: Report | None
) -> dict[str, object]:
    """What the approval approves, summarised as it stands now (``reports.selectors.subject_state``)."""
    return dict(
        selectors.subject_state(
            organisation_id=approval.organisation_id,
            subject=approval.subject,
            as_of=timezone.now(),
            assessment_id=assessment.pk if assessment is not None else None,
            assessment_label=assessment.label if assessment is not None else None,
            report=report,
        )
    )


@transaction.atomic
def approval_record(
    *,
    organisation: Organisation,
    subject: str,
    act_type: str,
    act_reference: str,
    decided_on: datetime.date | None,
    body: str,
    actor: User | None,
    assessment: ApprovedAssessment | None = None,
    report: Report | None = None,
    act_file: UploadedFile[bytes] | None = None,
    today: datetime.date | None = None,
) -> Approval:
    """Record the management body's approval of ``subject``, with a summary of what it approved
    (``approved_state``). Directive (EU) 2022/2555, Art. 20(1). An approval of the security measures without
    an assessment named approves the organisation's current one. Approvals are never changed afterwards."""
    today = today or timezone.localdate()
    if subject == Approval.Subject.MEASURES and assessment is None:
        assessment = selectors.current_assessment(organisation_id=organisation.pk, as_of=timezone.now())
    # A date left empty is refused by the field checks below, with the other refusals, by field name.
    approval = Approval(  # type: ignore[misc]  # decided_on may be None here (see above)
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
        errors.update(_approval_object_errors(approval, assessment))
    _add_if_in_future(
        errors, "decided_on", decided_on, today=today, message=_("The decision cannot be dated in the future.")
    )
    checked = _checked_file(act_file, ACT_FILE, errors)
    if errors:
        raise ValidationError(errors)
    approval.approved_state = _approved_state(approval, assessment=assessment, report=report)
    if act_file is not None and checked is not None:
        approval.act_sha256 = checked.sha256
        approval.act_file.save(act_file.name or "act.pdf", act_file, save=False)
    return model_create(approval, actor=actor)


def _person_errors(organisation: Organisation, person: User | None, person_name: str) -> list[str]:
    """A training names a member of the organisation or an assembly member without an account, one of the two."""
    if (person is None) == (not person_name):
        return [
            _(
                "Choose a member of the organisation or write the name of an assembly member without an account, "
                "one of the two."
            )
        ]
    if person is not None and not Membership.objects.filter(organisation=organisation, user=person).exists():
        return [_("The person trained must be a member of the organisation.")]
    return []


@transaction.atomic
def training_record(
    *,
    organisation: Organisation,
    course: str,
    provider: str,
    completed_on: datetime.date | None,
    hours: Decimal | None,
    actor: User | None,
    person: User | None = None,
    person_name: str = "",
    attestation: UploadedFile[bytes] | None = None,
    today: datetime.date | None = None,
) -> Training:
    """Record a training followed by a member of the management body (a member of the organisation, or an
    assembly member without an account, named). Directive (EU) 2022/2555, Art. 20(2)."""
    today = today or timezone.localdate()
    person_name = " ".join(person_name.split())
    # A date or a duration left empty is refused by the field checks below, with the other refusals.
    training = Training(  # type: ignore[misc]  # completed_on and hours may be None here (see above)
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
    refused_person = _person_errors(organisation, person, person_name)
    if refused_person:
        errors.setdefault("person", []).extend(refused_person)
    _add_if_in_future(
        errors, "completed_on", completed_on, today=today, message=_("A training cannot be completed in the future.")
    )
    _checked_file(attestation, ATTESTATION, errors)
    if errors:
        raise ValidationError(errors)
    if attestation is not None:
        training.attestation.save(attestation.name or "attestation.pdf", attestation, save=False)
    return model_create(training, actor=actor)


@transaction.atomic
def training_delete(*, training: Training, actor: User | None) -> None:
    """Delete a training; its history keeps it (and its attestation file, nis2/stored_files.py), and the
    organisation's deleted-records list shows who deleted it."""
    model_delete(training, actor=actor)
