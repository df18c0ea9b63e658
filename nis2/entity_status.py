"""Which NIS 2 category a French local authority falls into.

Directive (EU) 2022/2555 Art. 2(2)(f) and 2(5)(a) let each Member State bring regional and
local public administration into scope; Art. 3 sorts entities into essential and important.
France goes beyond the minimum. The rule below follows the transposition bill
("projet de loi relatif à la résilience des infrastructures critiques et au renforcement
de la cybersécurité", Senate text of 12 March 2025 and National Assembly commission text
n° 1779 of 10 September 2025, art. 9), as summarised by the Conseil d'État (avis n° 408329,
6 June 2024) and Banque des Territoires:

- régions and all départements: essential entities;
- communes of more than 30,000 inhabitants: essential;
- métropoles and communautés urbaines: essential;
- communautés d'agglomération: essential when at least one member commune has more than
  30,000 inhabitants, important otherwise;
- communautés de communes: important;
- other communes, syndicats and other bodies: not in scope by this rule (a syndicat running
  water, waste water or energy may be caught by its sector: decide case by case).

The final law and its decrees were not promulgated when this was written, so the result is
only a suggestion: an organisation's status can be overridden with a justification.
"""

from dataclasses import dataclass
from enum import StrEnum

ESSENTIAL_COMMUNE_POPULATION_THRESHOLD = 30_000


class EntityKind(StrEnum):
    COMMUNE = "commune"
    COMMUNAUTE_COMMUNES = "communaute_communes"
    COMMUNAUTE_AGGLOMERATION = "communaute_agglomeration"
    COMMUNAUTE_URBAINE = "communaute_urbaine"
    METROPOLE = "metropole"
    DEPARTEMENT = "departement"
    REGION = "region"
    SYNDICAT = "syndicat"
    OTHER = "other"


class Nis2Status(StrEnum):
    ESSENTIAL = "essential"
    IMPORTANT = "important"
    NOT_IN_SCOPE = "not_in_scope"


@dataclass(frozen=True)
class StatusSuggestion:
    status: Nis2Status
    reason: str  # English, for logs and the API; templates translate via the status label


def suggest_nis2_status(
    *, kind: EntityKind, population: int | None, largest_member_population: int | None = None
) -> StatusSuggestion:
    """Suggest the NIS 2 status of a local authority from its kind and population."""
    threshold = ESSENTIAL_COMMUNE_POPULATION_THRESHOLD
    if kind in (EntityKind.REGION, EntityKind.DEPARTEMENT):
        return StatusSuggestion(Nis2Status.ESSENTIAL, "régions and départements are essential entities")
    if kind in (EntityKind.METROPOLE, EntityKind.COMMUNAUTE_URBAINE):
        return StatusSuggestion(Nis2Status.ESSENTIAL, "métropoles and communautés urbaines are essential entities")
    if kind is EntityKind.COMMUNE:
        if population is not None and population > threshold:
            return StatusSuggestion(
                Nis2Status.ESSENTIAL, f"communes of more than {threshold} inhabitants are essential entities"
            )
        return StatusSuggestion(
            Nis2Status.NOT_IN_SCOPE, f"communes of {threshold} inhabitants or fewer are not in scope"
        )
    if kind is EntityKind.COMMUNAUTE_AGGLOMERATION:
        if largest_member_population is not None and largest_member_population > threshold:
            return StatusSuggestion(
                Nis2Status.ESSENTIAL,
                f"a communauté d'agglomération with a member commune above {threshold} inhabitants "
                "is an essential entity",
            )
        return StatusSuggestion(
            Nis2Status.IMPORTANT,
            f"a communauté d'agglomération with no member commune above {threshold} inhabitants is an important entity",
        )
    if kind is EntityKind.COMMUNAUTE_COMMUNES:
        return StatusSuggestion(Nis2Status.IMPORTANT, "communautés de communes are important entities")
    return StatusSuggestion(Nis2Status.NOT_IN_SCOPE, "syndicats and other bodies are not in scope by kind alone")
