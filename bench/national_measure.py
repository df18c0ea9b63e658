"""Shared helpers."""

from __future__ import annotations

import os
import statistics
import time
from collections import Counter, deque
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.national_memory import MEMORY_TASKS, memory_of_task

TARGETS = {
    "page.register.metropole": "< 150 ms, queries constant",
    "page.home.metropole.rssi": "< 300 ms",
    "report.snapshot.consolidated": "< 2 s and < 60 queries",
    "task.incident_reminders": "< 1 s and < 150 MB",
    "task.duty_reminders": "< 1 s and < 150 MB",
    "write.incident.create": "< 20 ms and ≤ 12 queries",
    "report.quarterly.metropole": "< 3 s",
}
LIST_TARGET = "page 500: ≤ ×1.2 from 3.6k to 36.4k organisations"
QUERY_LOG_LIMIT = 5_000_000


@dataclass
class Operation:
    key: str
    label: str
    group: str
    run: Callable[[], str | None]  # returns a short note (rows, items sent...) or None
    prepare: Callable[[], None] | None = None  # not timed, before each run
    cleanup: Callable[[], None] | None = None  # not timed, after each run
    slow: bool = False
    timings: list[float] = field(default_factory=list)
    db_timings: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    note: str = ""
    error: str = ""
    repeated_query: str = ""

    def result(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "group": self.group,
            "median_ms": round(statistics.median(self.timings), 1) if self.timings else None,
            "min_ms": round(min(self.timings), 1) if self.timings else None,
            "max_ms": round(max(self.timings), 1) if self.timings else None,
            "runs": len(self.timings),
            "queries": self.queries[-1] if self.queries else None,
            "queries_varied": len(set(self.queries)) > 1,
            "db_ms": round(statistics.median(self.db_timings), 1) if self.db_timings else None,
            "target": TARGETS.get(self.key, LIST_TARGET if self.group == "api" and "page500" in self.key else ""),
            "note": self.note,
            "most_repeated_query": self.repeated_query,
            "error": self.error,
        }


@dataclass
class Subjects:
    """The organisations measured (the same at every scale) and the people who act on them."""

    metropole: Any
    agglomeration: Any
    people: dict[str, Any]  # "metropole.security_officer" -> User
    quarter: Any
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, person: str) -> Client:
        if person not in self.clients:
            client = Client(HTTP_ACCEPT_LANGUAGE="fr")
            client.force_login(self.people[person])
            self.clients[person] = client
        return self.clients[person]


def subjects() -> Subjects:
    from django.contrib.auth import get_user_model

    from bench.national_country import AGGLOMERATION_SIREN_PREFIX, METROPOLE_SIREN_PREFIX, prefix_of
    from nis2.models import Organisation
    from nis2.periods import quarter_of

    metropole = Organisation.objects.get(siren__startswith=METROPOLE_SIREN_PREFIX)
    agglomeration = Organisation.objects.get(siren__startswith=AGGLOMERATION_SIREN_PREFIX)
    users = get_user_model().objects
    people = {
        f"{name}.{role}": users.get(username=f"{prefix_of(role)}-{organisation.pk}")
        for name, organisation in (("metropole", metropole), ("agglomeration", agglomeration))
        for role in ("security_officer", "it", "executive", "admin")
    }
    return Subjects(metropole, agglomeration, people, quarter_of(timezone.localdate()).previous())


def _get(subjects: Subjects, person: str, url: str) -> Callable[[], str | None]:
    def run() -> str | None:
        response = subjects.client(person).get(url)
        if response.status_code != 200:
            raise AssertionError(f"GET {url}: HTTP {response.status_code}")
        if response.get("Content-Type", "").startswith("application/json"):
            body = response.json()
            if isinstance(body, dict) and "results" in body:
                return f"{len(body['results'])} of {body.get('count')} rows"
        return f"{len(response.content) // 1024} kB"

    return run


