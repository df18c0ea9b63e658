"""What the health URL reports: the database answers, the broker takes jobs, how long the oldest job
has waited. Read by the health middleware (``nis2.health``) and described by the API's schema
(``nis2.api.health``): one check, two doors."""

from __future__ import annotations

import datetime
from typing import TypedDict

from celery import current_app
from django.apps import apps
from django.db import DatabaseError, connection
from django.utils.module_loading import import_string

BROKER_TIMEOUT_SECONDS = 2


class HealthBody(TypedDict):
    status: str
    tasks: str
    database: str
    broker: str
    oldest_waiting_job_seconds: float | None


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def _broker_state() -> str:
    """``eager`` without a broker (tasks run in the web process), else ``ok`` or ``down``."""
    if current_app.conf.task_always_eager:
        return "eager"
    try:
        with current_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception:  # any transport error means the broker cannot take a job now
        return "down"
    return "ok"


def oldest_waiting_job(now: datetime.datetime) -> float | None:
    """Age in seconds of the oldest job waiting or running, over the apps that declare one
    (``waiting_jobs`` on an AppConfig names a function returning the start of their oldest job)."""
    starts = []
    for config in apps.get_app_configs():
        path = getattr(config, "waiting_jobs", None)
        if path:
            start = import_string(path)()
            if start is not None:
                starts.append(start)
    return round((now - min(starts)).total_seconds()) if starts else None


def health_check(now: datetime.datetime) -> tuple[HealthBody, int]:
    """The body of the health answer and its HTTP status: 503 when the database or the broker is down."""
    database = _database_answers()
    broker = _broker_state()
    healthy = database and broker != "down"
    body: HealthBody = {
        "status": "ok" if healthy else "unavailable",
        "tasks": "eager" if broker == "eager" else "broker",
        "database": "ok" if database else "down",
        "broker": broker,
        "oldest_waiting_job_seconds": oldest_waiting_job(now) if database else None,
    }
    return body, 200 if healthy else 503
