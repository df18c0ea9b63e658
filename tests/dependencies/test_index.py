"""The dependency index of an organisation, per domain and overall, and its decision windows, as pure
functions over hand-built records."""

import datetime
import itertools
from decimal import Decimal

import pytest

from dependencies.indexing import ComponentRecord, DependencyIndex, add_months, decision_windows, index, index_by_domain

RECORD_IDS = itertools.count(1)


def record(
    name: str,
    *,
    domain: str = "D02",
    cost: str = "0",
    score: int = 0,
    exposure: int = 0,
    criticality: int = 2,
    open_source: bool = False,
    vendor: str = "Microsoft",
    contract_end: datetime.date | None = None,
) -> ComponentRecord:
    return ComponentRecord(
        component_id=next(RECORD_IDS),
        name=name,
        domain=domain,
        annual_cost_eur=Decimal(cost),
        score=score,
        exposure=exposure,
        criticality=criticality,
        open_source=open_source,
        ultimate_vendor=vendor,
        contract_end=contract_end,
    )


# Spend 100 000 €: Microsoft 70 000 (70 %), Berger-Levrault 30 000 (30 %), Keycloak 0.
RECORDS = [
    record("Messagerie", domain="D02", cost="10000", score=50, exposure=4, criticality=4),
    record("Bureautique", domain="D02", cost="30000", score=10, exposure=1, vendor="Berger-Levrault"),
    record("Annuaire", domain="D04", cost="0", score=0, exposure=0, criticality=3, open_source=True, vendor="Keycloak"),
    record("Finances", domain="D09", cost="60000", score=75, exposure=3, criticality=4),
]


def test_the_index_is_the_spend_weighted_mean_with_the_financial_view() -> None:
    result = index(RECORDS)

    # (10 000 × 50 + 30 000 × 10 + 0 × 0 + 60 000 × 75) / 100 000 = 53; HHI = 70² + 30² + 0² = 5 800
    assert result == DependencyIndex(
        components=4,
        dependency_index=Decimal("53.0"),
        total_spend_eur=Decimal(100_000),
        exposed_spend_eur=Decimal(70_000),
        exposed_spend_share=Decimal("70.0"),
        open_source_share=Decimal("25.0"),
        supplier_concentration=Decimal(5800),
        top_supplier="Microsoft",
        top_supplier_share=Decimal("70.0"),
    )


def test_the_index_per_domain() -> None:
    result = index_by_domain(RECORDS)

    assert list(result) == ["D02", "D04", "D09"]
    # D02: (10 000 × 50 + 30 000 × 10) / 40 000 = 20; Microsoft 25 %, Berger-Levrault 75 %: HHI 625 + 5 625
    assert result["D02"] == DependencyIndex(
        components=2,
        dependency_index=Decimal("20.0"),
        total_spend_eur=Decimal(40_000),
        exposed_spend_eur=Decimal(10_000),
        exposed_spend_share=Decimal("25.0"),
        open_source_share=Decimal("0.0"),
        supplier_concentration=Decimal(6250),
        top_supplier="Berger-Levrault",
        top_supplier_share=Decimal("75.0"),
    )
    # D04 has no spend: a simple mean, and no financial view
    assert result["D04"] == DependencyIndex(
        1, Decimal("0.0"), Decimal(0), Decimal(0), None, Decimal("100.0"), None, None, None
    )
    assert (
        result["D09"].dependency_index,
        result["D09"].exposed_spend_share,
        result["D09"].supplier_concentration,
    ) == (
        Decimal("75.0"),
        Decimal("100.0"),
        Decimal(10_000),
    )


def test_without_spend_every_component_weighs_the_same() -> None:
    records = [record("A", score=10), record("B", score=10), record("C", score=11, open_source=True)]

    result = index(records)

    # 31 / 3 = 10.33…
    assert result == DependencyIndex(
        components=3,
        dependency_index=Decimal("10.3"),
        total_spend_eur=Decimal(0),
        exposed_spend_eur=Decimal(0),
        exposed_spend_share=None,
        open_source_share=Decimal("33.3"),
        supplier_concentration=None,
        top_supplier=None,
        top_supplier_share=None,
    )


def test_the_index_of_nothing_is_empty() -> None:
    assert index([]) == DependencyIndex(0, None, Decimal(0), Decimal(0), None, None, None, None, None)
    assert index_by_domain([]) == {}


def test_the_mean_rounds_half_up_to_one_decimal() -> None:
    # (1 × 10 + 3 × 11) / 4 = 10.75 → 10.8
    result = index([record("A", cost="1", score=10), record("B", cost="3", score=11)])

    assert result.dependency_index == Decimal("10.8")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(datetime.date(2026, 1, 15), 18, datetime.date(2027, 7, 15), id="mid-month"),
        pytest.param(datetime.date(2026, 3, 31), 18, datetime.date(2027, 9, 30), id="31st into a 30-day month"),
        pytest.param(datetime.date(2026, 8, 31), 18, datetime.date(2028, 2, 29), id="into February of a leap year"),
        pytest.param(datetime.date(2027, 8, 31), 18, datetime.date(2029, 2, 28), id="into February of a common year"),
        pytest.param(datetime.date(2026, 7, 1), 18, datetime.date(2028, 1, 1), id="across two year ends"),
        pytest.param(datetime.date(2026, 12, 31), 1, datetime.date(2027, 1, 31), id="December to January"),
    ],
)
def test_adding_months_clamps_to_the_end_of_the_month(day: datetime.date, months: int, expected: datetime.date) -> None:
    assert add_months(day, months) == expected


def test_decision_windows_are_exposed_critical_contracts_ending_within_18_months() -> None:
    today = datetime.date(2026, 3, 31)  # horizon: 30 September 2027
    records = [
        record("Fin de l'horizon", exposure=3, criticality=3, contract_end=datetime.date(2027, 9, 30)),
        record("Après l'horizon", exposure=4, criticality=4, contract_end=datetime.date(2027, 10, 1)),
        record("Aujourd'hui", exposure=4, criticality=3, contract_end=datetime.date(2026, 3, 31)),
        record("Hier", exposure=4, criticality=4, contract_end=datetime.date(2026, 3, 30)),
        record("Peu exposé", exposure=2, criticality=4, contract_end=datetime.date(2026, 6, 1)),
        record("Peu critique", exposure=4, criticality=2, contract_end=datetime.date(2026, 6, 1)),
        record("Sans date", exposure=4, criticality=4, contract_end=None),
        record("Dans un an", exposure=4, criticality=4, contract_end=datetime.date(2027, 3, 31)),
    ]

    windows = decision_windows(records, today=today)

    assert [window.name for window in windows] == ["Aujourd'hui", "Dans un an", "Fin de l'horizon"]
