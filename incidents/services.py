"""Every write of the incident register. Each state change leaves a dated timeline entry, and the
reporting obligations are recomputed from the rules after anything that can move a deadline."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from incidents import clock_state, deadlines, lifecycle, taxonomy
from incidents.models import (
    Attachment,
    CalendarFeed,
    CorrectiveAction,
    Filing,
    Incident,
    Obligation,
    ReminderSent,
    ReportingRule,
    Step,
    TimelineEntry,
    Verdict,
)
from nis2.clock import paris_time_for_display
from nis2.history import save_with_author as _save
from nis2.models import Membership, Organisation
from nis2.uploads import check_upload

INCIDENT_FIELDS = {
    "title",
    "description",
    "is_exercise",
    "occurred_at",
    "detected_at",
    "aware_at",
    "awareness_delay_justification",
    "category",
    "subcategory",
    "severity",
    "services_affected",
    "users_affected",
    "duration_hours",
    "geographic_spread",
    "cross_border_effects",
    "estimated_financial_loss_eur",
    "personal_data_breach",
    "personal_data_consequences",
    "breach_aware_at",
    "breach_high_risk",
    "breach_nature",
    "data_subject_categories",
    "data_subjects_count",
    "record_categories",
    "records_count",
    "breach_delay_reason",
    "dpo_contact",
    "recipients_affected",
    "recipient_guidance",
    "indicators_of_compromise",
    "mitigation",
    "significant",
    "significant_justification",
    "significance_criteria",
    "suspected_malicious",
    "suspected_malicious_justification",
    "cross_border",
    "cross_border_justification",
    "root_cause_category",
    "root_cause",
    "attack_technique",
    "contributing_factors",
    "analysis_method",
    "root_cause_confidence",
    "root_cause_identified_at",
    "undetermined_justification",
    "root_cause_component",
}
VERDICT_FIELDS = ("significant", "suspected_malicious", "cross_border", "breach_high_risk")
CLOSING_MESSAGES = {
    "root_cause_missing": gettext_lazy(
        "An incident cannot be closed without a root cause. Record the root cause, or “undetermined” with a "
        "justification and at least one investigation step."
    ),
    "root_cause_not_explained": gettext_lazy("Explain the root cause before closing the incident."),
    "undetermined_not_justified": gettext_lazy("Explain why the root cause remains undetermined before closing."),
    "third_party_component_missing": gettext_lazy(
        "A third-party failure names the failing component of the dependency map before the incident is closed."
    ),
    "undetermined_not_investigated": gettext_lazy(
        "Record at least one investigation step in the timeline before closing with an undetermined root cause."
    ),
}


def _validate_incident(incident: Incident, components: list[Any] | None = None) -> None:
    errors: dict[str, str] = {}
    foreign = [component for component in components or [] if component.organisation_id != incident.organisation_id]
    if foreign:
        errors["affected_components"] = _("A component of another organisation cannot be linked.")
    component = incident.root_cause_component
    if component is not None and component.organisation_id != incident.organisation_id:
        errors["root_cause_component"] = _("A component of another organisation cannot be linked.")
    if taxonomy.class_by_tag(incident.category) is None:
        errors["category"] = _("Unknown category “%(tag)s”: use a class tag of the RSIT taxonomy.") % {
            "tag": incident.category
        }
    elif incident.subcategory and not taxonomy.type_belongs_to(incident.category, incident.subcategory):
        errors["subcategory"] = _("“%(type)s” is not a type of the class “%(class)s”.") % {
            "type": incident.subcategory,
            "class": incident.category,
        }
    if incident.aware_at and incident.detected_at and incident.aware_at < incident.detected_at:
        errors["aware_at"] = _("Awareness of significance cannot precede detection.")
    if (
        incident.detected_at
        and lifecycle.awareness_needs_justification(incident.detected_at, incident.aware_at)
        and not incident.awareness_delay_justification.strip()
    ):
        errors["awareness_delay_justification"] = _(
            "More than 24 hours passed between detection and awareness of significance: explain why."
        )
    if incident.root_cause_identified and not incident.root_cause_identified_at:
        incident.root_cause_identified_at = timezone.now()
    if errors:
        raise ValidationError(errors)


def _start_the_clocks(incident: Incident, actor: AbstractBaseUser | None) -> list[str]:
    """A significant verdict, or a personal data breach, recorded without its awareness time starts its
    clock at the moment it is recorded (docs/adr/0004): a legal clock always exists. Returns the timeline
    texts that say so."""
    now = timezone.now()
    said: list[str] = []
    if incident.significant == Verdict.YES and incident.aware_at is None:
        incident.aware_at = now
        said.append(_("Awareness of significance recorded at the verdict: the NIS 2 clock starts now."))
    if incident.personal_data_breach and incident.breach_aware_at is None:
        # Without its own time, the breach was known when the incident became significant, or else (the
        # conservative reading of GDPR Art. 33(1)) from detection.
        incident.breach_aware_at = incident.aware_at or incident.detected_at
        said.append(
            _("Awareness of the personal data breach set to %(moment)s: the GDPR clock starts then.")
            % {"moment": paris_time_for_display(incident.breach_aware_at).strftime("%d/%m/%Y %H:%M")}
        )
    return said


def _entry(
    incident: Incident,
    actor: AbstractBaseUser | None,
    kind: str,
    text: str,
    occurred_at: datetime.datetime | None = None,
) -> TimelineEntry:
    entry = TimelineEntry(
        incident=incident, author=actor, kind=kind, text=text, occurred_at=occurred_at or timezone.now()
    )
    _save(entry, actor)
    return entry


@transaction.atomic
def incident_create(*, organisation: Organisation, actor: AbstractBaseUser, **fields: Any) -> Incident:
    unknown = set(fields) - INCIDENT_FIELDS - {"implicated_requirements", "affected_components"}
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in sorted(unknown)})
    requirements = fields.pop("implicated_requirements", None)
    components = fields.pop("affected_components", None)
    incident = Incident(organisation=organisation, **fields)
    clock_texts = _start_the_clocks(incident, actor)
    _validate_incident(incident, components)
    _save(incident, actor)
    if requirements:
        incident.implicated_requirements.set(requirements)
    if components:
        incident.affected_components.set(components)
    now = timezone.now()
    entries = [
        TimelineEntry(kind=TimelineEntry.Kind.DETECTION, text=_("Incident declared."), occurred_at=incident.detected_at)
    ]
    entries += [
        TimelineEntry(kind=TimelineEntry.Kind.VERDICT_CHANGE, text=_verdict_text(incident, name), occurred_at=now)
        for name in VERDICT_FIELDS
        if getattr(incident, name) != Verdict.UNKNOWN
    ]
    entries += [TimelineEntry(kind=TimelineEntry.Kind.NOTE, text=text, occurred_at=now) for text in clock_texts]
    for entry in entries:
        entry.incident, entry.author = incident, actor
    # Built here from facts already validated: written in two statements (rows, history), not one per entry.
    bulk_create_with_history(entries, TimelineEntry, default_user=actor)
    incident_sync_obligations(incident=incident, new=True)
    return incident


def _verdict_text(incident: Incident, name: str) -> str:
    label = str(Incident._meta.get_field(name).verbose_name)
    value = getattr(incident, f"get_{name}_display")()
    justification = getattr(incident, f"{name}_justification", "")
    text = _("%(verdict)s: %(value)s.") % {"verdict": label.capitalize(), "value": value}
    return f"{text} {justification}".strip()


@transaction.atomic
def incident_update(*, incident: Incident, actor: AbstractBaseUser, **fields: Any) -> Incident:
    unknown = set(fields) - INCIDENT_FIELDS - {"implicated_requirements", "affected_components"}
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    requirements = fields.pop("implicated_requirements", None)
    components = fields.pop("affected_components", None)
    before = {name: getattr(incident, name) for name in VERDICT_FIELDS}
    for name, value in fields.items():
        setattr(incident, name, value)
    if incident.status == Incident.Status.CLOSED:
        _ensure_closable(incident)
    clock_texts = _start_the_clocks(incident, actor)
    _validate_incident(incident, components)
    _save(incident, actor)
    if requirements is not None:
        incident.implicated_requirements.set(requirements)
    if components is not None:
        incident.affected_components.set(components)
    for name in VERDICT_FIELDS:
        if getattr(incident, name) != before[name]:
            _entry(incident, actor, TimelineEntry.Kind.VERDICT_CHANGE, _verdict_text(incident, name))
    for text in clock_texts:
        _entry(incident, actor, TimelineEntry.Kind.NOTE, text)
    incident_sync_obligations(incident=incident)
    return incident


def _ensure_closable(incident: Incident) -> None:
    problems = lifecycle.closing_problems(
        lifecycle.RootCauseFacts(
            category=incident.root_cause_category,
            explanation=incident.root_cause,
            undetermined_justification=incident.undetermined_justification,
            investigation_steps=incident.timeline.filter(kind=TimelineEntry.Kind.INVESTIGATION).count(),
            names_component=incident.root_cause_component_id is not None,
        )
    )
    if problems:
        raise ValidationError({"status": [CLOSING_MESSAGES[problem] for problem in problems]})


@transaction.atomic
def incident_transition(
    *, incident: Incident, status: str, actor: AbstractBaseUser, at: datetime.datetime | None = None
) -> Incident:
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if at is not None and at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"at": _("A status change cannot be dated in the future.")})
    if status not in Incident.Status.values:
        raise ValidationError({"status": _("Unknown status “%(status)s”.") % {"status": status}})
    if not lifecycle.transition_allowed(incident.status, status):
        raise ValidationError(
            {
                "status": _("An incident cannot go from “%(current)s” to “%(target)s”.")
                % {"current": incident.get_status_display(), "target": Incident.Status(status).label}
            }
        )
    if status == Incident.Status.CLOSED:
        _ensure_closable(incident)
    moment = at or timezone.now()
    previous = incident.get_status_display()
    incident.status = status
    for cleared in lifecycle.timestamps_cleared_by(status):
        setattr(incident, cleared, None)  # reopened: the end of handling is not known any more
    field = lifecycle.STATUS_TIMESTAMPS.get(status)
    if field and getattr(incident, field) is None:
        setattr(incident, field, moment)
    _save(incident, actor)
    _entry(
        incident,
        actor,
        TimelineEntry.Kind.STATUS_CHANGE,
        _("Status: %(previous)s → %(current)s.") % {"previous": previous, "current": incident.get_status_display()},
        moment,
    )
    incident_sync_obligations(incident=incident)
    return incident


@transaction.atomic
def timeline_add(
    *, incident: Incident, actor: AbstractBaseUser, kind: str, text: str, occurred_at: datetime.datetime | None = None
) -> TimelineEntry:
    if kind in (TimelineEntry.Kind.STATUS_CHANGE, TimelineEntry.Kind.VERDICT_CHANGE, TimelineEntry.Kind.FILING):
        raise ValidationError({"kind": _("This kind of entry is written by Rempart itself.")})
    if occurred_at and occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("A timeline entry cannot be in the future.")})
    return _entry(incident, actor, kind, text, occurred_at)


# --- Reporting obligations -------------------------------------------------------------------------


def _rules() -> list[tuple[ReportingRule, deadlines.Rule]]:
    return [
        (rule, deadline_rule(rule)) for rule in ReportingRule.objects.filter(active=True).select_related("authority")
    ]


def deadline_rule(rule: ReportingRule) -> deadlines.Rule:
    """A stored reporting rule as the pure deadline functions read it."""
    return deadlines.Rule(
        code=rule.code,
        step=rule.step,
        authority=rule.authority.code,
        condition=deadlines.Condition(rule.condition),
        runs_from=deadlines.RunsFrom(rule.runs_from),
        delay_hours=rule.delay_hours,
        delay_months=rule.delay_months,
        anchor_step=rule.anchor_step or None,
        satisfies_step=rule.satisfies_step or None,
        progress_if_unresolved=rule.progress_if_unresolved,
        without_undue_delay=rule.without_undue_delay,
    )


def first_filings(incident: Incident) -> dict[str, datetime.datetime]:
    """Submission time of each step's first filing; corrections never move it (lateness is frozen)."""
    return _first_filings(incident)[0]


