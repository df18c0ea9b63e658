from __future__ import annotations

import datetime

from celery import current_app
from django.apps import apps
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.module_loading import import_string
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

BROKER_TIMEOUT_SECONDS = 2


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


class HealthView(APIView):
    """For load balancers, the compose healthcheck and operators: the database answers, the broker takes
    jobs, and how long the oldest job has waited. 503 when the database or the broker is down."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        responses={
            (200, "application/json"): inline_serializer(
                "Health",
                {
                    "status": serializers.CharField(),
                    "tasks": serializers.CharField(),
                    "database": serializers.CharField(),
                    "broker": serializers.CharField(),
                    "oldest_waiting_job_seconds": serializers.IntegerField(allow_null=True),
                },
            ),
            (503, "application/json"): inline_serializer("Unhealthy", {"status": serializers.CharField()}),
        }
    )
    def get(self, request: Request) -> Response:
        database = _database_answers()
        broker = _broker_state()
        healthy = database and broker != "down"
        body = {
            "status": "ok" if healthy else "unavailable",
            "tasks": "eager" if broker == "eager" else "broker",
            "database": "ok" if database else "down",
            "broker": broker,
            "oldest_waiting_job_seconds": oldest_waiting_job(timezone.now()) if database else None,
        }
        return Response(body, status=200 if healthy else 503)
