"""Quarterly compliance reports: an immutable PDF rendered from a snapshot of the quarter's end."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from nis2.models import OrganisationScopedModel, OrganisationScopedQuerySet


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
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    notified_at = models.DateTimeField(_("executives notified at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = OrganisationScopedQuerySet.as_manager()

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
