"""The scoping rule (which NIS 2 status a local authority's kind and population suggest) and the legal
basis each status rests on, with the state of the French transposition at the last check."""

import dataclasses
import datetime
import json

import pytest
from django.utils import translation

from nis2.entity_status import (
    EntityKind,
    MissingData,
    Nis2Status,
    RuleSource,
    ScopingRule,
    legal_basis,
    suggest_nis2_status,
    transposition_status,
)

ESSENTIAL, IMPORTANT, OUT, UNKNOWN = (
    Nis2Status.ESSENTIAL,
    Nis2Status.IMPORTANT,
    Nis2Status.NOT_IN_SCOPE,
    Nis2Status.UNKNOWN,
)
BILL, DESIGN = RuleSource.BILL, RuleSource.DESIGN_CHOICE


@pytest.mark.parametrize(
    ("kind", "population", "largest_member", "expected", "rule", "source"),
    [
        pytest.param(EntityKind.REGION, 5_000_000, None, ESSENTIAL, ScopingRule.REGION, BILL, id="region"),
        pytest.param(EntityKind.REGION, None, None, ESSENTIAL, ScopingRule.REGION, BILL, id="region-no-population"),
        pytest.param(
            EntityKind.DEPARTEMENT, 80_000, None, ESSENTIAL, ScopingRule.DEPARTEMENT, BILL, id="small-departement"
        ),
        pytest.param(EntityKind.METROPOLE, 500_000, None, ESSENTIAL, ScopingRule.METROPOLE, BILL, id="metropole"),
        pytest.param(
            EntityKind.COMMUNAUTE_URBAINE,
            200_000,
            None,
            ESSENTIAL,
            ScopingRule.METROPOLE,
            BILL,
            id="communaute-urbaine",
        ),
        pytest.param(
            EntityKind.COMMUNE, 30_001, None, ESSENTIAL, ScopingRule.COMMUNE_ABOVE_THRESHOLD, BILL, id="commune-30001"
        ),
        pytest.param(
            EntityKind.COMMUNE, 30_000, None, OUT, ScopingRule.COMMUNE_UP_TO_THRESHOLD, BILL, id="commune-at-30000-out"
        ),
        pytest.param(EntityKind.COMMUNE, 0, None, OUT, ScopingRule.COMMUNE_UP_TO_THRESHOLD, BILL, id="commune-zero"),
        pytest.param(
            EntityKind.COMMUNE, None, None, UNKNOWN, ScopingRule.COMMUNE_POPULATION_MISSING, DESIGN, id="commune-no-pop"
        ),
        pytest.param(
            EntityKind.COMMUNE,
            None,
            42_000,
            UNKNOWN,
            ScopingRule.COMMUNE_POPULATION_MISSING,
            DESIGN,
            id="commune-members",
        ),
        pytest.param(
            EntityKind.COMMUNAUTE_AGGLOMERATION,
            90_000,
            42_000,
            ESSENTIAL,
            ScopingRule.AGGLOMERATION_WITH_LARGE_COMMUNE,
            BILL,
            id="ca-with-large-commune",
        ),
        pytest.param(
            EntityKind.COMMUNAUTE_AGGLOMERATION,
            90_000,
            30_000,
            IMPORTANT,
            ScopingRule.AGGLOMERATION_WITHOUT_LARGE_COMMUNE,
            BILL,
            id="ca-largest-commune-at-30000",
        ),
        pytest.param(
            EntityKind.COMMUNAUTE_AGGLOMERATION,
            90_000,
            None,
            UNKNOWN,
            ScopingRule.AGGLOMERATION_MEMBERS_MISSING,
            DESIGN,
            id="ca-members-not-entered",
        ),
        pytest.param(
            EntityKind.COMMUNAUTE_AGGLOMERATION,
            250_000,
            None,
            UNKNOWN,
            ScopingRule.AGGLOMERATION_MEMBERS_MISSING,
            DESIGN,
            id="ca-own-population-does-not-decide",
        ),
        pytest.param(
            EntityKind.COMMUNAUTE_COMMUNES,
            60_000,
            35_000,
            IMPORTANT,
            ScopingRule.COMMUNAUTE_COMMUNES,
            BILL,
            id="communaute-de-communes",
        ),
        pytest.param(
            EntityKind.COMMUNAUTE_COMMUNES,
            None,
            None,
            IMPORTANT,
            ScopingRule.COMMUNAUTE_COMMUNES,
            BILL,
            id="cc-no-data",
        ),
        pytest.param(
            EntityKind.COLLECTIVITE_STATUT_PARTICULIER,
            1_400_000,
            None,
            ESSENTIAL,
            ScopingRule.STATUT_PARTICULIER,
            DESIGN,
            id="metropole-de-lyon",
        ),
        pytest.param(
            EntityKind.COLLECTIVITE_STATUT_PARTICULIER,
            None,
            None,
            ESSENTIAL,
            ScopingRule.STATUT_PARTICULIER,
            DESIGN,
            id="statut-particulier-no-population",
        ),
        pytest.param(EntityKind.SYNDICAT, 100_000, None, OUT, ScopingRule.OTHER_BODY, DESIGN, id="syndicat"),
        pytest.param(EntityKind.OTHER, None, None, OUT, ScopingRule.OTHER_BODY, DESIGN, id="other"),
    ],
)
def test_suggested_status(kind, population, largest_member, expected, rule, source) -> None:
    suggestion = suggest_nis2_status(kind=kind, population=population, largest_member_population=largest_member)

    assert (suggestion.status, suggestion.rule, suggestion.source) == (expected, rule, source)
    assert suggestion.reason
    assert suggestion.citation


