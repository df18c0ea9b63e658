"""Exposure, lock-in, dependency score and class of an information-system component, as pure functions.

D = round(100 × C × E × L / 64) with C (criticality) 1–4, E (exposure to extra-European decisions) 0–4
and L (lock-in) 1–4; five classes; two non-compensation rules. See docs/dependency-score.md for the
rationale. Exposure comes from the component's chain as deployed: who publishes the software, who
operates the service, who hosts it, where the data lives, and which extraterritorial laws reach them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# EU member states (ISO 3166-1 alpha-2); the EEA and Switzerland are treated as outside the EU here.
EU_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)


class Law(StrEnum):
    US_CLOUD_ACT = "US_CLOUD_ACT"  # Clarifying Lawful Overseas Use of Data Act (2018)
    US_FISA_702 = "US_FISA_702"  # Foreign Intelligence Surveillance Act, section 702
    CN_NIL_2017 = "CN_NIL_2017"  # National Intelligence Law of the PRC (2017), art. 7


# How a reader names each law (the codes above are identifiers, never shown).
LAW_LABELS = {
    Law.US_CLOUD_ACT: gettext_lazy("US CLOUD Act (2018)"),
    Law.US_FISA_702: gettext_lazy("US FISA, section 702"),
    Law.CN_NIL_2017: gettext_lazy("Chinese National Intelligence Law (2017)"),
}

LAWS_BY_COUNTRY = {"US": (Law.US_CLOUD_ACT, Law.US_FISA_702), "CN": (Law.CN_NIL_2017,)}

SENSITIVITY_LEVEL = {"public": 1, "internal": 2, "personal": 3, "sensitive": 4, "particular": 4}
SERVICE_DEPLOYMENTS = frozenset({"vendor_saas", "public_cloud"})
CLASS_UPPER_BOUNDS = ((1, 10), (2, 25), (3, 45), (4, 65), (5, 100))
LEGAL_OBLIGATION_MINIMUM_CRITICALITY = 3


def is_eu(country: str | None) -> bool:
    return bool(country) and (country or "").upper() in EU_COUNTRIES


@dataclass(frozen=True)
class Party:
    """A legal entity in the chain: its own head-office country and its ultimate parent's."""

    name: str
    country: str
    ultimate_country: str

    @property
    def controlled_outside_eu(self) -> bool:
        """An unknown country is not taken as evidence of exposure."""
        return bool(self.ultimate_country) and not is_eu(self.ultimate_country)


@dataclass(frozen=True)
class Chain:
    deployment: str  # on_premises, eu_private_hosting, vendor_saas, public_cloud, hybrid
    open_source: bool
    publisher: Party | None
    operator: Party | None
    host: Party | None
    data_country: str
    secnumcloud: bool = False  # a valid SecNumCloud qualification of the operated offer


@dataclass(frozen=True)
class Exposure:
    level: int  # 0..4
    laws: tuple[Law, ...]
    reasons: tuple[str, ...]


def _laws(parties: list[Party | None]) -> tuple[Law, ...]:
    found: list[Law] = []
    for party in parties:
        if party is None:
            continue
        for country in dict.fromkeys((party.country.upper(), party.ultimate_country.upper())):
            for law in LAWS_BY_COUNTRY.get(country, ()):
                if law not in found:
                    found.append(law)
    return tuple(found)


def _exposure_of_operation(
    chain: Chain, operator: Party | None, *, runs_service: bool, laws: tuple[Law, ...]
) -> Exposure | None:
    """Who operates or hosts the service, when that alone decides the level (3 or 4); None otherwise."""
    if operator is not None and runs_service and not chain.secnumcloud:
        if operator.country and not is_eu(operator.country):
            return Exposure(
                4,
                laws,
                (
                    _("service operated by %(name)s (%(country)s)")
                    % {"name": operator.name, "country": operator.country},
                ),
            )
        if operator.controlled_outside_eu:
            return Exposure(
                3,
                laws,
                (
                    _("operator %(name)s is controlled from %(country)s")
                    % {"name": operator.name, "country": operator.ultimate_country},
                ),
            )
    if chain.host is not None and chain.host.controlled_outside_eu and not chain.secnumcloud:
        return Exposure(
            3,
            laws,
            (
                _("hosted by %(name)s, controlled from %(country)s")
                % {"name": chain.host.name, "country": chain.host.ultimate_country},
            ),
        )
    return None


