"""Shared helpers."""

from __future__ import annotations

import datetime
from typing import Any

from bench.national_incident_data import Chunk, Context, RuleData


def _clock(facts: dict[str, Any]) -> Any:
    from incidents import deadlines

    return deadlines.IncidentClock(
        aware_at=facts["aware_at"],
        detected_at=facts["detected_at"],
        resolved_at=facts.get("resolved_at"),
        significant=facts["significant"] == "yes",
        personal_data_breach=facts["personal_data_breach"],
        breach_aware_at=facts["breach_aware_at"],
        breach_high_risk=facts["breach_high_risk"] == "yes",
        recipients_affected=facts["recipients_affected"],
    )


def plan_obligations(context: Context, facts: dict[str, Any]) -> tuple[list[Any], dict[str, datetime.datetime]]:
    """The obligations as the services leave them: planned, then re-planned after each filing (a filed
    notification fixes the final report's month). Returns the plans and the first filing time of each step."""
    from incidents import deadlines

    rules = [data.rule for data in context.rules.values()]
    clock, decided, filed = _clock(facts), set(), {}
    plans: list[Any] = []
    for _round in range(5):
        plans = deadlines.plan_obligations(clock, rules, deadlines.effective_submissions(rules, filed))
        added = False
        for plan in plans:
            if plan.step in decided or plan.provisional or plan.due_at is None:
                continue
            decided.add(plan.step)
            moment = _filing_moment(context, facts, plan)
            if moment is not None:
                filed[plan.step], added = moment, True
        if not added:
            break
    return plans, filed


def _filing_moment(context: Context, facts: dict[str, Any], plan: Any) -> datetime.datetime | None:
    """When the report was filed: mostly on time, 8 % late; nothing yet for a report not filed (15 % of an
    open incident's, 3 % of a closed one's)."""
    generator = context.generator
    if context.rules[plan.rule_code].rule.without_undue_delay:
        moment = plan.window_start + context.hours(0.5, 30)
    else:
        share = generator.uniform(1.0, 1.6) if generator.random() < 0.08 else generator.uniform(0.15, 0.95)
        moment = plan.window_start + (plan.due_at - plan.window_start) * share
    moment = max(moment, facts["detected_at"] + datetime.timedelta(minutes=5))
    kept = 0.97 if facts["status"] == "closed" else 0.85
    if moment > context.now - datetime.timedelta(minutes=10) or generator.random() > kept:
        return None
    return moment


def add_obligations(
    context: Context,
    chunk: Chunk,
    facts: dict[str, Any],
    plans: list[Any],
    filed: dict[str, datetime.datetime],
    author: int,
) -> dict[str, int]:
    from incidents import deadlines

    ids, now = {}, context.now
    reminded_at = now - datetime.timedelta(minutes=5)  # the reminders task ran five minutes ago
    for plan in plans:
        data = context.rules[plan.rule_code]
        created = min(now, max(facts["created_at"], plan.window_start if not plan.provisional else facts["created_at"]))
        obligation_id = context.next("obligation")
        ids[plan.step] = obligation_id
        row = {
            "id": obligation_id,
            "incident_id": facts["id"],
            "step": plan.step,
            "rule_id": data.pk,
            "authority_id": data.authority_id,
            "window_start": plan.window_start,
            "due_at": plan.due_at,
            "provisional": plan.provisional,
            "created_at": created,
            "updated_at": created,
        }
        submitted = filed.get(plan.step)
        if submitted is None and facts["status"] == "closed" and context.generator.random() < 0.3:
            row.update(
                not_required=True,
                not_required_rationale="Incident maîtrisé sans conséquence pour les usagers : pas de notification.",
                decided_by_id=author,
                decided_at=facts["closed_at"],
            )
        chunk.obligations.append(row)
        if plan.due_at is None or row.get("not_required"):
            continue
        until = submitted or (reminded_at if facts["status"] != "closed" else None)
        if until is None:
            continue
        if data.rule.without_undue_delay:
            thresholds = [deadlines.DUE_NOW_THRESHOLD] if submitted is None else []
        else:
            thresholds = deadlines.thresholds_crossed(plan.window_start, plan.due_at, until)
        for threshold in thresholds:
            crossed = plan.window_start + (plan.due_at - plan.window_start) * (threshold / 100)
            chunk.reminders.append(
                {
                    "obligation_id": obligation_id,
                    "due_at": plan.due_at,
                    "threshold": threshold,
                    "sent_at": min(until, max(crossed, plan.window_start)),
                }
            )
    return ids


def add_filings(
    context: Context,
    chunk: Chunk,
    filed: dict[str, datetime.datetime],
    obligation_ids: dict[str, int],
    dues: dict[str, tuple[datetime.datetime | None, RuleData]],
    author: int,
) -> None:
    """The first filing of each step filed; a late one states its reasons where the rule asks (GDPR Art. 33(1)),
    as incidents.services.obligation_file requires."""
    generator, now = context.generator, context.now
    for step, moment in filed.items():
        if step not in obligation_ids:
            continue
        due_at, rule = dues[step]
        late = due_at is not None and moment > due_at
        filing_id = context.next("filing")
        row = {
            "id": filing_id,
            "obligation_id": obligation_ids[step],
            "submitted_at": moment,
            "channel": generator.choice(["portal", "portal", "portal", "email"]),
            "reference": f"CERTFR-{moment:%Y}-{filing_id:06d}",
            "delay_reason": "Qualification de l'incident attendue de l'infogérant."
            if late and (rule.late_filing_needs_reason or generator.random() < 0.5)
            else "",
            "filed_by_id": author,
            "recorded_at": min(now, moment + datetime.timedelta(minutes=generator.randint(0, 120))),
        }
        chunk.filings.append(row)
        if generator.random() < 0.03:  # a correction supersedes the first filing
            correction = dict(row, id=context.next("filing"), supersedes_id=filing_id)
            correction["submitted_at"] = correction["recorded_at"] = min(now, moment + datetime.timedelta(hours=6))
            chunk.filings.append(correction)