@pytest.mark.parametrize(
    ("kind", "population", "largest_member", "missing", "possible"),
    [
        pytest.param(
            EntityKind.COMMUNE, None, None, (MissingData.POPULATION,), (ESSENTIAL, OUT), id="commune-population"
        ),
        pytest.param(
            EntityKind.COMMUNAUTE_AGGLOMERATION,
            90_000,
            None,
            (MissingData.MEMBER_COMMUNES,),
            (ESSENTIAL, IMPORTANT),
            id="agglomeration-members",
        ),
    ],
)
def test_an_unknown_suggestion_names_the_data_to_enter_and_what_it_can_lead_to(
    kind, population, largest_member, missing, possible
) -> None:
    suggestion = suggest_nis2_status(kind=kind, population=population, largest_member_population=largest_member)

    assert not suggestion.is_determined
    assert (suggestion.missing, suggestion.possible_statuses) == (missing, possible)
    assert all(suggestion.allows(status) for status in possible)
    assert not suggestion.allows(next(status for status in (IMPORTANT, OUT) if status not in possible))


def test_a_determined_suggestion_allows_only_its_status() -> None:
    suggestion = suggest_nis2_status(kind=EntityKind.COMMUNE, population=45_000, largest_member_population=None)

    assert suggestion.is_determined
    assert (suggestion.missing, suggestion.possible_statuses) == ((), (ESSENTIAL,))
    assert suggestion.allows(ESSENTIAL)
    assert not suggestion.allows(IMPORTANT)


@pytest.mark.parametrize(
    ("kind", "population", "largest_member", "french"),
    [
        pytest.param(
            EntityKind.COMMUNE,
            None,
            None,
            "À déterminer : saisissez la population légale (INSEE) de la commune",
            id="commune",
        ),
        pytest.param(
            EntityKind.COMMUNAUTE_AGGLOMERATION,
            90_000,
            None,
            "À déterminer : saisissez les communes membres de la communauté d'agglomération",
            id="agglomeration",
        ),
        pytest.param(
            EntityKind.COMMUNE,
            45_000,
            None,
            "les communes de plus de 30\N{NO-BREAK SPACE}000 habitants sont des entités essentielles",
            id="commune-above",
        ),
        pytest.param(
            EntityKind.REGION,
            None,
            None,
            "le projet de loi classe toutes les régions parmi les entités essentielles",
            id="region",
        ),
    ],
)
def test_the_explanation_is_translated(french_catalogue, kind, population, largest_member, french) -> None:
    suggestion = suggest_nis2_status(kind=kind, population=population, largest_member_population=largest_member)

    with translation.override("fr"):
        assert french in suggestion.explanation()


def test_the_region_rule_cites_the_risk_based_assessment_of_the_directive_and_the_bill() -> None:
    suggestion = suggest_nis2_status(kind=EntityKind.REGION, population=None, largest_member_population=None)

    assert "Art. 2(2)(f)(ii)" in suggestion.citation
    assert "risk-based assessment" in suggestion.citation
    assert "projet de loi" in suggestion.citation


