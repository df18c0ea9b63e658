"""The reports and periodic tasks the national benchmark times: quarterly snapshots (the builder called
directly) and whole report generations (reports.services, PDF included), the incident and duty reminders, and
the quarterly beat with the broker mocked (each generation it would queue is counted, none is run). Each run
puts the database back as it found it (reports deleted, today's duty reminders forgotten), so that every run
does the same work."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from unittest import mock

from django.utils import timezone

from bench.national_measure import Operation, Subjects


def _forget_reports(since: datetime.datetime) -> None:
    from reports.models import Report

    created = list(Report.objects.filter(created_at__gte=since))
    for report in created:
        for stored in (report.pdf, report.odt):
            if stored:
                stored.delete(save=False)
    ids = [report.pk for report in created]
    Report.objects.filter(pk__in=ids).delete()
    Report.history.model.objects.filter(id__in=ids).delete()


class Clock:
    """The moment a run started, for the cleanup to find what it created."""

    def __init__(self) -> None:
        self.started = timezone.now()

    def start(self) -> None:
        self.started = timezone.now()


def _snapshot(subjects: Subjects, organisation: Any, *, consolidated: bool) -> Any:
    def run() -> str:
        from reports.snapshot import build_snapshot

        snapshot = build_snapshot(organisation, subjects.quarter, language="fr", consolidated=consolidated)
        incidents = len(snapshot["incidents"]["rows"])
        members = len(snapshot.get("members", []))
        return f"{incidents} incidents in the quarter" + (f", {members} member communes" if consolidated else "")

    return run


def _generation(subjects: Subjects, organisation: Any, person: str, *, consolidated: bool) -> Any:
    def run() -> str:
        from reports import services

        report = services.report_request(
            organisation=organisation,
            period=subjects.quarter.code,
            language="fr",
            actor=subjects.people[person],
            consolidated=consolidated,
            enqueue=False,
        )
        report = services.report_generate(report_id=report.pk)
        if report.status != "done":
            raise AssertionError(f"report {report.pk}: {report.status} {report.error}")
        return f"PDF {report.pdf.size // 1024} kB"

    return run


def report_operations(subjects: Subjects) -> list[Operation]:
    clock = Clock()
    return [
        Operation(
            "report.snapshot.consolidated",
            "consolidated snapshot — CA (150 communes), reports.snapshot.build_snapshot",
            "reports",
            _snapshot(subjects, subjects.agglomeration, consolidated=True),
        ),
        Operation(
            "report.snapshot.metropole",
            "quarterly snapshot — Métropole (10,000 incidents), reports.snapshot.build_snapshot",
            "reports",
            _snapshot(subjects, subjects.metropole, consolidated=False),
        ),
        report_by_name("report_consolidated", subjects, clock),
        report_by_name("report_metropole", subjects, clock),
    ]


def report_by_name(name: str, subjects: Subjects, clock: Clock) -> Operation:
    consolidated = name == "report_consolidated"
    if consolidated:
        key = "report.consolidated.generate"
        description = "consolidated report — CA (150 communes), reports.services request + generate (PDF)"
        organisation, role = subjects.agglomeration, "agglomeration.admin"
    else:
        key = "report.quarterly.metropole"
        description = "quarterly report — Métropole (10,000 incidents), end to end (PDF)"
        organisation, role = subjects.metropole, "metropole.security_officer"
    return Operation(
        key,
        description,
        "reports",
        _generation(subjects, organisation, role, consolidated=consolidated),
        prepare=clock.start,
        cleanup=lambda: _forget_reports(clock.started),
        slow=True,
    )


def _incident_reminders() -> str:
    from incidents.reminders import send_due_reminders

    return f"{send_due_reminders()} reminders sent"


def _duty_reminders() -> str:
    from controls.reminders import send_duty_reminders

    return f"{send_duty_reminders()} reminders sent"


def _forget_duty_reminders(since: datetime.datetime) -> None:
    from controls.models import DutyReminder

    DutyReminder.objects.filter(created_at__gte=since).delete()


def _quarterly_beat() -> str:
    from reports import tasks

    with mock.patch.object(tasks.generate_report, "delay") as queued:
        requested = tasks.issue_quarterly_reports()
    return f"{requested} reports requested, {queued.call_count} generations queued"


def _clocked_task(
    key: str, label: str, run: Callable[[], str], clock: Clock, forget: Callable[[datetime.datetime], None]
) -> Operation:
    """A task timed from the clock's start; what it wrote since then is forgotten after each run."""
    return Operation(key, label, "tasks", run, prepare=clock.start, cleanup=lambda: forget(clock.started), slow=True)


def task_by_name(name: str, subjects: Subjects, clock: Clock | None = None) -> Operation:
    clock = clock or Clock()
    if name.startswith("report_"):
        return report_by_name(name, subjects, clock)
    if name == "incident_reminders":
        return Operation(
            "task.incident_reminders",
            "incident reminders — incidents.reminders.send_due_reminders (every 5 minutes)",
            "tasks",
            _incident_reminders,
            slow=True,
        )
    if name == "duty_reminders":
        label = "duty reminders — controls.reminders.send_duty_reminders (daily: today's batch)"
        return _clocked_task("task.duty_reminders", label, _duty_reminders, clock, _forget_duty_reminders)
    if name == "quarterly_beat":
        label = "quarterly beat — reports.tasks.issue_quarterly_reports (broker mocked)"
        return _clocked_task("task.quarterly_beat", label, _quarterly_beat, clock, _forget_reports)
    raise ValueError(f"unknown task {name!r}")


def task_operations(subjects: Subjects) -> list[Operation]:
    clock = Clock()
    return [task_by_name(name, subjects, clock) for name in ("incident_reminders", "duty_reminders", "quarterly_beat")]
