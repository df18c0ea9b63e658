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
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.dateformat import format as format_date
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# "plus de 30 000 habitants": strictly more than (bill, as quoted in the Conseil d'État's opinion and the
# amendments listed in nis2/data/transposition.yaml).
ESSENTIAL_COMMUNE_POPULATION_THRESHOLD = 30_000

TRANSPOSITION_FILE = Path(__file__).resolve().parent / "data" / "transposition.yaml"


class EntityKind(StrEnum):
    COMMUNE = "commune"
    COMMUNAUTE_COMMUNES = "communaute_communes"
    COMMUNAUTE_AGGLOMERATION = "communaute_agglomeration"
    COMMUNAUTE_URBAINE = "communaute_urbaine"
    METROPOLE = "metropole"
    DEPARTEMENT = "departement"
    REGION = "region"
    # Not an EPCI: the Métropole de Lyon, the Ville de Paris, the Collectivité de Corse, the collectivités
    # territoriales de Guyane et de Martinique, Mayotte... (Constitution, Art. 72 and 73).
    COLLECTIVITE_STATUT_PARTICULIER = "collectivite_statut_particulier"
    SYNDICAT = "syndicat"
    OTHER = "other"


class Nis2Status(StrEnum):
    ESSENTIAL = "essential"
    IMPORTANT = "important"
    NOT_IN_SCOPE = "not_in_scope"
    # A suggestion only, never stored: the data the rule needs is missing ("enter it to decide").
    UNKNOWN = "unknown"


STATUSES_BY_DEMAND = (Nis2Status.ESSENTIAL, Nis2Status.IMPORTANT, Nis2Status.NOT_IN_SCOPE)


class RuleSource(StrEnum):
    DIRECTIVE = "directive"
    BILL = "bill"  # the French transposition bill: see ``TranspositionStatus.promulgated``
    DESIGN_CHOICE = "design_choice"


class MissingData(StrEnum):
    """What to enter for an undetermined suggestion to become a status."""

    POPULATION = "population"
    MEMBER_COMMUNES = "member_communes"


class ScopingRule(StrEnum):
    REGION = "region"
    DEPARTEMENT = "departement"
    METROPOLE = "metropole_or_communaute_urbaine"
    COMMUNE_ABOVE_THRESHOLD = "commune_above_threshold"
    COMMUNE_UP_TO_THRESHOLD = "commune_up_to_threshold"
    COMMUNE_POPULATION_MISSING = "commune_population_missing"
    AGGLOMERATION_WITH_LARGE_COMMUNE = "agglomeration_with_large_commune"
    AGGLOMERATION_WITHOUT_LARGE_COMMUNE = "agglomeration_without_large_commune"
    AGGLOMERATION_MEMBERS_MISSING = "agglomeration_members_missing"
    COMMUNAUTE_COMMUNES = "communaute_communes"
    STATUT_PARTICULIER = "statut_particulier"
    OTHER_BODY = "other_body"


BILL_ESSENTIAL_LIST = "projet de loi « résilience », list of essential entities (Senate text of 12 March 2025)"


@dataclass(frozen=True)
class Rule:
    """One line of the scoping table: the status it gives, where it comes from, and how to say it."""

    status: Nis2Status
    source: RuleSource
    citation: str  # the texts, as references (not translated)
    reason: str  # English, for logs; ``{threshold}`` stands for the population threshold
    explanation: Promise  # the same for a reader; ``%(threshold)s`` likewise
    missing: tuple[MissingData, ...] = ()
    possible_statuses: tuple[Nis2Status, ...] = ()


