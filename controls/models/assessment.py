"""Self-assessments: one per organisation, framework and period, an item per requirement, its evidence."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from controls.maturity import DEFAULT_TARGET_LEVEL, LEVEL_CHOICES
from controls.models.catalogue import LEVEL_VALIDATORS, EntityCategory, Framework, Requirement
from nis2.models import OrganisationScopedModel, TimestampedModel, user_field


class Assessment(OrganisationScopedModel):
    """A self-assessment of one organisation against one framework for one period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_PROGRESS = "in_progress", _("In progress")
        VALIDATED = "validated", _("Validated")

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="assessments"
    )
    label = models.CharField(_("label"), max_length=64, help_text=_("For example “2026-T4”."))
    information_system = models.CharField(
        _("information system"),
        max_length=200,
        blank=True,
        help_text=_(
            "ReCyF 2.C.1 asks for a compliance analysis per information system. "
            "Leave empty for the organisation-wide assessment that scores and reports use."
        ),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    entity_category = models.CharField(
        _("assessed as"),
        max_length=16,
        choices=EntityCategory.choices,
        help_text=_("The NIS 2 status that selected the requirements."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    validated_by = user_field(_("validated by"), on_delete=models.PROTECT)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["organisation", "-period_start", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "framework", "information_system", "label"], name="assessment_unique_label"
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="assessment_period"),
        ]

    def __str__(self) -> str:
        return f"{self.label} — {self.framework.code}"

    @property
    def is_read_only(self) -> bool:
        return self.status == self.Status.VALIDATED


#: What a person (web grid, API, services) may change on an item; its history shows these, the rest is
#: bookkeeping (the version guarding concurrent edits, the review and update times the history records anyway).
ITEM_EDITABLE_FIELDS = (
    "applicable",
    "justification",
    "current_level",
    "target_level",
    "owner",
    "comment",
    "alternative_measure",
    "to_confirm",
)


class RequirementAssessment(TimestampedModel):
    """One requirement as rated in one assessment. ``version`` guards against lost updates."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="items"
    )
    requirement = models.ForeignKey(
        Requirement, verbose_name=_("requirement"), on_delete=models.PROTECT, related_name="assessments"
    )
    applicable = models.BooleanField(_("applicable"), default=True)
    justification = models.TextField(
        _("justification"), blank=True, help_text=_("Why the requirement does not apply (required then).")
    )
    current_level = models.PositiveSmallIntegerField(
        _("current level"),
        null=True,
        blank=True,
        choices=LEVEL_CHOICES,
        validators=LEVEL_VALIDATORS,
        help_text=_("Empty until assessed; counts as level 0 in scores."),
    )
    target_level = models.PositiveSmallIntegerField(
        _("target level"), default=DEFAULT_TARGET_LEVEL, choices=LEVEL_CHOICES, validators=LEVEL_VALIDATORS
    )
    owner = user_field(_("owner"))
    comment = models.TextField(_("comment"), blank=True)
    alternative_measure = models.TextField(
        _("alternative measure"),
        blank=True,
        help_text=_(
            "A justified measure taken instead of the one the requirement describes: the requirement stays "
            "applicable and counts as covered at the level set (unlike “not applicable”)."
        ),
    )
    to_confirm = models.BooleanField(
        _("to be reconfirmed"),
        default=False,
        help_text=_("Carried over from the previous campaign: confirm or change it."),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("requirement assessment")
        verbose_name_plural = _("requirement assessments")
        ordering = ["assessment", "requirement__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "requirement"], name="item_unique_requirement"),
            models.CheckConstraint(
                condition=Q(applicable=True) | ~Q(justification=""), name="item_not_applicable_is_justified"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} / {self.requirement.ref}"

    def clean(self) -> None:
        super().clean()
        if not self.applicable and not self.justification.strip():
            raise ValidationError(
                {"justification": _("Explain why this requirement does not apply to your organisation.")}
            )
        if not self.applicable and self.alternative_measure.strip():
            raise ValidationError(
                {
                    "alternative_measure": _(
                        "An alternative measure covers an applicable requirement: keep it applicable, or remove the "
                        "alternative measure."
                    )
                }
            )


def evidence_upload_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.item.assessment.organisation_id}/{instance.item_id}/{filename}"


class Evidence(TimestampedModel):
    """A file or a link that shows a requirement is met."""

    item = models.ForeignKey(
        RequirementAssessment,
        verbose_name=_("requirement assessment"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=evidence_upload_path, blank=True)
    url = models.URLField(_("link"), blank=True, max_length=500)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    added_by = user_field(_("added by"), blank=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["item", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")), name="evidence_file_or_link"
            ),
        ]

    def __str__(self) -> str:
        return self.title