def _first_filings(incident: Incident) -> tuple[dict[str, datetime.datetime], dict[int, datetime.datetime]]:
    """The first filing's submission time by step and by obligation (an incident may hold several
    intermediate reports), in one query."""
    by_step: dict[str, datetime.datetime] = {}
    by_obligation: dict[int, datetime.datetime] = {}
    for obligation_id, step, submitted_at in (
        Filing.objects.filter(obligation__incident=incident, supersedes__isnull=True)
        .order_by("recorded_at", "pk")
        .values_list("obligation_id", "obligation__step", "submitted_at")
    ):
        by_step.setdefault(step, submitted_at)
        by_obligation.setdefault(obligation_id, submitted_at)
    return by_step, by_obligation


def incident_clock(incident: Incident) -> deadlines.IncidentClock:
    return deadlines.IncidentClock(
        aware_at=incident.aware_at,
        detected_at=incident.detected_at,
        resolved_at=incident.resolved_at,
        significant=incident.significant == Verdict.YES,
        personal_data_breach=incident.personal_data_breach,
        breach_aware_at=incident.breach_aware_at,
        breach_high_risk=incident.breach_high_risk == Verdict.YES,
        recipients_affected=incident.recipients_affected,
    )


def incident_sync_obligations(*, incident: Incident, new: bool = False) -> list[Obligation]:
    """Create, move or drop the incident's obligations so they match the rules and the facts, and store
    each one's filing time and next reminder. The plan depends on facts and filings only, not on the time
    of the call (incidents/deadlines.py), so the stored obligations stay right while time passes. An
    obligation with a filing or a recorded decision is never dropped."""
    rules = _rules()
    by_code = {rule.code: model for model, rule in rules}
    # A new incident has no filing, obligation or reminder yet: nothing to read.
    by_step, by_obligation = ({}, {}) if new else _first_filings(incident)
    submissions = deadlines.effective_submissions([rule for _model, rule in rules], by_step)
    planned = {
        plan.step: plan
        for plan in deadlines.plan_obligations(incident_clock(incident), [r for _m, r in rules], submissions)
    }
    obligations = [] if new else list(incident.obligations.select_related("rule"))
    sent = _reminders_sent([obligation.pk for obligation in obligations])
    created: list[Obligation] = []
    existing = {obligation.step: obligation for obligation in obligations if obligation.step != Step.INTERMEDIATE}
    for step, plan in planned.items():
        obligation = existing.pop(step, None) or Obligation(incident=incident, step=step)
        rule = by_code[plan.rule_code]
        values = {
            "rule": rule,
            "authority": rule.authority,
            "window_start": plan.window_start,
            "due_at": plan.due_at,
            "provisional": plan.provisional,
            "settled_at": submissions.get(step),
        }
        values["next_reminder_at"] = _next_reminder(incident, obligation, values, sent)
        if obligation.pk is None:
            for key, value in values.items():
                setattr(obligation, key, value)
            created.append(obligation)
        elif any(getattr(obligation, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(obligation, key, value)
            _save(obligation, None)
    # Built from the rules, one statement for the rows and one for their history.
    bulk_create_with_history(created, Obligation)
    dropped = set()
    for obligation in existing.values():
        if not obligation.filings.exists() and not obligation.not_required:
            dropped.add(obligation.pk)
            obligation.delete()
    _store_intermediate_state(incident, obligations, by_obligation, sent)
    return [obligation for obligation in obligations if obligation.pk not in dropped] + created


def obligations_backfill() -> int:
    """Store the clock state of every obligation (after a bulk load that bypassed the services)."""
    return clock_state.store_clock_state(Obligation, Filing, ReminderSent, ReportingRule)


def _reminders_sent(obligation_ids: list[int]) -> dict[tuple[int, datetime.datetime | None], set[int]]:
    sent: dict[tuple[int, datetime.datetime | None], set[int]] = {}
    if obligation_ids:
        for obligation_id, due_at, threshold in ReminderSent.objects.filter(
            obligation_id__in=obligation_ids
        ).values_list("obligation_id", "due_at", "threshold"):
            sent.setdefault((obligation_id, due_at), set()).add(threshold)
    return sent


def _next_reminder(
    incident: Incident,
    obligation: Obligation,
    values: dict[str, Any],
    sent: dict[tuple[int, datetime.datetime | None], set[int]],
) -> datetime.datetime | None:
    """None once filed, judged not required or the incident closed; else the next threshold's moment."""
    if values["settled_at"] or obligation.not_required or incident.status == Incident.Status.CLOSED:
        return None
    return deadlines.next_reminder_at(
        window_start=values["window_start"],
        due_at=values["due_at"],
        without_undue_delay=values["rule"].without_undue_delay,
        sent=sent.get((obligation.pk, values["due_at"]), set()) if obligation.pk else set(),
    )


def _store_intermediate_state(
    incident: Incident,
    obligations: list[Obligation],
    by_obligation: dict[int, datetime.datetime],
    sent: dict[tuple[int, datetime.datetime | None], set[int]],
) -> None:
    """Intermediate reports (asked for by an authority, outside the plan): their filing time and next
    reminder, written only when they changed."""
    changed = []
    for obligation in obligations:
        if obligation.step != Step.INTERMEDIATE:
            continue
        values = {
            "settled_at": by_obligation.get(obligation.pk),
            "window_start": obligation.window_start,
            "due_at": obligation.due_at,
            "rule": obligation.rule,
        }
        state = (values["settled_at"], _next_reminder(incident, obligation, values, sent))
        if (obligation.settled_at, obligation.next_reminder_at) != state:
            obligation.settled_at, obligation.next_reminder_at = state
            changed.append(obligation)
    if changed:
        Obligation.objects.bulk_update(changed, ["settled_at", "next_reminder_at"])


@transaction.atomic
def obligation_file(
    *,
    obligation: Obligation,
    actor: AbstractBaseUser,
    submitted_at: datetime.datetime,
    reference: str = "",
    channel: str = "portal",
    proof: UploadedFile | None = None,
    delay_reason: str = "",
) -> Filing:
    """Record a submission against the step due when it is filed: a "final" report filed while the
    incident is still being handled is the progress report (Directive (EU) 2022/2555, Art. 23(4)(e)).
    The first filing fixes whether the report was on time; a later filing is a correction that supersedes
    the previous one. A late report whose rule asks for it states the reasons for the delay (GDPR Art. 33(1))."""
    if submitted_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"submitted_at": _("A report cannot be submitted in the future.")})
    if submitted_at < obligation.incident.detected_at:
        raise ValidationError({"submitted_at": _("A report cannot be submitted before the incident was detected.")})
    obligation = _obligation_due_for(obligation)
    previous = obligation.filings.filter(superseded_by__isnull=True).order_by("-submitted_at", "-pk").first()
    late = obligation.due_at is not None and submitted_at > obligation.due_at
    if obligation.step == Step.GDPR_BREACH and not delay_reason.strip():
        delay_reason = obligation.incident.breach_delay_reason  # prepared on the incident, with the draft
    if previous is None and late and obligation.rule.late_filing_needs_reason and not delay_reason.strip():
        raise ValidationError(
            {"delay_reason": _("This report is filed after its deadline: state the reasons for the delay.")}
        )
    filing = Filing(
        obligation=obligation,
        submitted_at=submitted_at,
        reference=reference,
        channel=channel,
        delay_reason=delay_reason,
        filed_by=actor,
        supersedes=previous,
    )
    if proof is not None:
        try:
            check_upload(proof)
        except ValidationError as error:
            raise ValidationError({"proof": error.messages}) from error
        filing.proof.save(proof.name, proof, save=False)
    _save(filing, actor)
    text = (
        _("%(step)s filed with %(authority)s (reference %(reference)s).")
        if reference
        else _("%(step)s filed with %(authority)s.")
    ) % {"step": obligation.get_step_display(), "authority": obligation.authority.name, "reference": reference}
    if previous is not None:
        text = _("Correction: %(text)s") % {"text": text}
    _entry(obligation.incident, actor, TimelineEntry.Kind.FILING, text, submitted_at)
    incident_sync_obligations(incident=obligation.incident)
    return filing


