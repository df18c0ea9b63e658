"""The reports an incident owes: planned from the stored rules and the incident's facts, filed, judged
not required, or asked for by an authority (intermediate reports). The plan is stored on each obligation
(its filing time and next reminder) so that lists sort, count and remind in SQL."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from incidents import clock_state, deadlines
from incidents.models import Filing, Incident, Obligation, ReminderSent, ReportingRule, Step, TimelineEntry, Verdict
from incidents.services.timeline import not_in_the_future, timeline_record
from nis2.history import model_create, model_delete, model_update
from nis2.uploads import check_upload


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
        else:
            model_update(obligation, actor=None, data=values)
    # Built from the rules, one statement for the rows and one for their history.
    bulk_create_with_history(created, Obligation)
    dropped = set()
    for obligation in existing.values():
        if not obligation.filings.exists() and not obligation.not_required:
            dropped.add(obligation.pk)
            model_delete(obligation, actor=None)
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
        settled_at = by_obligation.get(obligation.pk)
        values = {
            "settled_at": settled_at,
            "window_start": obligation.window_start,
            "due_at": obligation.due_at,
            "rule": obligation.rule,
        }
        state = (settled_at, _next_reminder(incident, obligation, values, sent))
        if (obligation.settled_at, obligation.next_reminder_at) != state:
            obligation.settled_at, obligation.next_reminder_at = state
            changed.append(obligation)
    if changed:
        Obligation.objects.bulk_update(changed, ["settled_at", "next_reminder_at"])


@transaction.atomic
def obligation_file(
    *,
    obligation: Obligation,
    actor: User,
    submitted_at: datetime.datetime,
    reference: str = "",
    channel: str = "portal",
    proof: UploadedFile[bytes] | None = None,
    delay_reason: str = "",
) -> Filing:
    """Record a submission against the step due when it is filed: a "final" report filed while the
    incident is still being handled is the progress report (Directive (EU) 2022/2555, Art. 23(4)(e)).
    The first filing fixes whether the report was on time; a later filing is a correction that supersedes
    the previous one. A late report whose rule asks for it states the reasons for the delay (GDPR Art. 33(1))."""
    not_in_the_future(submitted_at, field="submitted_at", message=_("A report cannot be submitted in the future."))
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
        filing.proof.save(proof.name or "proof", proof, save=False)
    model_create(filing, actor=actor)
    text = (
        _("%(step)s filed with %(authority)s (reference %(reference)s).")
        if reference
        else _("%(step)s filed with %(authority)s.")
    ) % {"step": obligation.get_step_display(), "authority": obligation.authority.name, "reference": reference}
    if previous is not None:
        text = _("Correction: %(text)s") % {"text": text}
    timeline_record(
        incident=obligation.incident, actor=actor, kind=TimelineEntry.Kind.FILING, text=text, occurred_at=submitted_at
    )
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
def obligation_mark_not_required(*, obligation: Obligation, actor: User, rationale: str) -> Obligation:
    """Record the decision not to report (GDPR Art. 33(5) asks that such decisions be documented)."""
    if not rationale.strip():
        raise ValidationError({"not_required_rationale": _("Explain why this report is not required.")})
    if obligation.filings.exists():
        raise ValidationError(_("This report has already been filed."))
    decision = {
        "not_required": True,
        "not_required_rationale": rationale,
        "decided_by": actor,
        "decided_at": timezone.now(),
        "next_reminder_at": None,
    }
    model_update(obligation, actor=actor, data=decision)
    timeline_record(
        incident=obligation.incident,
        actor=actor,
        kind=TimelineEntry.Kind.DECISION,
        text=_("%(step)s judged not required: %(rationale)s")
        % {"step": obligation.get_step_display(), "rationale": rationale},
    )
    return obligation


@transaction.atomic
def obligation_request_intermediate(
    *,
    incident: Incident,
    actor: User,
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
    model_create(obligation, actor=actor)
    timeline_record(
        incident=incident,
        actor=actor,
        kind=TimelineEntry.Kind.COMMUNICATION,
        text=_("Intermediate report requested by %(authority)s.") % {"authority": rule.authority.name},
        occurred_at=requested_at,
    )
    return obligation
