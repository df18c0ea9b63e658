"""Aggregates of an organisation's dependency, per domain and overall: pure functions over plain records."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

EXPOSED = 3  # exposure level from which a component counts as exposed to extra-European decisions
CRITICAL = 3
DECISION_WINDOW_MONTHS = 18


@dataclass(frozen=True)
class ComponentRecord:
    component_id: int
    name: str
    domain: str
    annual_cost_eur: Decimal
    score: int
    exposure: int
    criticality: int
    open_source: bool
    ultimate_vendor: str
    contract_end: datetime.date | None
    strategy: str = ""


@dataclass(frozen=True)
class DependencyIndex:
    components: int
    dependency_index: Decimal | None  # spend-weighted mean score, 0–100
    total_spend_eur: Decimal
    exposed_spend_eur: Decimal
    exposed_spend_share: Decimal | None  # %
    open_source_share: Decimal | None  # % of components
    supplier_concentration: Decimal | None  # Herfindahl–Hirschman index of spend by ultimate vendor, 0–10 000
    top_supplier: str | None
    top_supplier_share: Decimal | None  # %


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return (100 * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if whole else None


def index(records: Iterable[ComponentRecord]) -> DependencyIndex:
    records = list(records)
    total = sum((record.annual_cost_eur for record in records), Decimal(0))
    if not records:
        return DependencyIndex(0, None, Decimal(0), Decimal(0), None, None, None, None, None)
    if total:
        weighted = sum((record.annual_cost_eur * record.score for record in records), Decimal(0)) / total
    else:  # no spend recorded: every component weighs the same
        weighted = Decimal(sum(record.score for record in records)) / len(records)
    exposed = sum((record.annual_cost_eur for record in records if record.exposure >= EXPOSED), Decimal(0))
    by_vendor: dict[str, Decimal] = {}
    for record in records:
        by_vendor[record.ultimate_vendor] = by_vendor.get(record.ultimate_vendor, Decimal(0)) + record.annual_cost_eur
    hhi = top = top_share = None
    if total:
        hhi = sum(((spend * 100 / total) ** 2 for spend in by_vendor.values()), Decimal(0)).quantize(Decimal(1))
        top = max(by_vendor, key=lambda vendor: by_vendor[vendor])
        top_share = _percent(by_vendor[top], total)
    return DependencyIndex(
        components=len(records),
        dependency_index=weighted.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
        total_spend_eur=total,
        exposed_spend_eur=exposed,
        exposed_spend_share=_percent(exposed, total),
        open_source_share=_percent(Decimal(sum(1 for record in records if record.open_source)), Decimal(len(records))),
        supplier_concentration=hhi,
        top_supplier=top,
        top_supplier_share=top_share,
    )


def index_by_domain(records: Iterable[ComponentRecord]) -> dict[str, DependencyIndex]:
    groups: dict[str, list[ComponentRecord]] = {}
    for record in records:
        groups.setdefault(record.domain, []).append(record)
    return {domain: index(groups[domain]) for domain in sorted(groups)}


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return day.replace(year=year, month=month, day=min(day.day, (following - datetime.timedelta(days=1)).day))


def decision_windows(
    records: Iterable[ComponentRecord], *, today: datetime.date, months: int = DECISION_WINDOW_MONTHS
) -> list[ComponentRecord]:
    """Exposed critical components whose contract ends within ``months``: the moments to decide."""
    horizon = add_months(today, months)
    return sorted(
        (
            record
            for record in records
            if record.contract_end is not None
            and today <= record.contract_end <= horizon
            and record.exposure >= EXPOSED
            and record.criticality >= CRITICAL
        ),
        key=lambda record: record.contract_end or today,
    )
