"""Which NIS 2 category a French local authority falls into, and what that rests on.

Every rule below names its source, one of three:

- **directive**: Directive (EU) 2022/2555 (NIS 2) itself;
- **bill**: the French transposition bill, "projet de loi relatif à la résilience des infrastructures critiques
  et au renforcement de la cybersécurité" (projet de loi « résilience »): Senate text of 12 March 2025, National
  Assembly special-commission text n° 1779 of 10 September 2025. It was **not promulgated** at the last check
  (``nis2/data/transposition.yaml``: the date, the stage and the sources);
- **Rempart design choice**: where the sources are silent or the data needed is missing.

What the Directive asks of public administration:

- central government: in scope, essential (Art. 2(2)(f)(i), 3(1)(d));
- regional level: in scope when, following a risk-based assessment by the Member State, the entity provides
  services whose disruption could have a significant impact on critical societal or economic activities
  (Art. 2(2)(f)(ii)). Read on its own (Rempart's unverified reading), such an entity would be important, since
  Art. 3(1)(e) lets States designate as essential only entities under Art. 2(2)(b)-(e), not (f); States may go
  further (Art. 5);
- local level: a Member State *may* bring it in (Art. 2(5)(a)).

France goes further (Conseil d'État, avis n° 408329 of 6 June 2024, quoted in Senate amendment n° 82 and National
Assembly amendment CS105): the bill lists every région and every département as essential entities, and brings in
communes and groupings of communes of more than 30,000 inhabitants. The kinds it lists, as the researched
reference notes give them (their confidence in brackets: [V] primary text, [S] secondary sources only):

- régions, all départements, communes of more than 30,000 inhabitants: essential [S];
- métropoles and communautés urbaines: essential [S, press summaries only];
- communautés d'agglomération: essential when at least one member commune has more than 30,000 inhabitants
  (condition added by the Senate, Senate amendment n° 82; National Assembly amendment CS150 tried to remove it),
  important otherwise [S];
- communautés de communes: important (art. 9, al. 5; amendments CS104/CS105 to keep only those of 20,000 or 30,000
  inhabitants or more were tabled) [S].

The result is only a suggestion: an organisation's status can differ from it, with a justification.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.dateformat import format as format_date
from django.utils.formats import number_format
from django.utils.translation import gettext

from nis2.scoping_rules import (
    BILL_ESSENTIAL_LIST,
    ESSENTIAL_COMMUNE_POPULATION_THRESHOLD,
    RULES,
    STATUSES_BY_DEMAND,
    EntityKind,
    MissingData,
    Nis2Status,
    Rule,
    RuleSource,
    ScopingRule,
)

__all__ = [
    "BILL_ESSENTIAL_LIST",
    "ESSENTIAL_COMMUNE_POPULATION_THRESHOLD",
    "RULES",
    "STATUSES_BY_DEMAND",
    "EntityKind",
    "LegalBasis",
    "MissingData",
    "Nis2Status",
    "Rule",
    "RuleSource",
    "ScopingRule",
    "StatusSuggestion",
    "TranspositionStatus",
    "legal_basis",
    "suggest_nis2_status",
    "transposition_status",
    "transposition_status_from",
]

TRANSPOSITION_FILE = Path(__file__).resolve().parent / "data" / "transposition.yaml"


@dataclass(frozen=True)
class StatusSuggestion:
    status: Nis2Status
    rule: ScopingRule
    reason: str  # English, for logs; readers get ``explanation()``
    source: RuleSource
    citation: str
    missing: tuple[MissingData, ...] = ()
    possible_statuses: tuple[Nis2Status, ...] = ()

    @property
    def is_determined(self) -> bool:
        return self.status is not Nis2Status.UNKNOWN

    def allows(self, status: str) -> bool:
        """Whether ``status`` needs no justification: it is the suggestion, or one of the statuses the missing
        data could lead to."""
        return status in self.possible_statuses

    @property
    def provisional_status(self) -> Nis2Status:
        """The status to store while the suggestion is undetermined (the status field needs one): the most
        demanding of the statuses the missing data could lead to. Rempart design choice: by precaution, no
        obligation is missed while the data is being entered; the suggestion keeps saying "to be determined"."""
        if self.is_determined:
            return self.status
        return next(status for status in STATUSES_BY_DEMAND if status in self.possible_statuses)

    def explanation(self) -> str:
        """The rule in the active language: a clause after the status label when it is determined, whole
        sentences saying what to enter when it is not."""
        threshold = number_format(ESSENTIAL_COMMUNE_POPULATION_THRESHOLD, force_grouping=True)
        return str(RULES[self.rule].explanation) % {"threshold": threshold}


def _suggestion(rule_name: ScopingRule) -> StatusSuggestion:
    rule = RULES[rule_name]
    return StatusSuggestion(
        status=rule.status,
        rule=rule_name,
        reason=rule.reason.format(threshold=ESSENTIAL_COMMUNE_POPULATION_THRESHOLD),
        source=rule.source,
        citation=rule.citation,
        missing=rule.missing,
        possible_statuses=rule.possible_statuses if rule.missing else (rule.status,),
    )


@dataclass(frozen=True)
class _PopulationRules:
    """The rules a population decides between, compared with the essential-commune threshold."""

    missing: ScopingRule
    above: ScopingRule
    up_to: ScopingRule

    def rule(self, population: int | None) -> ScopingRule:
        if population is None:
            return self.missing
        return self.above if population > ESSENTIAL_COMMUNE_POPULATION_THRESHOLD else self.up_to


_COMMUNE_RULES = _PopulationRules(
    ScopingRule.COMMUNE_POPULATION_MISSING, ScopingRule.COMMUNE_ABOVE_THRESHOLD, ScopingRule.COMMUNE_UP_TO_THRESHOLD
)
# An agglomeration is decided by its largest member commune's population.
_AGGLOMERATION_RULES = _PopulationRules(
    ScopingRule.AGGLOMERATION_MEMBERS_MISSING,
    ScopingRule.AGGLOMERATION_WITH_LARGE_COMMUNE,
    ScopingRule.AGGLOMERATION_WITHOUT_LARGE_COMMUNE,
)


def _scoping_rule(*, kind: EntityKind, population: int | None, largest_member_population: int | None) -> ScopingRule:
    match kind:
        case EntityKind.REGION:
            return ScopingRule.REGION
        case EntityKind.DEPARTEMENT:
            return ScopingRule.DEPARTEMENT
        case EntityKind.METROPOLE | EntityKind.COMMUNAUTE_URBAINE:
            return ScopingRule.METROPOLE
        case EntityKind.COMMUNE:
            return _COMMUNE_RULES.rule(population)
        case EntityKind.COMMUNAUTE_AGGLOMERATION:
            return _AGGLOMERATION_RULES.rule(largest_member_population)
        case EntityKind.COMMUNAUTE_COMMUNES:
            return ScopingRule.COMMUNAUTE_COMMUNES
        case EntityKind.COLLECTIVITE_STATUT_PARTICULIER:
            return ScopingRule.STATUT_PARTICULIER
        case _:
            return ScopingRule.OTHER_BODY


def suggest_nis2_status(
    *, kind: EntityKind, population: int | None, largest_member_population: int | None = None
) -> StatusSuggestion:
    """Suggest the NIS 2 status of a local authority from its kind, its population and, for a communauté
    d'agglomération, the population of its largest member commune (None: not entered). Each outcome and its
    source: ``RULES``. ``Nis2Status.UNKNOWN`` means the data the rule needs is missing (``missing``)."""
    return _suggestion(
        _scoping_rule(kind=kind, population=population, largest_member_population=largest_member_population)
    )


# --- Transposition status and legal basis ----------------------------------------------------------------------


@dataclass(frozen=True)
class TranspositionStatus:
    """Where the French transposition stood at the last check (``nis2/data/transposition.yaml``)."""

    last_checked: datetime.date
    title: str
    short_title: str
    promulgated: bool
    last_confirmed_stage: str
    sources: tuple[str, ...]
    registration_authority: str
    registration_service: str
    registration_service_url: str
    registration_sources: tuple[str, ...] = field(default=())


def transposition_status_from(document: dict[str, Any]) -> TranspositionStatus:
    bill, registration = document["bill"], document["registration"]
    return TranspositionStatus(
        last_checked=document["last_checked"],
        title=bill["title"],
        short_title=bill["short_title"],
        promulgated=bool(bill["promulgated"]),
        last_confirmed_stage=bill["last_confirmed_stage"],
        sources=tuple(bill["sources"]),
        registration_authority=registration["authority"],
        registration_service=registration["service"],
        registration_service_url=registration["service_url"],
        registration_sources=tuple(registration["sources"]),
    )


@cache
def transposition_status() -> TranspositionStatus:
    """The shipped facts, read once."""
    return transposition_status_from(yaml.safe_load(TRANSPOSITION_FILE.read_text(encoding="utf-8")))


# The texts each kind's status rests on (every rule a kind can lead to), as references.
KIND_RULES: dict[EntityKind, tuple[ScopingRule, ...]] = {
    EntityKind.REGION: (ScopingRule.REGION,),
    EntityKind.DEPARTEMENT: (ScopingRule.DEPARTEMENT,),
    EntityKind.METROPOLE: (ScopingRule.METROPOLE,),
    EntityKind.COMMUNAUTE_URBAINE: (ScopingRule.METROPOLE,),
    EntityKind.COMMUNE: (ScopingRule.COMMUNE_ABOVE_THRESHOLD, ScopingRule.COMMUNE_UP_TO_THRESHOLD),
    EntityKind.COMMUNAUTE_AGGLOMERATION: (
        ScopingRule.AGGLOMERATION_WITH_LARGE_COMMUNE,
        ScopingRule.AGGLOMERATION_WITHOUT_LARGE_COMMUNE,
    ),
    EntityKind.COMMUNAUTE_COMMUNES: (ScopingRule.COMMUNAUTE_COMMUNES,),
    EntityKind.COLLECTIVITE_STATUT_PARTICULIER: (ScopingRule.STATUT_PARTICULIER,),
    EntityKind.SYNDICAT: (ScopingRule.OTHER_BODY,),
    EntityKind.OTHER: (ScopingRule.OTHER_BODY,),
}
# Kinds whose status, even as a Rempart design choice, is drawn from the bill's list (by analogy).
KINDS_DRAWN_FROM_THE_BILL = frozenset(KIND_RULES) - {EntityKind.SYNDICAT, EntityKind.OTHER}


@dataclass(frozen=True)
class LegalBasis:
    """What the NIS 2 status of a kind of organisation rests on, for pages, the API and reports.

    ``references``: the texts (article references, not translated); ``source``: the bill or a Rempart design
    choice; ``rests_on_bill``: the status follows the French transposition bill, ``bill_promulgated`` saying
    whether it had become law at ``last_checked``; ``explanation``: one sentence for a reader, in the language
    active when ``legal_basis`` was called."""

    kind: EntityKind
    references: tuple[str, ...]
    source: RuleSource
    rests_on_bill: bool
    bill: str
    bill_promulgated: bool
    last_checked: datetime.date
    explanation: str
    sources: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "references": list(self.references),
            "source": self.source.value,
            "rests_on_bill": self.rests_on_bill,
            "bill": self.bill,
            "bill_promulgated": self.bill_promulgated,
            "last_checked": self.last_checked.isoformat(),
            "explanation": self.explanation,
            "sources": list(self.sources),
        }


def _basis_explanation(*, kind: EntityKind, source: RuleSource, transposition: TranspositionStatus) -> str:
    checked = format_date(transposition.last_checked, "j F Y")
    bill = transposition.short_title
    if kind not in KINDS_DRAWN_FROM_THE_BILL:
        return str(
            gettext(
                "Rempart suggests no status from this kind alone: a syndicat or another public body is in scope of "
                "NIS 2 through its sector and size (Directive (EU) 2022/2555, Art. 2(1), Annexes I and II), to be "
                "decided case by case."
            )
        )
    if source is RuleSource.DESIGN_CHOICE:
        prefix = gettext(
            "The sources Rempart relies on do not name this kind of authority: the suggested status is a Rempart "
            "design choice, drawn from the kinds the French transposition bill lists."
        )
    else:
        prefix = ""
    if transposition.promulgated:
        sentence = gettext(
            "This status follows the French transposition law (%(bill)s, as promulgated); check it against the decrees."
        ) % {"bill": bill}
    else:
        sentence = gettext(
            "This status follows the French transposition bill (%(bill)s), not yet promulgated at the last "
            "check on %(date)s; it may change."
        ) % {"bill": bill, "date": checked}
    return f"{prefix} {sentence}".strip()


def legal_basis(kind: EntityKind | str, *, transposition: TranspositionStatus | None = None) -> LegalBasis:
    """The text the NIS 2 status of an organisation of this ``kind`` rests on, whether that is the French bill
    (not promulgated at the last check), and a sentence for a reader, e.g. "This status follows the French
    transposition bill (projet de loi « résilience »), not yet promulgated at the last check on 30 November
    2026; it may change." ``transposition`` defaults to the shipped facts (``nis2/data/transposition.yaml``)."""
    kind = EntityKind(kind)
    transposition = transposition or transposition_status()
    rules = [RULES[name] for name in KIND_RULES[kind]]
    source = RuleSource.DESIGN_CHOICE if any(r.source is RuleSource.DESIGN_CHOICE for r in rules) else RuleSource.BILL
    references = tuple(dict.fromkeys(rule.citation for rule in rules))
    return LegalBasis(
        kind=kind,
        references=references,
        source=source,
        rests_on_bill=kind in KINDS_DRAWN_FROM_THE_BILL,
        bill=transposition.short_title,
        bill_promulgated=transposition.promulgated,
        last_checked=transposition.last_checked,
        explanation=_basis_explanation(kind=kind, source=source, transposition=transposition),
        sources=transposition.sources,
    )
