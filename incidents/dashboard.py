"""The incident panel of the organisation's home page."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from incidents import selectors
from incidents.views import register_rows
from nis2.models import Organisation
from nis2.roles import Resource, Role
from nis2.web import Panel, SearchResult, user_can_write

ORDER: dict[str, int] = {Role.SECURITY_OFFICER: 1, Role.EXECUTIVE: 4, Role.IT: 4}


def panels(*, request: HttpRequest, organisation: Organisation, role: str | None) -> list[Panel]:
    now = timezone.now()
    incidents = selectors.incident_list(user=request.user).filter(organisation=organisation).open().real()
    urgent = selectors.with_clock(incidents, now=now).order_by(
        F("overdue_count").desc(), F("next_due").asc(nulls_last=True), "-detected_at", "-pk"
    )[:8]
    year_ago = now - datetime.timedelta(days=365)
    stats = selectors.incident_stats(
        selectors.organisations_incidents(user=request.user, organisation=organisation),
        start=year_ago,
        end=None,
        now=now,
    )
    return [
        Panel(
            "incidents/_dashboard.html",
            {
                "incident_rows": register_rows(urgent, now=now),
                "open_count": incidents.count(),
                "incident_stats": stats,
                "can_declare": user_can_write(request.user, organisation, Resource.INCIDENT),
            },
            ORDER.get(role or "", 3),
        )
    ]


def search(*, user: AbstractBaseUser | AnonymousUser, query: str) -> list[SearchResult]:
    found = selectors.organisations_incidents(user=user).filter(title__icontains=query).order_by("-detected_at")[:20]
    return [
        SearchResult(
            "incident",
            incident.title,
            reverse("incident-detail-page", args=[incident.organisation_id, incident.pk]),
            incident.get_status_display(),
        )
        for incident in found
    ]


def linked_records(*, label: str, pks: list[int]) -> dict[int, list[SearchResult]]:
    """Incidents whose corrective actions joined these entries of the action plan."""
    if label != "controls.actionitem" or not pks:
        return {}
    links: dict[int, list[SearchResult]] = {}
    for plan_action_id, incident in selectors.incidents_feeding_actions(pks):
        links.setdefault(plan_action_id, []).append(
            SearchResult(
                "incident",
                incident.title,
                reverse("incident-detail-page", args=[incident.organisation_id, incident.pk]),
                incident.get_status_display(),
            )
        )
    return links
