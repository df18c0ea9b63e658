"""What is recorded along an incident: its timeline, corrective actions and attachments; and the
organisation's calendar feed of deadlines."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.models.incident import Incident
from nis2.choices import ActionStatus
from nis2.event_time import EventTimeValidator
from nis2.models import Organisation, TimestampedModel, user_field


class TimelineEntry(models.Model):
    """Append-only log of what happened and what was decided, time-stamped for the crisis record."""

    class Kind(models.TextChoices):
        DETECTION = "detection", _("Detection")
        ACTION = "action", _("Action")
        DECISION = "decision", _("Decision")
        COMMUNICATION = "communication", _("Communication")
        INVESTIGATION = "investigation", _("Investigation step")
        STATUS_CHANGE = "status_change", _("Status change")
        VERDICT_CHANGE = "verdict_change", _("Verdict change")
        FILING = "filing", _("Report filed")
        NOTE = "note", _("Note")

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="timeline"
    )
    occurred_at = models.DateTimeField(_("when"), validators=[EventTimeValidator()])
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    author = user_field(_("author"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("what"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["incident", "occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class CorrectiveAction(TimestampedModel):
    Status = ActionStatus

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="corrective_actions"
    )
    title = models.CharField(_("title"), max_length=200)
    owner = user_field(_("owner"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    plan_action = models.ForeignKey(
        "controls.ActionItem",
        verbose_name=_("action plan entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incident_actions",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["incident", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title


def attachment_upload_path(instance: Attachment, filename: str) -> str:
    return f"incidents/{instance.incident.organisation_id}/{instance.incident_id}/{filename}"


class Attachment(TimestampedModel):
    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_upload_path)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = user_field(_("uploaded by"), blank=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["incident", "-created_at"]

    def __str__(self) -> str:
        return self.title


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(TimestampedModel):
    """The secret address of an organisation's deadline calendar (ICS); rotating it revokes the old one."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_feed_token)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["organisation"]

    def __str__(self) -> str:
        return str(self.organisation)