def _obligation_due_for(obligation: Obligation) -> Obligation:
    if obligation.step != Step.FINAL or obligation.due_at is not None:
        return obligation
    progress = obligation.incident.obligations.filter(step=Step.PROGRESS).first()
    if progress is None or progress.filings.exists():
        raise ValidationError(
            {
                "obligation": _(
                    "The incident is still being handled: the final report is due one month after it is "
                    "resolved. Record the resolution first."
                )
            }
        )
    return progress


@transaction.atomic
def obligation_mark_not_required(*, obligation: Obligation, actor: AbstractBaseUser, rationale: str) -> Obligation:
    """Record the decision not to report (GDPR Art. 33(5) asks that such decisions be documented)."""
    if not rationale.strip():
        raise ValidationError({"not_required_rationale": _("Explain why this report is not required.")})
    if obligation.filings.exists():
        raise ValidationError(_("This report has already been filed."))
    obligation.not_required = True
    obligation.not_required_rationale = rationale
    obligation.decided_by = actor
    obligation.decided_at = timezone.now()
    obligation.next_reminder_at = None
    _save(obligation, actor)
    _entry(
        obligation.incident,
        actor,
        TimelineEntry.Kind.DECISION,
        _("%(step)s judged not required: %(rationale)s")
        % {"step": obligation.get_step_display(), "rationale": rationale},
    )
    return obligation


