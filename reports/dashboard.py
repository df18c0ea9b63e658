"""The executive panel (the last report's verdict per pillar and the decisions it asks for) and, for an
intercommunality, its communes side by side."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from controls import scoring
from controls import selectors as controls
from controls.models import Assessment
from dependencies import indexing
from dependencies import selectors as dependencies
from incidents.models import Incident
from nis2.models import Organisation
from nis2.roles import Role
from nis2.web import Panel
from reports.models import Report
from reports.verdicts import STATUS_LABELS, decision_page, trend_label

ORDER = {Role.EXECUTIVE: 1, Role.ADMIN: 1, Role.AUDITOR: 1}


def panels(*, request: HttpRequest, organisation: Organisation, role: str | None) -> list[Panel]:
    result = []
    latest = (
        Report.objects.filter(
            organisation=organisation, status=Report.Status.DONE, consolidated=False, kind=Report.Kind.QUARTERLY
        )
        .order_by("-period", "-version")
        .first()
    )
    page = decision_page(latest.snapshot) if latest and latest.snapshot else None
    result.append(
        Panel(
            "reports/_dashboard.html",
            {
                "latest_report": latest,
                "verdicts": [
                    {
                        "status": verdict.status.value,
                        "status_label": STATUS_LABELS[verdict.status],
                        "pillar": verdict.pillar,
                        "sentence": verdict.sentence,
                        "trend": trend_label(verdict.trend),
                    }
                    for verdict in page.verdicts
                ]
                if page
                else [],
                "decisions": page.decisions if page else [],
            },
            ORDER.get(role, 5),
        )
    )
    children = list(Organisation.objects.readable_by(request.user).filter(parent=organisation).order_by("name"))
    if children:
        result.append(Panel("reports/_communes.html", {"communes": communes_side_by_side(children)}, 2))
    return result


def communes_side_by_side(children: list[Organisation]) -> list[dict[str, Any]]:
    """Maturity, open significant incidents and dependency index of each commune (constant queries)."""
    ids = [child.pk for child in children]
    latest: dict[int, Assessment] = {}
    organisation_wide = Assessment.objects.filter(organisation_id__in=ids, information_system="")
    for assessment in organisation_wide.order_by("organisation_id", "-period_start"):
        latest.setdefault(assessment.organisation_id, assessment)
    ratings = controls.ratings_for_assessments([assessment.pk for assessment in latest.values()])
    significant: dict[int, int] = {}
    for organisation_id in (
        Incident.objects.filter(organisation_id__in=ids, significant="yes", is_exercise=False)
        .exclude(status=Incident.Status.CLOSED)
        .values_list("organisation_id", flat=True)
    ):
        significant[organisation_id] = significant.get(organisation_id, 0) + 1
    scored = dependencies.scored(dependencies.component_list_unscoped(organisation_ids=ids), today=timezone.localdate())
    chains = dependencies.EntityChains.for_components(item.component for item in scored)
    by_organisation: dict[int, list[Any]] = {}
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
