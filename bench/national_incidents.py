"""The national data set's incidents, with what the incident services would have stored for each: the
obligations planned by the pure rules (incidents.deadlines, run again after each filing as
``incident_sync_obligations`` does), the filings, the timeline entries the services write (declaration,
verdicts, status changes, filings) plus investigation steps and notes, the corrective actions, the reminders
already sent, and the incident's history (one row per save: the declaration, then each status change).

Incidents are written in chunks, so that 70,000 of them never sit in memory at once.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

from bench.national_copy import copy_rows, next_id

CHUNK = 4_000
TITLES = (
    "Rançongiciel sur le serveur de fichiers",
    "Hameçonnage ciblé des élus",
    "Compromission d'un compte de messagerie",
    "Indisponibilité du portail citoyen",
    "Fuite de données de l'état civil",
    "Panne du logiciel de paie",
    "Déni de service sur le site de la collectivité",
    "Poste infecté à la médiathèque",
    "Perte d'un ordinateur portable",
    "Défaillance de l'hébergeur du logiciel financier",
)
CATEGORIES = (
    ("malicious-code", "infected-system"),
    ("malicious-code", "c2-server"),
    ("fraud", "phishing"),
    ("availability", "dos"),
    ("availability", "outage"),
    ("information-content-security", "unauthorised-information-access"),
    ("intrusions", "system-compromise"),
    ("intrusion-attempts", "brute-force"),
)
ROOT_CAUSES = (
    ("malicious_action", 35),
    ("human_error", 20),
    ("system_failure", 20),
    ("third_party_failure", 15),
    ("natural_phenomenon", 2),
    ("undetermined", 8),
)
STATUS_LABELS = {
    "new": "Nouveau",
    "investigating": "En cours d'analyse",
    "contained": "Contenu",
    "resolved": "Résolu",
    "closed": "Clos",
}
STAGES = ("investigating", "contained", "resolved", "closed")
STAGE_DELAYS_HOURS = {"investigating": (0.2, 12), "contained": (1, 96), "resolved": (2, 360), "closed": (24, 960)}


@dataclass
class RuleData:
    pk: int
    authority_id: int
    authority_name: str
    late_filing_needs_reason: bool
    rule: Any  # incidents.deadlines.Rule


@dataclass
class Chunk:
    incidents: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    obligations: list[dict[str, Any]] = field(default_factory=list)
    filings: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    reminders: list[dict[str, Any]] = field(default_factory=list)
    corrective_actions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Context:
    now: datetime.datetime
    generator: random.Random
    rules: dict[str, RuleData]
    step_labels: dict[str, str]
    ids: dict[str, int]

    def next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table] - 1

    def between(self, start: datetime.datetime, end: datetime.datetime) -> datetime.datetime:
        return start + (end - start) * self.generator.random()

    def hours(self, low: float, high: float) -> datetime.timedelta:
        return datetime.timedelta(hours=self.generator.uniform(low, high))


def generate(country: Any, scale: float, generator: random.Random) -> dict[str, int]:
    from bench.national_generate import INCIDENT_WEIGHT, METROPOLE_INCIDENTS, NATIONAL_INCIDENTS, SEED
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


# --- One incident -------------------------------------------------------------------------------------------


def _incident(context: Context, chunk: Chunk, org: Any, components: list[int]) -> None:
    generator = context.generator
    incident_id = context.next("incident")
    author = org.people["security_officer"]
    facts, transitions = _facts(context, org, components)
    facts["id"] = incident_id
    plans, filings = _plan(context, facts)
    obligation_ids = _obligations(context, chunk, facts, plans, filings, author)
    dues = {plan.step: (plan.due_at, context.rules[plan.rule_code]) for plan in plans}
    _filings(context, chunk, filings, obligation_ids, dues, author)
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


def _plan(context: Context, facts: dict[str, Any]) -> tuple[list[Any], dict[str, datetime.datetime]]:
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


def _obligations(
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


def _filings(
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