RULES: dict[ScopingRule, Rule] = {
    ScopingRule.REGION: Rule(
        Nis2Status.ESSENTIAL,
        RuleSource.BILL,
        "Directive (EU) 2022/2555, Art. 2(2)(f)(ii): regional public administration is in scope following a "
        "risk-based assessment by the Member State; the French bill (projet de loi « résilience », list of "
        "essential entities) lists every région as essential, beyond the Directive's minimum (Conseil d'État, "
        "avis n° 408329)",
        "the bill lists every région as an essential entity",
        _(
            "under the Directive, regional public administration is in scope following a risk-based assessment "
            "by the State (Art. 2(2)(f)(ii)); the bill lists every région as an essential entity"
        ),
    ),
    ScopingRule.DEPARTEMENT: Rule(
        Nis2Status.ESSENTIAL,
        RuleSource.BILL,
        f"{BILL_ESSENTIAL_LIST}: all départements, beyond the Directive's minimum (Conseil d'État, avis n° 408329)",
        "the bill lists every département as an essential entity, whatever its population",
        _("the bill lists every département as an essential entity, whatever its population"),
    ),
    ScopingRule.METROPOLE: Rule(
        Nis2Status.ESSENTIAL,
        RuleSource.BILL,
        f"{BILL_ESSENTIAL_LIST}: métropoles and communautés urbaines (secondary sources only)",
        "métropoles and communautés urbaines are essential entities",
        _("the bill lists métropoles and communautés urbaines as essential entities"),
    ),
    ScopingRule.COMMUNE_ABOVE_THRESHOLD: Rule(
        Nis2Status.ESSENTIAL,
        RuleSource.BILL,
        f"{BILL_ESSENTIAL_LIST}: communes of more than 30,000 inhabitants, under the option of Directive (EU) "
        "2022/2555, Art. 2(5)(a) (local public administration)",
        "communes of more than {threshold} inhabitants are essential entities",
        _("communes of more than %(threshold)s inhabitants are essential entities"),
    ),
    ScopingRule.COMMUNE_UP_TO_THRESHOLD: Rule(
        Nis2Status.NOT_IN_SCOPE,
        RuleSource.BILL,
        "projet de loi « résilience »: communes of 30,000 inhabitants or fewer are not listed; Directive (EU) "
        "2022/2555, Art. 2(5)(a) leaves local public administration to the Member State",
        "communes of {threshold} inhabitants or fewer are not in scope of the bill",
        _("communes of %(threshold)s inhabitants or fewer are not in scope of the bill"),
    ),
    ScopingRule.COMMUNE_POPULATION_MISSING: Rule(
        Nis2Status.UNKNOWN,
        RuleSource.DESIGN_CHOICE,
        "Rempart design choice: the bill's threshold (more than 30,000 inhabitants) needs the population",
        "the commune's population is not entered",
        _(
            "To be determined: enter the commune's legal population (INSEE). A commune of more than "
            "%(threshold)s inhabitants is an essential entity; a smaller one is not in scope of the bill."
        ),
        missing=(MissingData.POPULATION,),
        possible_statuses=(Nis2Status.ESSENTIAL, Nis2Status.NOT_IN_SCOPE),
    ),
    ScopingRule.AGGLOMERATION_WITH_LARGE_COMMUNE: Rule(
        Nis2Status.ESSENTIAL,
        RuleSource.BILL,
        f"{BILL_ESSENTIAL_LIST}: communautés d'agglomération including at least one commune of more than 30,000 "
        "inhabitants (condition added by Senate amendment n° 82; National Assembly amendment CS150 sought to "
        "remove it)",
        "a communauté d'agglomération with a member commune above {threshold} inhabitants is an essential entity",
        _(
            "a communauté d'agglomération with a member commune of more than %(threshold)s inhabitants is an "
            "essential entity"
        ),
    ),
    ScopingRule.AGGLOMERATION_WITHOUT_LARGE_COMMUNE: Rule(
        Nis2Status.IMPORTANT,
        RuleSource.BILL,
        "projet de loi « résilience », list of important entities: communautés d'agglomération without a commune "
        "of more than 30,000 inhabitants (secondary sources only)",
        "a communauté d'agglomération with no member commune above {threshold} inhabitants is an important entity",
        _(
            "a communauté d'agglomération with no member commune of more than %(threshold)s inhabitants is an "
            "important entity"
        ),
    ),
    ScopingRule.AGGLOMERATION_MEMBERS_MISSING: Rule(
        Nis2Status.UNKNOWN,
        RuleSource.DESIGN_CHOICE,
        "Rempart design choice: the bill's condition (a member commune of more than 30,000 inhabitants) needs "
        "the member communes' population; the agglomeration's own population does not decide",
        "the member communes of the communauté d'agglomération are not entered",
        _(
            "To be determined: enter the member communes of the communauté d'agglomération with their "
            "population, each attached to it in Rempart. It is an essential entity if one of them has more than "
            "%(threshold)s inhabitants, an important entity otherwise."
        ),
        missing=(MissingData.MEMBER_COMMUNES,),
        possible_statuses=(Nis2Status.ESSENTIAL, Nis2Status.IMPORTANT),
    ),
    ScopingRule.COMMUNAUTE_COMMUNES: Rule(
        Nis2Status.IMPORTANT,
        RuleSource.BILL,
        "projet de loi « résilience », art. 9, al. 5 (important entities): communautés de communes, whatever their "
        "population (amendments CS104/CS105 to set a threshold were tabled)",
        "communautés de communes are important entities",
        _("the bill lists communautés de communes as important entities, whatever their population"),
    ),
    ScopingRule.STATUT_PARTICULIER: Rule(
        Nis2Status.ESSENTIAL,
        RuleSource.DESIGN_CHOICE,
        "Rempart design choice: the sources checked (bill as summarised, Conseil d'État avis n° 408329) do not "
        "name the collectivités à statut particulier; each exercises the competences of a région, a département "
        "or a commune of more than 30,000 inhabitants, which the projet de loi « résilience » lists as essential "
        "entities, so Rempart suggests essential until the final law says otherwise",
        "a collectivité à statut particulier exercises the competences of kinds the bill lists as essential",
        _(
            "the sources Rempart relies on do not name the collectivités à statut particulier; as each exercises "
            "the competences of a région, a département or a large commune, which the bill lists as essential "
            "entities, Rempart suggests essential"
        ),
    ),
    ScopingRule.OTHER_BODY: Rule(
        Nis2Status.NOT_IN_SCOPE,
        RuleSource.DESIGN_CHOICE,
        "Rempart design choice: no status from the kind alone; a syndicat or another public body is in scope "
        "through its sector and size (Directive (EU) 2022/2555, Art. 2(1) and Annexes I and II: water, waste "
        "water, energy...), to be decided case by case",
        "syndicats and other bodies are not in scope by kind alone",
        _(
            "syndicats and other bodies are not in scope by their kind alone: their sector and size decide "
            "(water, waste water, energy…)"
        ),
    ),
}


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


def _scoping_rule(*, kind: EntityKind, population: int | None, largest_member_population: int | None) -> ScopingRule:
    threshold = ESSENTIAL_COMMUNE_POPULATION_THRESHOLD
    match kind:
        case EntityKind.REGION:
            return ScopingRule.REGION
        case EntityKind.DEPARTEMENT:
            return ScopingRule.DEPARTEMENT
        case EntityKind.METROPOLE | EntityKind.COMMUNAUTE_URBAINE:
            return ScopingRule.METROPOLE
        case EntityKind.COMMUNE:
            if population is None:
                return ScopingRule.COMMUNE_POPULATION_MISSING
            if population > threshold:
                return ScopingRule.COMMUNE_ABOVE_THRESHOLD
            return ScopingRule.COMMUNE_UP_TO_THRESHOLD
        case EntityKind.COMMUNAUTE_AGGLOMERATION:
            if largest_member_population is None:
                return ScopingRule.AGGLOMERATION_MEMBERS_MISSING
            if largest_member_population > threshold:
                return ScopingRule.AGGLOMERATION_WITH_LARGE_COMMUNE
            return ScopingRule.AGGLOMERATION_WITHOUT_LARGE_COMMUNE
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
