"""Shared helpers."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

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
