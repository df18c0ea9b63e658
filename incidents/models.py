"""The incident register: incidents, their timeline, the reports they owe and their root cause."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.deadlines import Condition, RunsFrom
from nis2.bilingual import localized
from nis2.event_time import EventTimeValidator
from nis2.models import Organisation, OrganisationScopedModel, OrganisationScopedQuerySet, TimestampedModel


class Verdict(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class Authority(TimestampedModel):
    """Where reports go (ANSSI / CERT-FR, CNIL, a regional CSIRT): reference data."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
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

    @property
    def name(self) -> str:
        return localized(self, "name")


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


class IncidentQuerySet(OrganisationScopedQuerySet):
    def real(self) -> IncidentQuerySet:
        """Exercises create no legal obligation and stay out of every statistic."""
        return self.filter(is_exercise=False)

    def open(self) -> IncidentQuerySet:
        return self.exclude(status=Incident.Status.CLOSED)


class Incident(OrganisationScopedModel):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        INVESTIGATING = "investigating", _("Investigating")
        CONTAINED = "contained", _("Contained")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Spread(models.TextChoices):
        LOCAL = "local", _("One site or service")
        ORGANISATION = "organisation", _("The whole organisation")
        SEVERAL_ORGANISATIONS = "several_organisations", _("Several local authorities")
        REGIONAL = "regional", _("Département or région")
        NATIONAL = "national", _("National")

    class RootCauseCategory(models.TextChoices):
        SYSTEM_FAILURE = "system_failure", _("System failure")
        NATURAL_PHENOMENON = "natural_phenomenon", _("Natural phenomenon")
        HUMAN_ERROR = "human_error", _("Human error")
        MALICIOUS_ACTION = "malicious_action", _("Malicious action")
        THIRD_PARTY_FAILURE = "third_party_failure", _("Third-party failure")
        UNDETERMINED = "undetermined", _("Undetermined")

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
    duration_hours = models.DecimalField(
        _("duration of the disruption (hours)"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    geographic_spread = models.CharField(_("geographic spread"), max_length=32, choices=Spread.choices, blank=True)
    cross_border_effects = models.TextField(_("cross-border effects"), blank=True)
    estimated_financial_loss_eur = models.DecimalField(
        _("estimated financial loss (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
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
    objects = IncidentQuerySet.as_manager()

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
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("what"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["incident", "occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


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
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
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
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
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


class CorrectiveAction(TimestampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        ABANDONED = "abandoned", _("Abandoned")

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="corrective_actions"
    )
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["incident", "-created_at"]

    def __str__(self) -> str:
        return self.title


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
