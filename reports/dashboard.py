"""The executive panel (the last report's verdict per pillar and the decisions it asks for) and, for an
intercommunality, its communes side by side."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from controls import scoring
from controls import selectors as controls
from dependencies import indexing
from dependencies import selectors as dependencies
from incidents import selectors as incidents
from nis2.models import Organisation
from nis2.roles import Role
from nis2.web import Panel
from reports import selectors
from reports.verdicts import STATUS_LABELS, DecisionPage, decision_page, trend_label

ORDER: dict[str, int] = {Role.EXECUTIVE: 1, Role.ADMIN: 1, Role.AUDITOR: 1}


def _verdict_rows(page: DecisionPage | None) -> list[dict[str, Any]]:
    if page is None:
        return []
    return [
        {
            "status": verdict.status.value,
            "status_label": STATUS_LABELS[verdict.status],
            "pillar": verdict.pillar,
            "sentence": verdict.sentence,
            "trend": trend_label(verdict.trend),
        }
        for verdict in page.verdicts
    ]


def panels(*, request: HttpRequest, organisation: Organisation, role: str | None) -> list[Panel]:
    latest = selectors.latest_quarterly_report(organisation_id=organisation.pk)
    page = decision_page(latest.snapshot) if latest and latest.snapshot else None
    result = [
        Panel(
            "reports/_dashboard.html",
            {
                "latest_report": latest,
                "verdicts": _verdict_rows(page),
                "decisions": page.decisions if page else [],
            },
            ORDER.get(role or "", 5),
        )
    ]
    children = selectors.readable_member_communes(user=request.user, organisation=organisation)
    if children:
        result.append(Panel("reports/_communes.html", {"communes": communes_side_by_side(children)}, 2))
    return result


def communes_side_by_side(children: list[Organisation]) -> list[dict[str, Any]]:
    """Maturity, open significant incidents and dependency index of each commune (constant queries)."""
    ids = [child.pk for child in children]
    latest = controls.latest_organisation_wide_assessments(ids)
    ratings = controls.ratings_for_assessments([assessment.pk for assessment in latest.values()])
    significant = incidents.open_significant_incident_counts(ids)
    scored = dependencies.scored(dependencies.component_list_unscoped(organisation_ids=ids), today=timezone.localdate())
    chains = dependencies.EntityChains.for_components(item.component for item in scored)
    by_organisation: dict[int, list[dependencies.ScoredComponent]] = {}
    for item in scored:
        by_organisation.setdefault(item.component.organisation_id, []).append(item)
    rows = []
    for child in children:
        assessment = latest.get(child.pk)
        score = scoring.score(ratings.get(assessment.pk, [])) if assessment else None
        records = dependencies.records(by_organisation.get(child.pk, []), chains)
        rows.append(
            {
                "organisation": child,
                "maturity": score.level if score else None,
                "assessment": assessment,
                "open_significant": significant.get(child.pk, 0),
                "dependency_index": indexing.index(records).dependency_index if records else None,
            }
        )
    return rows
