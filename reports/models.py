"""Quarterly compliance reports: an immutable PDF rendered from a snapshot of the quarter's end; the
management body's approvals and trainings (NIS 2 Art. 20)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nis2.models import OrganisationScopedModel, user_field

MIN_TRAINING_HOURS = Decimal("0.01")
MAX_TRAINING_HOURS = Decimal(200)


def report_upload_path(instance: Report, filename: str) -> str:
    return f"reports/{instance.organisation_id}/{instance.period}/{filename}"


class Report(OrganisationScopedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly report")
        ANNUAL = "annual", _("Annual report to the council")

    class Language(models.TextChoices):
        FRENCH = "fr", _("French")
        ENGLISH = "en", _("English")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.QUARTERLY)
    period = models.CharField(
        _("period"),
        max_length=8,
        help_text=_("A quarter (2026-Q3) for a quarterly report, a year (2026) for an annual one."),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FRENCH)
    consolidated = models.BooleanField(_("consolidated over the member communes"), default=False)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(
        _("generation attempts"), default=0, help_text=_("Times the generation was queued again by the sweeper.")
    )
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=report_upload_path, blank=True)
    odt = models.FileField(
        _("draft deliberation (OpenDocument)"),
        upload_to=report_upload_path,
        blank=True,
        help_text=_("Annual reports only: the draft deliberation the assembly can adopt, editable."),
    )
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    requested_by = user_field(_("requested by"))
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    notified_at = models.DateTimeField(_("executives notified at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compliance report")
        verbose_name_plural = _("compliance reports")
        ordering = ["organisation", "-period", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "period", "language", "consolidated", "version"],
                name="report_unique_version_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.period} v{self.version} ({self.language})"

    @property
    def in_progress(self) -> bool:
        """Queued or being generated: the page polls it until it is done or failed."""
        return self.status in (self.Status.PENDING, self.Status.RUNNING)


# --- Governance: NIS 2 Art. 20 --------------------------------------------------------------------


def governance_upload_path(instance: Approval | Training, filename: str) -> str:
    return f"governance/{instance.organisation_id}/{filename}"


class Approval(OrganisationScopedModel):
    """The management body approving the cybersecurity risk-management measures, the action plan, the
    statement of applicability or a quarterly report. Directive (EU) 2022/2555, Art. 20(1).

    Append-only: an approval is never changed nor deleted; a later approval of the same subject supersedes
    the earlier one (``reports.selectors.approvals_in_force``). ``approved_state`` is what was approved,
    summarised when the approval was recorded, so that a later report can say what changed since
    (``reports.selectors.approval_changes``). ``assessment`` names the assessment approved (measures, action
    plan, applicability), ``report`` the report approved; ``act_file`` is the signed act, ``act_sha256`` its
    SHA-256."""

    class Subject(models.TextChoices):
        MEASURES = "measures", _("the security measures")
        ACTION_PLAN = "action_plan", _("the action plan")
        APPLICABILITY = "applicability", _("the statement of applicability (not-applicable justifications)")
        REPORT = "report", _("a quarterly report")

    class ActType(models.TextChoices):
        DELIBERATION = "deliberation", _("deliberation")
        ARRETE = "arrete", _("order (arrêté)")
        DECISION = "decision", _("decision")
        OTHER = "other", _("other act")

    class Body(models.TextChoices):
        MUNICIPAL_COUNCIL = "municipal_council", _("municipal council")
        COMMUNITY_COUNCIL = "community_council", _("community council")
        DEPARTMENTAL_COUNCIL = "departmental_council", _("departmental council")
        REGIONAL_COUNCIL = "regional_council", _("regional council")
        BUREAU = "bureau", _("bureau")
        EXECUTIVE = "executive", _("mayor or president")

    ASSESSMENT_SUBJECTS = (Subject.MEASURES, Subject.ACTION_PLAN, Subject.APPLICABILITY)

    subject = models.CharField(_("subject"), max_length=16, choices=Subject.choices)
    assessment = models.ForeignKey(
        "controls.Assessment",
        verbose_name=_("assessment approved"),
        null=True,
        blank=True,
        # A draft assessment may still be deleted: the approval stays, its approved state names the assessment.
        on_delete=models.SET_NULL,
        related_name="+",
    )
    report = models.ForeignKey(
        Report, verbose_name=_("report approved"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    act_type = models.CharField(_("type of act"), max_length=16, choices=ActType.choices)
    act_reference = models.CharField(_("act reference"), max_length=64, help_text=_("For example “2026-045”."))
    decided_on = models.DateField(_("date of the decision"))
    body = models.CharField(_("deciding body"), max_length=24, choices=Body.choices)
    act_file = models.FileField(_("signed act (PDF)"), upload_to=governance_upload_path, blank=True)
    act_sha256 = models.CharField(_("SHA-256 of the signed act"), max_length=64, blank=True)
    approved_state = models.JSONField(_("state approved"), default=dict, blank=True)
    recorded_by = user_field(_("recorded by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("approval by the management body")
        verbose_name_plural = _("approvals by the management body")
        ordering = ["organisation", "-decided_on", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(subject="report") & Q(report__isnull=False) & Q(assessment__isnull=True))
                | (~Q(subject="report") & Q(report__isnull=True)),
                name="approval_report_only_for_report_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} — {self.get_act_type_display()} {self.act_reference} ({self.decided_on})"


def validate_training_hours(value: Decimal) -> None:
    if not MIN_TRAINING_HOURS <= value <= MAX_TRAINING_HOURS:
        raise ValidationError(
            _("A training lasts more than 0 and at most %(max)s hours.") % {"max": MAX_TRAINING_HOURS},
            code="training_hours",
        )


class Training(OrganisationScopedModel):
    """A training followed by a member of the management body. Directive (EU) 2022/2555, Art. 20(2).

    The person is either a member of the organisation (``person``) or, for an assembly member without an
    account, a name (``person_name``): exactly one of the two."""

    person = user_field(_("person trained"), on_delete=models.PROTECT)
    person_name = models.CharField(
        _("name of the person trained"),
        max_length=200,
        blank=True,
        help_text=_("An assembly member without an account in Rempart."),
    )
    course = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200)
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, validators=[validate_training_hours])
    attestation = models.FileField(_("attestation"), upload_to=governance_upload_path, blank=True)
    recorded_by = user_field(_("recorded by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training of the management body")
        verbose_name_plural = _("trainings of the management body")
        ordering = ["organisation", "-completed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(person_name="")) | (Q(person__isnull=True) & ~Q(person_name="")),
                name="training_person_or_name",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=MAX_TRAINING_HOURS), name="training_hours_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} — {self.course} ({self.completed_on})"

    @property
    def display_name(self) -> str:
        """The name a reader sees: the assembly member's name, or the member's full name (else username)."""
        if self.person is None:
            return self.person_name
        return self.person.get_full_name() or self.person.get_username()
