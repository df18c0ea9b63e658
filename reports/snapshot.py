"""Assembles the data of a report, as of its period's end (a quarter, or a year for the annual report to the
council), into one plain JSON-ready dict.

Everything is read through the pillars' selectors from the history tables, so a report for Q2
generated in October shows Q2's state. Rendering reads this snapshot alone. The reads are made once for the
organisation and all its sharing member communes (``reports.snapshot_data``, set-based: as many queries for 150
members as for 2); each section is computed from that data (``reports.snapshot_sections`` for the pillars').
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.utils import timezone, translation

from dependencies import indexing
from dependencies import selectors as dependencies
from nis2.entity_status import legal_basis
from nis2.models import Organisation
from nis2.numbers import decimal_to_float as _number
from nis2.periods import Period, Quarter, Year
from reports import selectors as governance
from reports.snapshot_data import SnapshotData, quarter_end_moment, trend_quarters
from reports.snapshot_sections import (
    actions,
    dependency_section,
    incident_section,
    incident_stats,
    maturity,
    overall_maturity,
    overdue_at_end,
)
from reports.snapshot_types import (
    Governance,
    LegalBasis,
    MemberSummary,
    Meta,
    QuarterCounts,
    QuarterOfTheYear,
    Snapshot,
)

__all__ = ["SNAPSHOT_VERSION", "Progress", "build_snapshot", "quarter_end_moment", "trend_quarters"]

SNAPSHOT_VERSION = 2
Progress = Callable[[int], None]


def build_snapshot(
    organisation: Organisation,
    quarter: Period,
    *,
    language: str,
    consolidated: bool = False,
    progress: Progress | None = None,
) -> Snapshot:
    def step(percent: int) -> None:
        if progress:
            progress(percent)

    members = list(organisation.children.order_by("name")) if consolidated else []
    # Only the communes that opted in to sharing contribute data; the others are named, nothing more.
    sharing = set(dependencies.shared_children(organisation).values_list("pk", flat=True)) if consolidated else set()
    data = SnapshotData(
        organisation_id=organisation.pk,
        member_ids=[member.pk for member in members if member.pk in sharing],
        period=quarter,
    )
    step(10)
    meta_section = meta(organisation, quarter, language=language, consolidated=consolidated)
    maturity_section = maturity(data, organisation.pk, quarter)
    step(35)
    actions_section = actions(data)
    step(50)
    incidents_section = incident_section(data)
    step(70)
    dependencies_section = dependency_section(data)
    step(85)
    snapshot: Snapshot = {
        "version": SNAPSHOT_VERSION,
        "meta": meta_section,
        "maturity": maturity_section,
        "actions": actions_section,
        "incidents": incidents_section,
        "dependencies": dependencies_section,
        "governance": governance_section(organisation.pk, quarter),
    }
    if isinstance(quarter, Year):
        snapshot["year_by_quarter"] = year_by_quarter(data, incidents_section["trend"])
    if consolidated:
        snapshot["members"] = [
            member_summary(data, member) if member.pk in sharing else {"name": member.name, "shared": False}
            for member in members
        ]
    return snapshot


def meta(organisation: Organisation, period: Period, *, language: str, consolidated: bool) -> Meta:
    return {
        "organisation": organisation.name,
        "siren": organisation.siren,
        "organisation_kind": organisation.kind,
        "nis2_status": organisation.nis2_status,
        "period": period.code,
        "quarter_number": period.number if isinstance(period, Quarter) else None,
        "year": period.year,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "as_of": quarter_end_moment(period).isoformat(),
        "language": language,
        "issued_at": timezone.now().isoformat(),
        "consolidated": consolidated,
        "kind": "annual" if isinstance(period, Year) else "quarterly",
        "legal_basis": _legal_basis(organisation, language),
    }


def member_summary(data: SnapshotData, member: Organisation) -> MemberSummary:
    """A member commune's line in a consolidated report (only for a commune that shares its data)."""
    dependency = indexing.index(data.components.records(data.end, member.pk))
    return {
        "name": member.name,
        "shared": True,
        "maturity": overall_maturity(data, member.pk, data.period),
        "incidents": incident_stats(data, member.pk),
        "dependency_index": _number(dependency.dependency_index),
        "exposed_spend_share": _number(dependency.exposed_spend_share),
    }


def year_by_quarter(data: SnapshotData, incident_trend: list[QuarterCounts]) -> list[QuarterOfTheYear]:
    """The annual report's four quarters side by side: security level, incidents, exposed spend, overdue actions."""
    assert isinstance(data.period, Year)
    rows: list[QuarterOfTheYear] = []
    for quarter, incidents_in_quarter in zip(data.period.quarters, incident_trend, strict=True):
        level = overall_maturity(data, data.organisation_id, quarter)
        exposure = indexing.index(data.components.records(quarter_end_moment(quarter)))
        rows.append(
            {
                "quarter": quarter.code,
                "maturity_percent": level["percent"] if level else None,
                "incidents": incidents_in_quarter["total"],
                "significant": incidents_in_quarter["significant"],
                "exposed_spend_share": _number(exposure.exposed_spend_share),
                "overdue_actions": len(overdue_at_end(data, quarter)),
            }
        )
    return rows


def _legal_basis(organisation: Organisation, language: str) -> LegalBasis:
    """What the organisation's NIS 2 status rests on (the bill, not promulgated at the last check), in the
    report's language."""
    with translation.override(language):
        # ``LegalBasis.as_dict`` writes exactly the keys the snapshot's ``LegalBasis`` declares.
        return cast(LegalBasis, legal_basis(organisation.kind).as_dict())


def governance_section(organisation_id: int, period: Period) -> Governance:
    """The approvals in force at the period's end, what changed since each, and the management body's training
    (NIS 2 Art. 20), as the reports app's selectors read them."""
    approvals, changes = governance.approvals_and_changes(
        organisation_id=organisation_id, as_of=quarter_end_moment(period)
    )
    return {
        "approvals": approvals,
        "changes": changes,
        "training": governance.training_summary(organisation_id=organisation_id, as_of=period.end),
    }
