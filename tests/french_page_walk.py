"""Every page of the web interface a person reads, with the demo objects that fill its arguments
(for tests/test_french_everywhere.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from controls.models import ActionItem, Assessment, Section
from dependencies.models import Component
from incidents.models import Incident
from nis2.roles import Role
from reports.models import Report
from tests.fixtures.every_choice import EveryChoice

# Routes that are not pages a person reads, so not opened here (each for the reason given).
NOT_PAGES = {
    # Downloads and feeds: files, not pages.
    "data-export-download": "the organisation's archive (ZIP)",
    "dependency-import-template": "the empty import file (CSV, column codes)",
    "action-export": "the action plan as CSV or XLSX (its French headers: tests/controls/test_action_plan.py)",
    "incident-calendar": "the ICS feed read by calendar applications",
    None: "unnamed routes: /favicon.ico",
    # Signing out and switching language: POST only, they redirect.
    "logout": "POST only",
    "set_language": "POST only",
    # The identity provider's redirections (ProConnect), off unless configured.
    "sso-sign-in": "redirects to the identity provider",
    "sso-callback": "the identity provider's return",
    # Actions: POST only, they redirect to the page they belong to (opened here).
    "assessment-validate": "POST only",
    "assessment-copy": "POST only",
    "item-evidence-add": "POST only",
    "item-action": "POST only",
    "item-confirm": "POST only",
    "assessment-section-target": "POST only",
    "assessment-section-not-applicable": "POST only",
    "action-status": "POST only",
    "incident-calendar-feed": "POST only",
    "incident-transition": "POST only",
    "incident-root-cause": "POST only",
    "incident-timeline-add": "POST only",
    "incident-intermediate": "POST only",
    "incident-corrective-add": "POST only",
    "incident-attachment-add": "POST only",
    "obligation-file": "POST only",
    "obligation-not-required": "POST only",
    "dependency-sharing": "POST only",
    "governance-approval-add": "POST only",
    "governance-training-add": "POST only",
    "governance-training-delete": "POST only",
}
# Pages opened before signing in.
ANONYMOUS_PAGES = {"login", "password-reset", "password-reset-done", "password-set", "password-set-done"}
# Opened through the sign-in with an authenticator (``_second_factor_pages``).
SIGN_IN_PAGES = {"second-factor"}


@dataclass(frozen=True)
class Route:
    name: str | None
    path: str

    @property
    def parameters(self) -> tuple[str, ...]:
        return tuple(re.findall(r"<(?:\w+:)?(\w+)>", self.path))


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield Route(pattern.name, prefix + str(pattern.pattern))


def web_routes() -> list[Route]:
    """Every route of the web interface: neither the API nor Django's admin site."""
    return [
        route
        for route in _walk(get_resolver().url_patterns)
        if not route.path.startswith(("api/", "admin/")) and route.name not in NOT_PAGES
    ]


@dataclass
class Visit:
    route: Route
    url: str


def _argument_sets(route: Route, every: EveryChoice) -> list[dict[str, Any]]:
    """The demo objects a route's arguments can name, or a failure naming the route."""
    organisation = every.organisation
    parameters = route.parameters
    base = {"organisation_id": organisation.pk}
    if parameters == ():
        return [{}]
    if parameters == ("organisation_id",):
        return [base]
    if parameters == ("organisation_id", "assessment_id"):
        return [{**base, "assessment_id": pk} for pk in _assessments(organisation)]
    if parameters == ("organisation_id", "assessment_id", "item_id"):
        return [
            {**base, "assessment_id": assessment, "item_id": item}
            for assessment in _assessments(organisation)
            for item in _items(assessment)
        ]
    if parameters == ("organisation_id", "incident_id"):
        return [
            {**base, "incident_id": pk}
            for pk in Incident.objects.filter(organisation=organisation).values_list("pk", flat=True)
        ]
    if parameters == ("organisation_id", "component_id"):
        return [
            {**base, "component_id": pk}
            for pk in Component.objects.filter(organisation=organisation).values_list("pk", flat=True)
        ]
    if parameters == ("organisation_id", "action_id"):
        return [
            {**base, "action_id": pk}
            for pk in ActionItem.objects.filter(organisation=organisation).values_list("pk", flat=True)[:6]
        ]
    if parameters == ("organisation_id", "report_id"):
        return [
            {**base, "report_id": pk}
            for pk in Report.objects.filter(organisation=organisation).values_list("pk", flat=True)
        ]
    if route.name == "invitation-accept":
        return [{"token": link.rstrip("/").rsplit("/", 1)[-1]} for link in every.invitation_links]
    if route.name == "password-set":
        user = every.people[Role.SECURITY_OFFICER]
        return [
            {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}
        ]
    pytest.fail(f"no demo object fills the arguments {parameters} of {route.name} ({route.path}): add them here")


def _assessments(organisation: Any) -> list[int]:
    return list(Assessment.objects.filter(organisation=organisation).values_list("pk", flat=True))


def _items(assessment_id: int) -> list[int]:
    """The first requirement, a requirement judged not applicable and one rated at the top of the scale."""
    items = Assessment.objects.get(pk=assessment_id).items.order_by("requirement__position")
    chosen = [items.first(), items.filter(applicable=False).first(), items.filter(current_level=5).first()]
    return list(dict.fromkeys(item.pk for item in chosen if item is not None))


def _queries(route: Route, kwargs: dict[str, Any]) -> list[str]:
    """Variants of a page that show other rows: every objective of an assessment, the whole action plan."""
    if route.name == "assessment-grid":
        assessment = Assessment.objects.get(pk=kwargs["assessment_id"])
        if assessment.status != Assessment.Status.IN_PROGRESS:
            return [""]
        refs = Section.objects.filter(framework=assessment.framework_id, parent__isnull=True).values_list(
            "ref", flat=True
        )
        return ["", *(f"?section={ref}" for ref in refs)]
    if route.name == "action-plan":
        return ["", "?status=all", "?overdue=true"]
    if route.name == "search":
        return ["?q=messagerie", "?q=2"]
    return [""]


def visits(routes: list[Route], every: EveryChoice) -> list[Visit]:
    found = []
    for route in routes:
        for kwargs in _argument_sets(route, every):
            url = reverse(route.name, kwargs=kwargs)
            found += [Visit(route, url + query) for query in _queries(route, kwargs)]
    return found
