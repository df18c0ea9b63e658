"""Reference data of the register: the authorities and the reporting rules (loaded from
incidents/data/reporting-rules.yaml), and the reporting steps."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.deadlines import Condition, RunsFrom
from nis2.models import Localized, TimestampedModel


class Authority(TimestampedModel):
    """Where reports go (ANSSI / CERT-FR, CNIL, a regional CSIRT): reference data."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name = Localized("name")
    role_fr = models.CharField(_("role (French)"), max_length=300, blank=True)
    role_en = models.CharField(_("role (English)"), max_length=300, blank=True)
    portal_url = models.URLField(_("portal"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    filing_language = models.CharField(_("filing language"), max_length=8, default="fr")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ReportingRule(TimestampedModel):
    """One reporting step of one regime, as data (see incidents/data/reporting-rules.yaml)."""

    class Regime(models.TextChoices):
        NIS2 = "nis2", _("NIS 2")
        GDPR = "gdpr", _("GDPR")

    class ConditionChoices(models.TextChoices):
        SIGNIFICANT = Condition.SIGNIFICANT.value, _("Significant incident")
        PERSONAL_DATA_BREACH = Condition.PERSONAL_DATA_BREACH.value, _("Personal data breach")
        BREACH_HIGH_RISK = Condition.BREACH_HIGH_RISK.value, _("Personal data breach with a high risk to people")
        RECIPIENTS_AFFECTED = (
            Condition.RECIPIENTS_AFFECTED.value,
            _("Significant incident affecting the service's recipients"),
        )

    class RunsFromChoices(models.TextChoices):
        AWARENESS = RunsFrom.AWARENESS.value, _("Awareness of the incident")
        BREACH_AWARENESS = RunsFrom.BREACH_AWARENESS.value, _("Awareness of the personal data breach")
        STEP_SUBMISSION = RunsFrom.STEP_SUBMISSION.value, _("Submission of another report")
        REQUEST = RunsFrom.REQUEST.value, _("Request of the authority")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    regime = models.CharField(_("regime"), max_length=16, choices=Regime.choices)
    step = models.CharField(_("step"), max_length=32)
    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.PROTECT, related_name="rules"
    )
    condition = models.CharField(_("condition"), max_length=32, choices=ConditionChoices.choices)
    runs_from = models.CharField(_("runs from"), max_length=32, choices=RunsFromChoices.choices)
    delay_hours = models.PositiveIntegerField(_("delay in hours"), null=True, blank=True)
    delay_months = models.PositiveSmallIntegerField(_("delay in months"), null=True, blank=True)
    anchor_step = models.CharField(_("anchor step"), max_length=32, blank=True)
    satisfies_step = models.CharField(_("also satisfies step"), max_length=32, blank=True)
    progress_if_unresolved = models.BooleanField(_("progress report if still unresolved"), default=False)
    without_undue_delay = models.BooleanField(
        _("without undue delay"), default=False, help_text=_("No fixed hour: due as soon as the clock starts.")
    )
    late_filing_needs_reason = models.BooleanField(_("a late filing states the reasons for the delay"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting rule")
        verbose_name_plural = _("reporting rules")
        ordering = ["regime", "code"]

    def __str__(self) -> str:
        return self.code


class Step(models.TextChoices):
    EARLY_WARNING = "early_warning", _("Early warning")
    NOTIFICATION = "notification", _("Incident notification")
    INTERMEDIATE = "intermediate", _("Intermediate report")
    PROGRESS = "progress", _("Progress report")
    FINAL = "final", _("Final report")
    GDPR_BREACH = "gdpr_breach", _("Personal data breach notification (CNIL)")
    GDPR_DATA_SUBJECTS = "gdpr_data_subjects", _("Communication to the people concerned (GDPR Art. 34)")
    RECIPIENTS = "recipients", _("Information of the service's recipients (NIS 2 Art. 23(1)-(2))")
