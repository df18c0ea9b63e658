"""The scoping table of ``nis2.entity_status``: the kinds of authority, the statuses, and one rule per case
with the status it gives, its source and its wording. Data only; ``nis2.entity_status`` applies it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# "plus de 30 000 habitants": strictly more than (bill, as quoted in the Conseil d'État's opinion and the
# amendments listed in nis2/data/transposition.yaml).
ESSENTIAL_COMMUNE_POPULATION_THRESHOLD = 30_000


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
