"""The writes the national benchmark times, through the API as a member of the Métropole would make them:
declaring and editing an incident, a timeline entry, a filing, a component created and changed, an item
rated. Each leaves its row behind (a handful per run: nothing a later measurement would notice)."""

from __future__ import annotations

import datetime
import itertools
import json
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from bench.national_measure import Operation, Subjects

RSSI, DSI = "metropole.security_officer", "metropole.it"
counter = itertools.count(1)


def _send(
    subjects: Subjects,
    person: str,
    method: str,
    url: Callable[[], str],
    body: Callable[[], dict[str, Any]],
    expected: int,
) -> Callable[[], str | None]:
    def run() -> str | None:
        client = subjects.client(person)
        response = getattr(client, method)(url(), json.dumps(body()), content_type="application/json")
        if response.status_code != expected:
            raise AssertionError(f"{method.upper()} {url()}: HTTP {response.status_code} {response.content[:300]!r}")
        return None

    return run


def _now(minutes_ago: int = 0) -> str:
    return (timezone.now() - datetime.timedelta(minutes=minutes_ago)).isoformat()


def operations(subjects: Subjects) -> list[Operation]:
    return [
        *_incident_operations(subjects),
        _filing_operation(subjects),
        *_component_operations(subjects),
        _item_operation(subjects),
    ]


def _incident_operations(subjects: Subjects) -> list[Operation]:
    from incidents.models import Incident

    metropole = subjects.metropole
    open_incident = (
        Incident.objects.filter(organisation=metropole, significant="yes")
        .exclude(status="closed")
        .order_by("-detected_at")
        .first()
    ) or Incident.objects.filter(organisation=metropole).order_by("-detected_at").first()
    return [
        Operation(
            "write.incident.create",
            "create an incident (POST /api/v1/incidents/, significant) — Métropole RSSI",
            "writes",
            _send(
                subjects,
                RSSI,
                "post",
                lambda: "/api/v1/incidents/",
                lambda: {
                    "organisation": metropole.pk,
                    "title": f"Incident du banc {next(counter)}",
                    "category": "malicious-code",
                    "subcategory": "infected-system",
                    "severity": "high",
                    "detected_at": _now(90),
                    "aware_at": _now(60),
                    "significant": "yes",
                },
                201,
            ),
        ),
        Operation(
            "write.incident.update",
            "update an incident (PATCH /api/v1/incidents/{id}/) — Métropole RSSI",
            "writes",
            _send(
                subjects,
                RSSI,
                "patch",
                lambda: f"/api/v1/incidents/{open_incident.pk}/",
                lambda: {"mitigation": f"Isolement du segment réseau, étape {next(counter)}."},
                200,
            ),
        ),
        Operation(
            "write.timeline.create",
            "add a timeline entry (POST /api/v1/incidents/{id}/timeline/) — Métropole RSSI",
            "writes",
            _send(
                subjects,
                RSSI,
                "post",
                lambda: f"/api/v1/incidents/{open_incident.pk}/timeline/",
                lambda: {"kind": "note", "text": f"Point de situation {next(counter)}."},
                201,
            ),
        ),
    ]


def _filing_operation(subjects: Subjects) -> Operation:
    filing = FilingTarget(subjects)
    return Operation(
        "write.filing.create",
        "file an early warning (PATCH /api/v1/incidents/{id}/obligations/{id}/) — Métropole RSSI",
        "writes",
        _send(subjects, RSSI, "patch", filing.url, lambda: {"submitted_at": _now(1), "reference": "CERTFR-BANC"}, 200),
        prepare=filing.prepare,
    )


def _component_operations(subjects: Subjects) -> list[Operation]:
    from dependencies.models import Component, Product

    metropole = subjects.metropole
    component = Component.objects.filter(organisation=metropole).order_by("pk").first()
    product = Product.objects.filter(organisation__isnull=True).order_by("pk").first()
    return [
        Operation(
            "write.component.create",
            "create a component (POST /api/v1/components/) — Métropole DSI",
            "writes",
            _send(
                subjects,
                DSI,
                "post",
                lambda: "/api/v1/components/",
                lambda: {
                    "organisation": metropole.pk,
                    "name": f"Composant du banc {next(counter)} {timezone.now():%H%M%S%f}",
                    "domain": component.domain.code,
                    "product": product.pk,
                    "deployment": "vendor_saas",
                },
                201,
            ),
        ),
        Operation(
            "write.component.update",
            "update a component (PATCH /api/v1/components/{id}/) — Métropole DSI",
            "writes",
            _send(
                subjects,
                DSI,
                "patch",
                lambda: f"/api/v1/components/{component.pk}/",
                lambda: {"annual_cost_eur": f"{1000 + next(counter)}.00"},
                200,
            ),
        ),
    ]


def _item_operation(subjects: Subjects) -> Operation:
    from controls.models import RequirementAssessment

    item = (
        RequirementAssessment.objects.filter(
            assessment__organisation=subjects.metropole, assessment__period_start=subjects.quarter.start
        )
        .order_by("pk")
        .first()
    )
    rated = ItemTarget(item)
    return Operation(
        "write.item.update",
        "rate an item (PATCH /api/v1/assessments/{id}/items/{id}/) — Métropole RSSI",
        "writes",
        _send(subjects, RSSI, "patch", rated.url, rated.body, 200),
        prepare=rated.prepare,
    )


class FilingTarget:
    """A fresh significant incident before each run (declared through the service, not timed), whose early
    warning the run files: every run is a first filing, none a correction."""

    def __init__(self, subjects: Subjects) -> None:
        self.subjects = subjects
        self.obligation: Any = None

    def prepare(self) -> None:
        from incidents import services

        incident = services.incident_create(
            organisation=self.subjects.metropole,
            actor=self.subjects.people[RSSI],
            title=f"Incident du banc à déclarer {next(counter)}",
            category="availability",
            subcategory="outage",
            severity="high",
            detected_at=timezone.now() - datetime.timedelta(hours=3),
            aware_at=timezone.now() - datetime.timedelta(hours=2),
            significant="yes",
        )
        self.obligation = incident.obligations.get(step="early_warning")

    def url(self) -> str:
        return f"/api/v1/incidents/{self.obligation.incident_id}/obligations/{self.obligation.pk}/"


class ItemTarget:
    """One item of the Métropole's current assessment, rated 1 to 4 in turn with the version last read."""

    def __init__(self, item: Any) -> None:
        self.item = item

    def prepare(self) -> None:
        self.item.refresh_from_db(fields=["version", "current_level"])

    def url(self) -> str:
        return f"/api/v1/assessments/{self.item.assessment_id}/items/{self.item.pk}/"

    def body(self) -> dict[str, Any]:
        return {"current_level": (self.item.current_level or 0) % 4 + 1, "version": self.item.version}
