"""Archives of an organisation's data, for its administrators to download."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nis2.models.fields import user_field
from nis2.models.organisations import Organisation, TimestampedModel


def data_export_upload_path(instance: DataExport, filename: str) -> str:
    return f"exports/{instance.organisation_id}/{filename}"


class DataExport(TimestampedModel):
    """One archive of everything an organisation owns (``nis2.archive``), zipped by a Celery task
    for its administrators to download."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="data_exports"
    )
    requested_by = user_field(_("requested by"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("file"), upload_to=data_export_upload_path, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.created_at:%Y-%m-%d %H:%M}"
