"""NIS 2 catalogues (frameworks, requirements, mappings), self-assessments and the action plan."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from controls.maturity import DEFAULT_TARGET_LEVEL, LEVEL_CHOICES, MAX_LEVEL, MIN_LEVEL
from nis2.bilingual import localized
from nis2.models import OrganisationScopedModel, OrganisationScopedQuerySet, TimestampedModel

ART21_POINTS = "abcdefghij"
LEVEL_VALIDATORS = [MinValueValidator(MIN_LEVEL), MaxValueValidator(MAX_LEVEL)]


class EntityCategory(models.TextChoices):
    IMPORTANT = "important", _("Important entity")
    ESSENTIAL = "essential", _("Essential entity")


class Framework(TimestampedModel):
    """A catalogue of requirements (ReCyF, the annex of Regulation 2024/2690, an authority's own rules).
    Identified by its code; reloading a new version updates it in place."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    version = models.CharField(_("version"), max_length=32)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    publisher = models.CharField(_("publisher"), max_length=200)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    source_url = models.URLField(_("source"), blank=True)
    notes_fr = models.TextField(_("notes (French)"), blank=True)
    notes_en = models.TextField(_("notes (English)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def name(self) -> str:
        return localized(self, "name")


class Section(TimestampedModel):
    """An objective, sub-objective, section or subsection grouping requirements."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="sections"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    ref = models.CharField(_("reference"), max_length=32)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    position = models.PositiveIntegerField(_("position"), default=0)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["framework", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "ref"], name="section_unique_ref")]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")


class RequirementQuerySet(models.QuerySet["Requirement"]):
    def active(self) -> RequirementQuerySet:
        return self.filter(retired_at__isnull=True)

    def applicable_to(self, category: str) -> RequirementQuerySet:
        if category == EntityCategory.ESSENTIAL:
            return self.filter(applies_to_essential=True)
        return self.filter(applies_to_important=True)


class Requirement(TimestampedModel):
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="requirements"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="requirements"
    )
    ref = models.CharField(_("reference"), max_length=32)
    title_fr = models.CharField(_("title (French)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    statement_fr = models.TextField(_("statement (French)"))
    statement_en = models.TextField(_("statement (English)"))
    applies_to_important = models.BooleanField(_("applies to important entities"), default=True)
    applies_to_essential = models.BooleanField(_("applies to essential entities"), default=True)
    art21_points = models.CharField(
        _("Article 21(2) points"), max_length=10, help_text=_("Letters a to j of Directive (EU) 2022/2555 Art. 21(2).")
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=[MinValueValidator(1)])
    position = models.PositiveIntegerField(_("position"), default=0)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = RequirementQuerySet.as_manager()

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "ref"], name="requirement_unique_ref"),
            models.CheckConstraint(
                condition=Q(applies_to_important=True) | Q(applies_to_essential=True),
                name="requirement_applies_to_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def statement(self) -> str:
        return localized(self, "statement")


class ChecklistItem(TimestampedModel):
    """A lettered sub-point of a requirement (1.1.1 (a), (b)...)."""

    requirement = models.ForeignKey(
        Requirement, verbose_name=_("requirement"), on_delete=models.CASCADE, related_name="checklist_items"
    )
    ref = models.CharField(_("reference"), max_length=16)
    text_fr = models.TextField(_("text (French)"))
    text_en = models.TextField(_("text (English)"))
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["requirement", "position"]
        constraints = [models.UniqueConstraint(fields=["requirement", "ref"], name="checklist_item_unique_ref")]

    def __str__(self) -> str:
        return f"{self.requirement.ref} ({self.ref})"

    @property
    def text(self) -> str:
        return localized(self, "text")


class RequirementMapping(TimestampedModel):
    """A correspondence between requirements of two frameworks (e.g. ANSSI's ReCyF ↔ 2024/2690 table)."""

    class Strength(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    source = models.ForeignKey(
        Requirement, verbose_name=_("source requirement"), on_delete=models.CASCADE, related_name="mappings_from"
    )
    target = models.ForeignKey(
        Requirement, verbose_name=_("target requirement"), on_delete=models.CASCADE, related_name="mappings_to"
    )
    strength = models.CharField(_("strength"), max_length=8, choices=Strength.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("requirement mapping")
        verbose_name_plural = _("requirement mappings")
        ordering = ["source", "target"]
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="mapping_unique_pair")]

    def __str__(self) -> str:
        return f"{self.source.ref} → {self.target.ref} ({self.strength})"


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
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    history = HistoricalRecords()
    objects = OrganisationScopedQuerySet.as_manager()

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
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

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


class ActionItemQuerySet(OrganisationScopedQuerySet):
    def open(self) -> ActionItemQuerySet:
        return self.filter(status__in=ActionItem.OPEN_STATUSES)

    def overdue(self, *, today: datetime.date) -> ActionItemQuerySet:
        return self.open().filter(due_date__lt=today)


class ActionItem(OrganisationScopedModel):
    """An entry of the organisation's security action plan (ReCyF 2.C.2)."""

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        ABANDONED = "abandoned", _("Abandoned")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    requirements = models.ManyToManyField(
        Requirement, verbose_name=_("requirements"), blank=True, related_name="actions"
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    estimated_cost_eur = models.DecimalField(
        _("estimated cost (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    effort_days = models.DecimalField(
        _("effort (person-days)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    progress_note = models.TextField(_("progress note"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[requirements])
    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["organisation", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, *, today: datetime.date) -> bool:
        return self.status in self.OPEN_STATUSES and self.due_date is not None and self.due_date < today


class DutyCompletion(OrganisationScopedModel):
    """One performance of a recurring ReCyF duty (``controls.duties``): the calendar's next date
    follows from the latest one."""

    duty = models.CharField(_("duty"), max_length=32)
    done_on = models.DateField(_("done on"))
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    objects = OrganisationScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty performed")
        verbose_name_plural = _("duties performed")
        ordering = ["organisation", "duty", "-done_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "duty", "-done_on"], name="duty_latest")]

    def __str__(self) -> str:
        return f"{self.duty} {self.done_on}"


class DutyReminder(TimestampedModel):
    """A reminder sent for one due date of one duty, so that each threshold is mailed once."""

    class Threshold(models.TextChoices):
        SOON = "soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    organisation = models.ForeignKey(
        "nis2.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    duty = models.CharField(_("duty"), max_length=32)
    due_on = models.DateField(_("due on"))
    threshold = models.CharField(_("threshold"), max_length=8, choices=Threshold.choices)

    class Meta:
        verbose_name = _("duty reminder")
        verbose_name_plural = _("duty reminders")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "duty", "due_on", "threshold"], name="duty_reminder_once")
        ]