def page_operations(subjects: Subjects) -> list[Operation]:
    metropole, agglomeration = subjects.metropole.pk, subjects.agglomeration.pk
    pages = [
        (
            "page.register.metropole",
            "register page 1 — Métropole (10,000 incidents), RSSI",
            "metropole.security_officer",
            f"/o/{metropole}/incidents/",
        ),
        ("page.home.metropole.rssi", "home — Métropole, RSSI", "metropole.security_officer", f"/o/{metropole}/"),
        ("page.home.metropole.executive", "home — Métropole, élu", "metropole.executive", f"/o/{metropole}/"),
        ("page.home.metropole.it", "home — Métropole, DSI", "metropole.it", f"/o/{metropole}/"),
        (
            "page.home.agglomeration.admin",
            "home — CA (150 communes), administrator",
            "agglomeration.admin",
            f"/o/{agglomeration}/",
        ),
        (
            "page.register.agglomeration",
            "register page 1 — CA (150 communes), administrator",
            "agglomeration.admin",
            f"/o/{agglomeration}/incidents/",
        ),
        (
            "page.actions.metropole",
            "action plan — Métropole, RSSI",
            "metropole.security_officer",
            f"/o/{metropole}/actions/",
        ),
        (
            "page.components.metropole",
            "component list — Métropole (1,500 components), DSI",
            "metropole.it",
            f"/o/{metropole}/dependencies/components/",
        ),
        (
            "page.dependency_map.metropole",
            "dependency map — Métropole, DSI",
            "metropole.it",
            f"/o/{metropole}/dependencies/",
        ),
    ]
    return [Operation(key, label, "pages", _get(subjects, person, url)) for key, label, person, url in pages]


