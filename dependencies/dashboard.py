"""The dependency panel of the organisation's home page, and component search."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from dependencies import indexing, selectors
from nis2.models import Organisation
from nis2.roles import Role
from nis2.web import Panel, SearchResult

ORDER: dict[str | None, int] = {Role.IT: 2, Role.SECURITY_OFFICER: 4, Role.EXECUTIVE: 4}


def panels(*, request: HttpRequest, organisation: Organisation, role: str | None) -> list[Panel]:
    today = timezone.localdate()
    records = selectors.records(
        selectors.scored(selectors.organisation_components(user=request.user, organisation=organisation), today=today)
    )
    return [
        Panel(
            "dependencies/_dashboard.html",
            {
                "dependency_index": indexing.index(records),
                "windows": indexing.decision_windows(records, today=today)[:5],
            },
            ORDER.get(role, 3),
        )
    ]


def search(*, user: Any, query: str) -> list[SearchResult]:
    components = (
        selectors.component_list(user=user)
        .filter(Q(name__icontains=query) | Q(product__name__icontains=query))
        .order_by("name")[:20]
    )
    return [
        SearchResult(
            "component",
            component.name,
            reverse("component-detail-page", args=[component.organisation_id, component.pk]),
            component.product.name,
        )
        for component in components
    ]
