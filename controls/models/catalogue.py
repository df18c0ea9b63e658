"""The catalogues: frameworks, their sections and requirements, and the correspondence between frameworks."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from controls.maturity import MAX_LEVEL, MIN_LEVEL
from nis2.models import Localized, Nis2StatusChoices, Organisation, TimestampedModel

ART21_POINTS = "abcdefghij"
LEVEL_VALIDATORS = [MinValueValidator(MIN_LEVEL), MaxValueValidator(MAX_LEVEL)]


class EntityCategory(models.TextChoices):
    """The two NIS 2 categories whose measures differ, labelled as the organisation's status is."""

    IMPORTANT = "important", Nis2StatusChoices.IMPORTANT.label
    ESSENTIAL = "essential", Nis2StatusChoices.ESSENTIAL.label


def entity_category_of(organisation: Organisation) -> EntityCategory:
    """Essential entities are assessed on every requirement; important entities, and organisations
    assessing themselves voluntarily, on the requirements for important entities."""
    if organisation.nis2_status == Organisation.Nis2StatusChoices.ESSENTIAL:
        return EntityCategory.ESSENTIAL
    return EntityCategory.IMPORTANT


class Framework(TimestampedModel):
    """A catalogue of requirements (ReCyF, the annex of Regulation 2024/2690, an authority's own rules).
    Identified by its code; reloading a new version updates it in place."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    version = models.CharField(_("version"), max_length=32)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name = Localized("name")
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
    title = Localized("title")
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
    title = Localized("title")
    statement_fr = models.TextField(_("statement (French)"))
    statement_en = models.TextField(_("statement (English)"))
    statement = Localized("statement")
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


class ChecklistItem(TimestampedModel):
    """A lettered sub-point of a requirement (1.1.1 (a), (b)...)."""

    requirement = models.ForeignKey(
        Requirement, verbose_name=_("requirement"), on_delete=models.CASCADE, related_name="checklist_items"
    )
    ref = models.CharField(_("reference"), max_length=16)
    text_fr = models.TextField(_("text (French)"))
    text_en = models.TextField(_("text (English)"))
    text = Localized("text")
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["requirement", "position"]
        constraints = [models.UniqueConstraint(fields=["requirement", "ref"], name="checklist_item_unique_ref")]

    def __str__(self) -> str:
        return f"{self.requirement.ref} ({self.ref})"


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
