from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nis2.health_checks import health_check, oldest_waiting_job

__all__ = ["HealthView", "oldest_waiting_job"]


class HealthView(APIView):
    """For load balancers, the compose healthcheck and operators: the database answers, the broker takes
    jobs, and how long the oldest job has waited. 503 when the database or the broker is down.

    ``nis2.health.HealthCheckMiddleware`` answers this URL before the view is reached; the view gives the
    URL its name and its place in the API schema."""

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
        body, status = health_check(timezone.now())
        return Response(body, status=status)
