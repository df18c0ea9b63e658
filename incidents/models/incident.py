"""The incident itself: its facts, verdicts and root cause."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import ClassVar, TypedDict

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents import choices
from incidents.choices import Verdict
from nis2.event_time import EventTimeValidator
from nis2.models import OrganisationScopedModel, OrganisationScopedQuerySet, optional_quantity_field


class IncidentQuerySet(OrganisationScopedQuerySet):
    def real(self) -> IncidentQuerySet:
        """Exercises create no legal obligation and stay out of every statistic."""
        return self.filter(is_exercise=False)

    def open(self) -> IncidentQuerySet:
        return self.exclude(status=Incident.Status.CLOSED)

    def significant(self) -> IncidentQuerySet:
        """Incidents judged significant (NIS 2 Art. 23(3)): the ones that owe reports."""
        return self.filter(significant=Verdict.YES)


IncidentManager = models.Manager.from_queryset(IncidentQuerySet)


class Incident(OrganisationScopedModel):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        INVESTIGATING = "investigating", _("Investigating")
        CONTAINED = "contained", _("Contained")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    Severity = choices.Severity

    class Spread(models.TextChoices):
        LOCAL = "local", _("One site or service")
        ORGANISATION = "organisation", _("The whole organisation")
        SEVERAL_ORGANISATIONS = "several_organisations", _("Several local authorities")
        REGIONAL = "regional", _("Département or région")
        NATIONAL = "national", _("National")

    RootCauseCategory = choices.RootCauseCategory

    class AnalysisMethod(models.TextChoices):
        FIVE_WHYS = "five_whys", _("5 whys")
        ISHIKAWA = "ishikawa", _("Ishikawa diagram")
        TIMELINE = "timeline", _("Timeline analysis")
        FORENSIC = "forensic", _("Forensic report")
        OTHER = "other", _("Other")

    class Confidence(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_exercise = models.BooleanField(
        _("exercise"), default=False, help_text=_("A drill: no legal obligation, left out of every statistic.")
    )
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True, validators=[EventTimeValidator()])
    detected_at = models.DateTimeField(_("detected at"), validators=[EventTimeValidator()])
    aware_at = models.DateTimeField(
        _("aware of significance at"),
        null=True,
        blank=True,
        help_text=_("When the organisation became aware that the incident is significant: starts the legal clock."),
        validators=[EventTimeValidator()],
    )
    awareness_delay_justification = models.TextField(_("why awareness came more than 24 h after detection"), blank=True)
    contained_at = models.DateTimeField(_("contained at"), null=True, blank=True, validators=[EventTimeValidator()])
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, validators=[EventTimeValidator()])
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, validators=[EventTimeValidator()])
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    category = models.CharField(_("category"), max_length=64, help_text=_("RSIT class tag, e.g. malicious-code."))
    subcategory = models.CharField(
        _("type"), max_length=64, blank=True, help_text=_("RSIT type tag, e.g. infected-system.")
    )
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices, default=Severity.MEDIUM)

    services_affected = models.TextField(_("services affected"), blank=True)
    users_affected = models.PositiveIntegerField(_("users affected"), null=True, blank=True)
    duration_hours = optional_quantity_field(_("duration of the disruption (hours)"), max_digits=8, decimal_places=1)
    geographic_spread = models.CharField(_("geographic spread"), max_length=32, choices=Spread.choices, blank=True)
    cross_border_effects = models.TextField(_("cross-border effects"), blank=True)
    estimated_financial_loss_eur = optional_quantity_field(
        _("estimated financial loss (€)"), max_digits=14, decimal_places=2
    )
    personal_data_breach = models.BooleanField(_("personal data breach"), default=False)
    breach_aware_at = models.DateTimeField(
        _("aware of the personal data breach at"),
        null=True,
        blank=True,
        help_text=_(
            "When the organisation became aware that personal data were breached: starts the 72-hour GDPR clock "
            "(Art. 33(1)). Defaults to the awareness of significance."
        ),
        validators=[EventTimeValidator()],
    )
    breach_high_risk = models.CharField(
        _("high risk to the people concerned"),
        max_length=8,
        choices=Verdict.choices,
        default=Verdict.UNKNOWN,
        help_text=_("GDPR Art. 34: a high risk obliges to inform the people concerned without undue delay."),
    )
    breach_nature = models.TextField(_("nature of the personal data breach"), blank=True)
    data_subject_categories = models.TextField(_("categories of people concerned"), blank=True)
    data_subjects_count = models.PositiveIntegerField(
        _("approximate number of people concerned"), null=True, blank=True
    )
    record_categories = models.TextField(_("categories of personal data records concerned"), blank=True)
    records_count = models.PositiveIntegerField(_("approximate number of records concerned"), null=True, blank=True)
    breach_delay_reason = models.TextField(
        _("reasons for notifying the breach late"),
        blank=True,
        help_text=_("GDPR Art. 33(1): a notification made after 72 hours states the reasons for the delay."),
    )
    dpo_contact = models.CharField(
        _("data protection officer's contact"), max_length=300, blank=True, help_text=_("Name, e-mail, telephone.")
    )
    recipient_guidance = models.TextField(
        _("what the recipients can do"),
        blank=True,
        help_text=_("Measures the residents or other recipients can take themselves (NIS 2 Art. 23(2))."),
    )
    recipients_affected = models.BooleanField(
        _("affects the service's recipients"),
        default=False,
        help_text=_(
            "Residents or other recipients of the services are affected: NIS 2 Art. 23(1)-(2) asks to inform "
            "them without undue delay."
        ),
    )
    personal_data_consequences = models.TextField(
        _("likely consequences for the people concerned"),
        blank=True,
        help_text=_("For a personal data breach: categories of data and people, likely consequences."),
    )
    indicators_of_compromise = models.TextField(_("indicators of compromise"), blank=True)
    mitigation = models.TextField(_("mitigation applied and ongoing"), blank=True)

    significant = models.CharField(_("significant"), max_length=8, choices=Verdict.choices, default=Verdict.UNKNOWN)
    significant_justification = models.TextField(_("why (not) significant"), blank=True)
    significance_criteria = models.JSONField(_("significance criteria met"), default=list, blank=True)
    suspected_malicious = models.CharField(
        _("suspected malicious"), max_length=8, choices=Verdict.choices, default=Verdict.UNKNOWN
    )
    suspected_malicious_justification = models.TextField(_("why (not) malicious"), blank=True)
    cross_border = models.CharField(_("cross-border"), max_length=8, choices=Verdict.choices, default=Verdict.UNKNOWN)
    cross_border_justification = models.TextField(_("why (not) cross-border"), blank=True)

    root_cause_category = models.CharField(
        _("root cause category"), max_length=32, choices=RootCauseCategory.choices, blank=True
    )
    root_cause = models.TextField(_("root cause"), blank=True)
    attack_technique = models.CharField(
        _("attack technique"), max_length=200, blank=True, help_text=_("Free text or a MITRE ATT&CK id, e.g. T1566.")
    )
    contributing_factors = models.TextField(_("contributing factors"), blank=True)
    analysis_method = models.CharField(_("analysis method"), max_length=16, choices=AnalysisMethod.choices, blank=True)
    root_cause_confidence = models.CharField(_("confidence"), max_length=8, choices=Confidence.choices, blank=True)
    root_cause_identified_at = models.DateTimeField(
        _("root cause identified at"), null=True, blank=True, validators=[EventTimeValidator()]
    )
    undetermined_justification = models.TextField(_("why the cause remains undetermined"), blank=True)

    root_cause_component = models.ForeignKey(
        "dependencies.Component",
        verbose_name=_("failing third-party component"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="root_cause_of",
        help_text=_("Required when the root cause is a third-party failure."),
    )
    implicated_requirements = models.ManyToManyField(
        "controls.Requirement", verbose_name=_("implicated requirements"), blank=True, related_name="incidents"
    )
    affected_components = models.ManyToManyField(
        "dependencies.Component", verbose_name=_("affected components"), blank=True, related_name="incidents"
    )

    history = HistoricalRecords(m2m_fields=[implicated_requirements, affected_components])
    objects: ClassVar[IncidentManager[Incident]] = IncidentManager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-detected_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["organisation", "detected_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(aware_at__isnull=True) | Q(aware_at__gte=models.F("detected_at")),
                name="incident_aware_after_detection",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def root_cause_identified(self) -> bool:
        return bool(self.root_cause_category) and self.root_cause_category != self.RootCauseCategory.UNDETERMINED


class IncidentFacts(TypedDict, total=False):
    """The facts of an incident a person describes, in the order the edit form shows them."""

    title: str
    description: str
    is_exercise: bool
    occurred_at: datetime.datetime | None
    detected_at: datetime.datetime
    aware_at: datetime.datetime | None
    awareness_delay_justification: str
    category: str
    subcategory: str
    severity: str
    significant: str
    significant_justification: str
    significance_criteria: list[str]
    suspected_malicious: str
    suspected_malicious_justification: str
    cross_border: str
    cross_border_justification: str
    services_affected: str
    users_affected: int | None
    duration_hours: Decimal | int | None
    geographic_spread: str
    cross_border_effects: str
    estimated_financial_loss_eur: Decimal | int | None
    recipients_affected: bool
    recipient_guidance: str
    affected_components: Sequence[OrganisationScopedModel]
    personal_data_breach: bool
    breach_aware_at: datetime.datetime | None
    breach_high_risk: str
    breach_nature: str
    data_subject_categories: str
    data_subjects_count: int | None
    record_categories: str
    records_count: int | None
    personal_data_consequences: str
    breach_delay_reason: str
    dpo_contact: str
    indicators_of_compromise: str
    mitigation: str


class RootCauseFacts(TypedDict, total=False):
    """The root cause, in the order its form on the incident page shows it."""

    root_cause_category: str
    root_cause: str
    attack_technique: str
    contributing_factors: str
    analysis_method: str
    root_cause_confidence: str
    undetermined_justification: str


class IncidentChanges(IncidentFacts, RootCauseFacts, total=False):
    """Everything a person may set on an incident (``incidents.services.incident_create`` and
    ``incident_update``): the one declaration the edit and root-cause forms and the API serializer take
    their fields from. The status and its timestamps change through transitions only."""

    root_cause_identified_at: datetime.datetime | None
    root_cause_component: OrganisationScopedModel | None
    implicated_requirements: Sequence[models.Model]


#: Names of ``IncidentChanges`` (``IncidentFacts`` first, then the root cause), in the forms' order.
EDITABLE_FIELDS: tuple[str, ...] = tuple(IncidentChanges.__annotations__)
FACT_FIELDS: tuple[str, ...] = tuple(IncidentFacts.__annotations__)
ROOT_CAUSE_FIELDS: tuple[str, ...] = tuple(RootCauseFacts.__annotations__)
#: Many-to-many links: set after the incident is saved.
LINK_FIELDS = ("implicated_requirements", "affected_components")
