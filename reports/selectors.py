"""Reads of the reports app for the rest of the service."""

import datetime

from reports.models import Report


def oldest_waiting_report() -> datetime.datetime | None:
    """When the oldest report still waiting or being generated was asked for (the health URL reports it)."""
    waiting = (Report.Status.PENDING, Report.Status.RUNNING)
    return Report.objects.filter(status__in=waiting).order_by("created_at").values_list("created_at", flat=True).first()