def list_routes() -> list[tuple[str, list[str]]]:
    """Every list endpoint of the API (``<basename>-list`` routes of the routers) and the URL arguments it
    needs (``assessment_pk``, ``incident_pk``)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns: list[Any], arguments: frozenset[str]) -> list[tuple[URLPattern, frozenset[str]]]:
        found: list[tuple[URLPattern, frozenset[str]]] = []
        for pattern in patterns:
            names = arguments | set(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                found.extend(walk(pattern.url_patterns, names))
            else:
                found.append((pattern, names))
        return found

    routes = {}
    for pattern, names in walk(get_resolver().url_patterns, frozenset()):
        actions = getattr(pattern.callback, "actions", None) or {}
        if pattern.name and pattern.name.endswith("-list") and actions.get("get") == "list":
            if "format" in names:
                continue
            routes[pattern.name] = sorted(names)
    return sorted(routes.items())


def _list_arguments(subjects: Subjects, person: str) -> dict[str, int]:
    from controls.models import Assessment
    from incidents.models import CorrectiveAction

    organisation = subjects.metropole if person.startswith("metropole") else subjects.agglomeration
    assessment = Assessment.objects.filter(organisation=organisation, period_start=subjects.quarter.start).first()
    action = CorrectiveAction.objects.filter(incident__organisation=organisation).order_by("pk").first()
    incident_id = action.incident_id if action else organisation.incidents_incident_set.order_by("pk").first().pk
    return {"assessment_pk": assessment.pk if assessment else 0, "incident_pk": incident_id}


def api_list_operations(subjects: Subjects) -> list[Operation]:
    from django.urls import reverse

    operations = []
    personas = (
        ("metropole.security_officer", "Métropole RSSI"),
        ("agglomeration.admin", "CA admin (151 organisations)"),
    )
    for person, persona in personas:
        arguments = _list_arguments(subjects, person)
        for name, needed in list_routes():
            url = reverse(name, kwargs={key: arguments[key] for key in needed})
            route = reverse(name, kwargs=dict.fromkeys(needed, 0))
            for key in needed:  # the ids differ between data sets: the label names the argument
                route = route.replace("/0/", f"/{{{key.removesuffix('_pk')}}}/", 1)
            for size in (50, 500):
                operations.append(
                    Operation(
                        f"api.{name.removesuffix('-list')}.page{size}.{person.split('.')[0]}",
                        f"GET {route}?page_size={size} — {persona}",
                        "api",
                        _get(subjects, person, f"{url}?page_size={size}"),
                    )
                )
    return operations


def write_operations(subjects: Subjects) -> list[Operation]:
    from bench import national_writes

    return national_writes.operations(subjects)


def report_operations(subjects: Subjects) -> list[Operation]:
    from bench import national_tasks

    return national_tasks.report_operations(subjects)


def task_operations(subjects: Subjects) -> list[Operation]:
    from bench import national_tasks

    return national_tasks.task_operations(subjects)


class DatabaseTimer:
    """Time spent waiting for the database (Django's query log rounds each query to the millisecond)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def _most_repeated(captured: list[dict[str, Any]]) -> str:
    shapes = Counter(query["sql"][:160] for query in captured)
    if not shapes:
        return ""
    sql, count = shapes.most_common(1)[0]
    return f"{count}× {sql}" if count > 1 else ""


def run_once(operation: Operation, *, record: bool, capture: bool = True) -> None:
    """Run once (prepare and cleanup untimed). ``capture=False`` runs without recording queries, for the
    memory measurement: the query log would be counted in the process's memory."""
    if operation.error:
        return
    try:
        if operation.prepare:
            operation.prepare()
        connection.queries_log.clear()
        timer = DatabaseTimer()
        queries = CaptureQueriesContext(connection) if capture else nullcontext()
        with queries as captured, connection.execute_wrapper(timer):
            start = time.perf_counter()
            note = operation.run()
            elapsed = (time.perf_counter() - start) * 1000
        if operation.cleanup:
            operation.cleanup()
    except Exception as error:
        operation.error = f"{type(error).__name__}: {str(error)[:300]}"
        print(f"    ! {operation.label}: {operation.error}", flush=True)
        return
    if not record:
        return
    operation.timings.append(elapsed)
    operation.note = note or ""
    if captured is not None:
        operation.db_timings.append(timer.seconds * 1000)
        operation.queries.append(len(captured.captured_queries))
        operation.repeated_query = _most_repeated(captured.captured_queries)


def _log_every_query() -> None:
    """Django keeps the last 9,000 queries only: a page or a task making more would be miscounted."""
    connection.queries_limit = QUERY_LOG_LIMIT
    connection.queries_log = deque(maxlen=QUERY_LOG_LIMIT)


def run_round_robin(operations: list[Operation], *, repeat: int, repeat_slow: int) -> None:
    _log_every_query()
    print(f"Warm-up run of {len(operations)} operations", flush=True)
    for operation in operations:
        run_once(operation, record=False)
    for round_number in range(repeat):
        start = time.perf_counter()
        for operation in operations:
            if operation.slow and round_number >= repeat_slow:
                continue
            run_once(operation, record=True)
        print(f"Round {round_number + 1}/{repeat}: {time.perf_counter() - start:.1f} s", flush=True)


def measure(*, repeat: int, repeat_slow: int) -> dict[str, Any]:
    from bench.national_report import dataset_summary

    load_before = os.getloadavg()
    who = subjects()
    operations = [
        *page_operations(who),
        *api_list_operations(who),
        *write_operations(who),
        *report_operations(who),
        *task_operations(who),
    ]
    run_round_robin(operations, repeat=repeat, repeat_slow=repeat_slow)
    memory = {task: memory_of_task(task) for task in MEMORY_TASKS}
    return {
        "measured_at": timezone.now().isoformat(timespec="seconds"),
        "load_average": {
            "before": [round(value, 2) for value in load_before],
            "after": [round(value, 2) for value in os.getloadavg()],
        },
        "dataset": dataset_summary(),
        "operations": [operation.result() for operation in operations],
        "memory": memory,
    }