@transaction.atomic
def obligation_request_intermediate(
    *,
    incident: Incident,
    actor: AbstractBaseUser,
    requested_at: datetime.datetime,
    due_at: datetime.datetime,
    note: str = "",
) -> Obligation:
    """Art. 23(4)(c): an intermediate report exists only when the CSIRT or authority asks for one."""
    rule = ReportingRule.objects.select_related("authority").get(step=Step.INTERMEDIATE, active=True)
    if due_at <= requested_at:
        raise ValidationError({"due_at": _("The due date must come after the request.")})
    obligation = Obligation(
        incident=incident,
        step=Step.INTERMEDIATE,
        rule=rule,
        authority=rule.authority,
        window_start=requested_at,
        due_at=due_at,
        requested_at=requested_at,
        request_note=note,
        next_reminder_at=deadlines.next_reminder_at(
            window_start=requested_at, due_at=due_at, without_undue_delay=rule.without_undue_delay, sent=()
        ),
    )
    _save(obligation, actor)
    _entry(
        incident,
        actor,
        TimelineEntry.Kind.COMMUNICATION,
        _("Intermediate report requested by %(authority)s.") % {"authority": rule.authority.name},
        requested_at,
    )
    return obligation


# --- Corrective actions and attachments --------------------------------------------------------