def derive_exposure(chain: Chain) -> Exposure:
    """Exposure level 0–4 of the component as deployed (dependencies.md §2.4)."""
    operator = chain.operator or chain.host or (chain.publisher if chain.deployment in SERVICE_DEPLOYMENTS else None)
    runs_service = chain.deployment in SERVICE_DEPLOYMENTS or chain.deployment == "hybrid"
    laws = _laws(
        [chain.publisher, chain.operator, chain.host]
        if not chain.open_source or runs_service
        else [chain.operator, chain.host]
    )
    if chain.data_country and not is_eu(chain.data_country):
        return Exposure(4, laws, (_("data stored outside the EU (%(country)s)") % {"country": chain.data_country},))
    operated = _exposure_of_operation(chain, operator, runs_service=runs_service, laws=laws)
    if operated is not None:
        return operated
    publisher = chain.publisher
    if chain.open_source:
        if runs_service and operator is not None and operator.controlled_outside_eu:
            return Exposure(3, laws, (_("open-source software operated from outside the EU"),))
        return Exposure(0, (), (_("open-source software run by the organisation or an EU-controlled operator"),))
    if publisher is not None and publisher.controlled_outside_eu:
        if runs_service or chain.secnumcloud:
            return Exposure(
                2,
                laws,
                (
                    _("EU-operated offer built on technology licensed from %(country)s")
                    % {"country": publisher.ultimate_country},
                ),
            )
        return Exposure(
            3,
            laws,
            (
                _("software controlled from %(country)s: licences, updates, support")
                % {"country": publisher.ultimate_country},
            ),
        )
    return Exposure(1, (), (_("EU publisher and EU hosting"),))


@dataclass(frozen=True)
class LockInAnswers:
    full_export_open_formats: bool
    open_standards_apis: bool
    alternative_exists: bool
    dependent_components: int
    reversibility: bool  # reversibility clause or tested exit plan

    DEPENDENT_COMPONENTS_THRESHOLD = 3

    def unfavourable(self) -> int:
        return sum(
            (
                not self.full_export_open_formats,
                not self.open_standards_apis,
                not self.alternative_exists,
                self.dependent_components >= self.DEPENDENT_COMPONENTS_THRESHOLD,
                not self.reversibility,
            )
        )


def lock_in(answers: LockInAnswers) -> int:
    """L = 1 + round(3 × share of unfavourable answers), half rounded up: 1 to 4."""
    share = Decimal(answers.unfavourable()) / 5
    return 1 + int((3 * share).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def criticality(*, continuity: int, sensitivity: str, legal_obligation: bool) -> int:
    """C = max(continuity impact, data sensitivity); at least 3 for legal obligations
    (état civil, elections, payroll)."""
    level = max(continuity, SENSITIVITY_LEVEL.get(sensitivity, 1))
    if legal_obligation:
        level = max(level, LEGAL_OBLIGATION_MINIMUM_CRITICALITY)
    return min(level, 4)


@dataclass(frozen=True)
class DependencyScore:
    criticality: int
    exposure: int
    lock_in: int
    score: int  # 0..100
    dependency_class: int  # 1..5
    strategic_gap: bool
    forced_class: bool  # class 5 forced by the sensitive-data rule


def dependency_score(
    *, criticality: int, exposure: int, lock_in: int, sensitivity: str, alternative_exists: bool
) -> DependencyScore:
    raw = criticality * exposure * lock_in
    score = int((Decimal(100 * raw) / 64).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    dependency_class = next(number for number, upper in CLASS_UPPER_BOUNDS if score <= upper)
    forced = exposure >= 3 and sensitivity == "particular" and dependency_class < 5
    return DependencyScore(
        criticality=criticality,
        exposure=exposure,
        lock_in=lock_in,
        score=score,
        dependency_class=5 if forced else dependency_class,
        strategic_gap=exposure >= 3 and not alternative_exists,
        forced_class=forced,
    )
