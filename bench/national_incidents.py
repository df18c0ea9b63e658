"""Shared helpers."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from typing import Any

from django.utils import translation

from bench.national_copy import copy_rows, next_id
from bench.national_incident_data import (
    CATEGORIES,
    CHUNK,
    ROOT_CAUSES,
    STAGE_DELAYS_HOURS,
    STAGES,
    STATUS_LABELS,
    TITLES,
    Chunk,
    Context,
    RuleData,
)
from bench.national_obligations import add_filings, add_obligations, plan_obligations


def generate(country: Any, scale: float, generator: random.Random) -> dict[str, int]:
    from bench.national_country import INCIDENT_WEIGHT, METROPOLE_INCIDENTS, NATIONAL_INCIDENTS, SEED
    from incidents.models import Filing, Incident, Obligation

    context = Context(now=country.now, generator=generator, rules=_rules(), step_labels=_step_labels(), ids={})
    context.ids = {"incident": next_id(Incident), "obligation": next_id(Obligation), "filing": next_id(Filing)}
    fixed = {"metropole": METROPOLE_INCIDENTS, "agglomeration": 150}
    counts: Counter[int] = Counter()
    members = random.Random(SEED)  # drawn apart, so that the member communes' counts are the same at every scale
    for org in country.organisations:
        if org.anchor:
            counts[org.id] = fixed.get(org.anchor) or members.randint(0, 6)
    others = [org for org in country.organisations if not org.anchor]
    weights = [INCIDENT_WEIGHT.get(org.kind, 0.2 + min(org.population, 200_000) / 20_000) for org in others]
    # The measured organisations keep their size at every scale; the rest of the country scales.
    remaining = max(0, round((NATIONAL_INCIDENTS - sum(counts.values())) * scale))
    counts.update(org.id for org in generator.choices(others, weights, k=remaining))
    chunk, written = Chunk(), Counter()
    for org in country.organisations:
        for _index in range(counts[org.id]):
            _incident(context, chunk, org, country.components.get(org.id, []))
            if len(chunk.incidents) >= CHUNK:
                written.update(_flush(chunk))
                chunk = Chunk()
    written.update(_flush(chunk))
    return dict(written)


def _rules() -> dict[str, RuleData]:
    """The active rules as incidents.services reads them (the same conversion to incidents.deadlines.Rule)."""
    from incidents import services as incident_services
    from incidents.models import ReportingRule

    return {
        rule.code: RuleData(
            pk=rule.pk,
            authority_id=rule.authority_id,
            authority_name=rule.authority.name_fr,
            late_filing_needs_reason=rule.late_filing_needs_reason,
            rule=incident_services.deadline_rule(rule),
        )
        for rule in ReportingRule.objects.filter(active=True).select_related("authority")
    }


def _step_labels() -> dict[str, str]:
    from incidents.models import Step

    with translation.override("fr"):
        return {step.value: str(step.label) for step in Step}


def _flush(chunk: Chunk) -> Counter[str]:
    from incidents.models import CorrectiveAction, Filing, Incident, Obligation, ReminderSent, TimelineEntry

    written: Counter[str] = Counter()
    written["incidents"] += copy_rows(Incident, chunk.incidents)
    written["incident history rows"] += copy_rows(Incident.history.model, chunk.history)
    written["obligations"] += copy_rows(Obligation, chunk.obligations)
    written["filings"] += copy_rows(Filing, chunk.filings)
    written["timeline entries"] += copy_rows(TimelineEntry, chunk.timeline)
    written["reminders sent"] += copy_rows(ReminderSent, chunk.reminders)
    written["corrective actions"] += copy_rows(CorrectiveAction, chunk.corrective_actions)
    return written


def _incident(context: Context, chunk: Chunk, org: Any, components: list[int]) -> None:
    generator = context.generator
    incident_id = context.next("incident")
    author = org.people["security_officer"]
    facts, transitions = _facts(context, org, components)
    facts["id"] = incident_id
    plans, filings = plan_obligations(context, facts)
    obligation_ids = add_obligations(context, chunk, facts, plans, filings, author)
    dues = {plan.step: (plan.due_at, context.rules[plan.rule_code]) for plan in plans}
    add_filings(context, chunk, filings, obligation_ids, dues, author)
    _timeline(context, chunk, facts, transitions, filings, author)
    _history(chunk, facts, transitions, author)
    chunk.incidents.append(facts)
    if facts["status"] == "closed" and facts["significant"] == "yes":
        for number in range(generator.randint(1, 2)):
            chunk.corrective_actions.append(
                {
                    "incident_id": incident_id,
                    "title": f"Mesure corrective {number + 1} : durcir la configuration",
                    "owner_id": author,
                    "due_date": (facts["closed_at"] + datetime.timedelta(days=60)).date(),
                    "status": generator.choice(["open", "in_progress", "done", "done"]),
                    "created_at": facts["closed_at"],
                    "updated_at": facts["closed_at"],
                }
            )


def _verdict(generator: random.Random, yes: float, no: float) -> str:
    draw = generator.random()
    return "yes" if draw < yes else "no" if draw < yes + no else "unknown"


def _facts(
    context: Context, org: Any, components: list[int]
) -> tuple[dict[str, Any], list[tuple[str, datetime.datetime]]]:
    """The incident as it stands now, and its status changes (status, moment) up to now."""
    generator, now = context.generator, context.now
    detected = now - datetime.timedelta(hours=generator.uniform(1, 3 * 365 * 24))
    created = min(now, detected + context.hours(0.1, 3))
    category, subcategory = generator.choice(CATEGORIES)
    significant = _verdict(generator, 0.15, 0.6)
    breach = generator.random() < 0.1
    facts: dict[str, Any] = {
        "organisation_id": org.id,
        "title": generator.choice(TITLES),
        "description": "Déclaré par le RSSI à partir de l'alerte de l'infogérant.",
        "is_exercise": generator.random() < 0.02,
        "detected_at": detected,
        "aware_at": context.between(detected, created) if significant == "yes" else None,
        "category": category,
        "subcategory": subcategory,
        "severity": generator.choices(["low", "medium", "high", "critical"], [30, 40, 22, 8])[0],
        "significant": significant,
        "suspected_malicious": _verdict(generator, 0.4, 0.3),
        "cross_border": _verdict(generator, 0.02, 0.8),
        "personal_data_breach": breach,
        "breach_aware_at": None,
        "breach_high_risk": _verdict(generator, 0.25, 0.5) if breach else "unknown",
        "recipients_affected": significant == "yes" and generator.random() < 0.2,
        "users_affected": generator.randint(1, 5_000),
        "created_at": created,
        "status": "new",
    }
    if breach:  # incidents.services._start_the_clocks: from awareness of significance, else from detection
        facts["breach_aware_at"] = facts["aware_at"] or detected
    transitions, moment = [], created
    stall = generator.random() < 0.03
    for stage in STAGES:
        moment = moment + context.hours(*STAGE_DELAYS_HOURS[stage])
        if moment > now or (stall and generator.random() < 0.5):
            break
        transitions.append((stage, moment))
        facts["status"] = stage
        if stage != "investigating":
            facts[f"{stage}_at"] = moment
    if facts["status"] == "closed" or (facts["status"] == "resolved" and generator.random() < 0.5):
        facts.update(_root_cause(context, facts, components))
    facts["updated_at"] = transitions[-1][1] if transitions else created
    return facts, transitions


def _root_cause(context: Context, facts: dict[str, Any], components: list[int]) -> dict[str, Any]:
    generator = context.generator
    category = generator.choices([name for name, _w in ROOT_CAUSES], [w for _n, w in ROOT_CAUSES])[0]
    if category == "third_party_failure" and not components:
        category = "system_failure"
    cause: dict[str, Any] = {
        "root_cause_category": category,
        "analysis_method": generator.choice(["five_whys", "ishikawa", "timeline", "forensic"]),
        "root_cause_confidence": generator.choice(["low", "medium", "high"]),
    }
    if category == "undetermined":
        cause["undetermined_justification"] = "Journaux écrasés avant l'analyse ; l'hébergeur n'a pas répondu."
        return cause
    cause["root_cause"] = "Mot de passe réutilisé sur un compte de service exposé sur Internet."
    cause["root_cause_identified_at"] = facts["resolved_at"]
    if category == "malicious_action":
        cause["attack_technique"] = generator.choice(["T1566", "T1078", "T1190", "T1486"])
    if category == "third_party_failure":
        cause["root_cause_component_id"] = generator.choice(components)
    return cause


def _timeline(
    context: Context,
    chunk: Chunk,
    facts: dict[str, Any],
    transitions: list[tuple[str, datetime.datetime]],
    filed: dict[str, datetime.datetime],
    author: int,
) -> None:
    generator, now = context.generator, context.now
    created = facts["created_at"]

    def entry(kind: str, text: str, moment: datetime.datetime, recorded: datetime.datetime | None = None) -> None:
        chunk.timeline.append(
            {
                "incident_id": facts["id"],
                "occurred_at": moment,
                "recorded_at": min(now, recorded or moment),
                "author_id": author,
                "kind": kind,
                "text": text,
            }
        )

    entry("detection", "Incident déclaré.", facts["detected_at"], created)
    for name, label in (("significant", "Significatif"), ("suspected_malicious", "Malveillance suspectée")):
        if facts[name] != "unknown":
            entry("verdict_change", f"{label} : {'Oui' if facts[name] == 'yes' else 'Non'}.", created)
    previous = "new"
    for stage, moment in transitions:
        entry("status_change", f"Statut : {STATUS_LABELS[previous]} → {STATUS_LABELS[stage]}.", moment)
        previous = stage
    for step, moment in filed.items():
        entry("filing", f"{context.step_labels.get(step, step)} déposé auprès de l'autorité.", moment)
    end = facts.get("closed_at") or now
    investigations = generator.randint(1 if facts.get("root_cause_category") == "undetermined" else 0, 3)
    for _index in range(investigations):
        entry("investigation", "Analyse des journaux du pare-feu et de l'EDR.", context.between(created, end))
    for _index in range(generator.randint(0, 2)):
        entry("note", "Point de situation avec la direction générale des services.", context.between(created, end))


def _history(
    chunk: Chunk, facts: dict[str, Any], transitions: list[tuple[str, datetime.datetime]], author: int
) -> None:
    """The rows django-simple-history writes: the declaration ('+'), then one per status change ('~'), the
    root cause arriving with the resolution."""
    cause_fields = {key: value for key, value in facts.items() if key.startswith(("root_cause", "undetermined"))}
    cause_fields.update({key: facts[key] for key in ("analysis_method", "attack_technique") if key in facts})
    declared = {key: value for key, value in facts.items() if key not in cause_fields}
    declared.update(status="new", contained_at=None, resolved_at=None, closed_at=None, updated_at=facts["created_at"])
    chunk.history.append(
        {**declared, "history_date": facts["created_at"], "history_type": "+", "history_user_id": author}
    )
    state = dict(declared)
    for stage, moment in transitions:
        state = {**state, "status": stage, "updated_at": moment}
        if stage != "investigating":
            state[f"{stage}_at"] = moment
        if stage == "resolved":
            state.update(cause_fields)
        chunk.history.append({**state, "history_date": moment, "history_type": "~", "history_user_id": author})