@transaction.atomic
def corrective_action_create(
    *,
    incident: Incident,
    actor: AbstractBaseUser,
    title: str,
    owner: AbstractBaseUser | None = None,
    due_date: datetime.date | None = None,
    add_to_action_plan: bool = False,
) -> CorrectiveAction:
    if owner is not None and not Membership.objects.filter(organisation=incident.organisation_id, user=owner).exists():
        raise ValidationError({"owner": _("The owner must be a member of the organisation.")})
    action = CorrectiveAction(incident=incident, title=title, owner=owner, due_date=due_date)
    if add_to_action_plan:
        from controls import services as controls_services

        action.plan_action = controls_services.action_create(
            organisation=incident.organisation,
            actor=actor,
            title=title,
            owner=owner,
            due_date=due_date,
            description=_("Corrective action of incident “%(incident)s”.") % {"incident": incident.title},
            requirements=list(incident.implicated_requirements.all()),
        )
    _save(action, actor)
    return action


@transaction.atomic
def attachment_add(*, incident: Incident, actor: AbstractBaseUser, title: str, upload: UploadedFile) -> Attachment:
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    attachment = Attachment(
        incident=incident,
        title=title,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    _save(attachment, actor)
    return attachment


@transaction.atomic
def calendar_feed_rotate(*, organisation: Organisation, actor: AbstractBaseUser) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(organisation=organisation)
    if not _created:
        from incidents.models import new_feed_token

        feed.token = new_feed_token()
        _save(feed, actor)
    return feed
