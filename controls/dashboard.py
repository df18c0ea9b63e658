"""The self-assessment panel of the organisation's home page, and requirement search."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from controls import selectors
from controls.art21 import ART21_TITLES
from controls.models import Assessment, RequirementAssessment
from nis2.models import Organisation, readable_organisation_ids
from nis2.roles import Role
from nis2.web import Panel, SearchResult, request_actor

ORDER: dict[str | None, int] = {Role.IT: 1, Role.SECURITY_OFFICER: 2, Role.EXECUTIVE: 3}


def panels(*, request: HttpRequest, organisation: Organisation, role: str | None) -> list[Panel]:
    assessments = list(
        selectors.assessment_list(user=request.user).filter(organisation=organisation, information_system="")
    )
    current = next(
        (a for a in assessments if a.status != Assessment.Status.VALIDATED), assessments[0] if assessments else None
    )
    result = selectors.assessment_scores(current) if current else None
    today = timezone.localdate()
    overdue = list(selectors.overdue_actions(organisation=organisation, today=today)[:5])
    mine = [
        (action, action.is_overdue(today=today))
        for action in selectors.actions_owned(organisation=organisation, owner=request_actor(request))[:5]
    ]
    return [
        Panel(
            "controls/_dashboard.html",
            {
                "assessment": current,
                "scores": result,
                "measures": [(point, ART21_TITLES[point], score) for point, score in result.by_art21_point.items()]
                if result
                else [],
                "overdue_actions": overdue,
                "my_actions": mine,
            },
            ORDER.get(role, 2),
        )
    ]


def search(*, user: Any, query: str) -> list[SearchResult]:
    items = (
        RequirementAssessment.objects.filter(assessment__organisation_id__in=readable_organisation_ids(user))
        .exclude(assessment__status=Assessment.Status.VALIDATED)
        .filter(
            Q(requirement__ref__iexact=query)
            | Q(requirement__title_fr__icontains=query)
            | Q(requirement__title_en__icontains=query)
        )
        .select_related("requirement", "assessment")
        .order_by("assessment__organisation_id", "requirement__position")[:20]
    )
    return [
        SearchResult(
            "requirement",
            f"{item.requirement.ref} {item.requirement.title}",
            reverse("item-detail", args=[item.assessment.organisation_id, item.assessment_id, item.pk]),
            item.assessment.label,
        )
        for item in items
    ]