# --- Transposition status and legal basis ----------------------------------------------------------


def test_the_shipped_transposition_status_is_the_last_check_of_the_reference() -> None:
    status = transposition_status()

    assert status.last_checked == datetime.date(2026, 11, 30)
    assert not status.promulgated
    assert status.short_title == "projet de loi « résilience »"
    assert "n° 1779" in status.last_confirmed_stage
    assert all(source.startswith("https://") for source in status.sources)


@pytest.mark.parametrize(
    ("kind", "rests_on_bill", "source", "reference"),
    [
        pytest.param(EntityKind.REGION, True, BILL, "Directive (EU) 2022/2555, Art. 2(2)(f)(ii)", id="region"),
        pytest.param(EntityKind.DEPARTEMENT, True, BILL, "avis n° 408329", id="departement"),
        pytest.param(EntityKind.COMMUNE, True, BILL, "Art. 2(5)(a)", id="commune"),
        pytest.param(EntityKind.METROPOLE, True, BILL, "projet de loi « résilience »", id="metropole"),
        pytest.param(EntityKind.COMMUNAUTE_URBAINE, True, BILL, "projet de loi « résilience »", id="cu"),
        pytest.param(EntityKind.COMMUNAUTE_AGGLOMERATION, True, BILL, "amendment n° 82", id="agglomeration"),
        pytest.param(EntityKind.COMMUNAUTE_COMMUNES, True, BILL, "art. 9, al. 5", id="communes"),
        pytest.param(EntityKind.COLLECTIVITE_STATUT_PARTICULIER, True, DESIGN, "Rempart design choice", id="lyon"),
        pytest.param(EntityKind.SYNDICAT, False, DESIGN, "Annexes I and II", id="syndicat"),
        pytest.param(EntityKind.OTHER, False, DESIGN, "Annexes I and II", id="other"),
    ],
)
def test_legal_basis_of_each_kind(kind, rests_on_bill, source, reference) -> None:
    basis = legal_basis(kind)

    assert (basis.kind, basis.rests_on_bill, basis.source) == (kind, rests_on_bill, source)
    assert basis.last_checked == datetime.date(2026, 11, 30)
    assert any(reference in text for text in basis.references), basis.references
    assert basis.explanation


def test_a_basis_resting_on_the_bill_says_so_with_the_date_of_the_last_check(french_catalogue) -> None:
    with translation.override("en"):
        english = legal_basis(EntityKind.COMMUNE).explanation
    with translation.override("fr"):
        french = legal_basis(EntityKind.COMMUNE).explanation

    assert "This status follows the French transposition bill (projet de loi « résilience »" in english
    assert "not yet promulgated at the last check on 30 November 2026; it may change." in english
    assert "Ce statut suit le projet de loi de transposition (projet de loi « résilience »" in french
    assert "pas encore promulgué lors de la dernière vérification, le 30 novembre 2026 ; il peut changer." in french


def test_a_basis_not_resting_on_the_bill_does_not_claim_it() -> None:
    with translation.override("en"):
        basis = legal_basis(EntityKind.SYNDICAT)

    assert "not yet promulgated" not in basis.explanation
    assert "sector and size" in basis.explanation


def test_once_promulgated_the_basis_no_longer_warns(french_catalogue) -> None:
    promulgated = dataclasses.replace(transposition_status(), promulgated=True)

    with translation.override("en"):
        basis = legal_basis(EntityKind.COMMUNE, transposition=promulgated)

    assert basis.rests_on_bill
    assert basis.bill_promulgated
    assert "not yet promulgated" not in basis.explanation
    assert "French transposition law" in basis.explanation


def test_legal_basis_is_json_friendly() -> None:
    with translation.override("en"):
        data = legal_basis(EntityKind.COMMUNAUTE_AGGLOMERATION).as_dict()

    assert json.loads(json.dumps(data)) == data
    assert data["kind"] == "communaute_agglomeration"
    assert data["source"] == "bill"
    assert data["rests_on_bill"] is True
    assert data["bill_promulgated"] is False
    assert data["last_checked"] == "2026-11-30"
    assert data["bill"] == "projet de loi « résilience »"
    assert "not yet promulgated" in data["explanation"]
    assert isinstance(data["references"], list)
    assert data["sources"]
