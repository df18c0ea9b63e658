"""The reports an incident owes (obligations), their filings and the reminders sent."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.models.incident import Incident
from incidents.models.reference import Authority, ReportingRule, Step
from nis2.event_time import EventTimeValidator
from nis2.models import TimestampedModel, user_field


class Obligation(TimestampedModel):
    """A report the incident owes to an authority, with its deadline and filings."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="obligations"
    )
    step = models.CharField(_("step"), max_length=32, choices=Step.choices)
    rule = models.ForeignKey(ReportingRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey(Authority, verbose_name=_("authority"), on_delete=models.PROTECT, related_name="+")
    window_start = models.DateTimeField(_("clock started at"))
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    provisional = models.BooleanField(_("provisional deadline"), default=False)
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True, validators=[EventTimeValidator()])
    request_note = models.TextField(_("request"), blank=True)
    not_required = models.BooleanField(_("not required"), default=False)
    not_required_rationale = models.TextField(_("why not required"), blank=True)
    decided_by = user_field(_("decided by"), on_delete=models.PROTECT)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Stored by incidents.services when filings or facts change, so that lists sort, count and remind in SQL:
    # when the report was filed (itself, or by a later step that covers it), and when the next reminder
    # threshold is crossed (None once every reminder for the current due date has gone).
    settled_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    next_reminder_at = models.DateTimeField(_("next reminder at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting obligation")
        verbose_name_plural = _("reporting obligations")
        ordering = ["incident", "due_at", "pk"]
        indexes = [
            models.Index(
                fields=["next_reminder_at"], condition=Q(next_reminder_at__isnull=False), name="obligation_reminder_due"
            ),
            models.Index(fields=["incident", "due_at"], name="obligation_incident_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "step"], condition=~Q(step="intermediate"), name="obligation_one_per_step"
            ),
            models.CheckConstraint(
                condition=Q(not_required=False) | ~Q(not_required_rationale=""), name="obligation_not_required_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident} — {self.get_step_display()}"


def filing_upload_path(instance: Filing, filename: str) -> str:
    return f"filings/{instance.obligation.incident.organisation_id}/{instance.obligation_id}/{filename}"


class Filing(models.Model):
    """A submission to the authority (append-only). A correction is a new filing that supersedes."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Authority's portal")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Telephone")
        OTHER = "other", _("Other")

    obligation = models.ForeignKey(
        Obligation, verbose_name=_("obligation"), on_delete=models.CASCADE, related_name="filings"
    )
    submitted_at = models.DateTimeField(_("submitted at"), validators=[EventTimeValidator()])
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.PORTAL)
    reference = models.CharField(_("case reference"), max_length=100, blank=True)
    delay_reason = models.TextField(
        _("reasons for the delay"), blank=True, help_text=_("Required when the report is filed after its deadline.")
    )
    proof = models.FileField(_("proof"), upload_to=filing_upload_path, blank=True)
    filed_by = user_field(_("filed by"), on_delete=models.PROTECT)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["obligation", "submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.obligation} — {self.submitted_at:%Y-%m-%d %H:%M}"


class ReminderSent(models.Model):
    """One row per obligation, due date and threshold: the unique constraint makes reminders exactly-once,
    and a due date that moves is a new deadline, reminded again."""

    obligation = models.ForeignKey(
        Obligation, verbose_name=_("obligation"), on_delete=models.CASCADE, related_name="reminders"
    )
    due_at = models.DateTimeField(_("due at"), null=True)
    threshold = models.PositiveSmallIntegerField(_("threshold (%)"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["obligation", "threshold"]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "due_at", "threshold"], name="reminder_once_per_deadline")
        ]

    def __str__(self) -> str:
        return f"{self.obligation} {self.threshold} %"
