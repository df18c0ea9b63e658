"""Reads of the data-export page."""

import datetime

from django.db.models import QuerySet

from nis2.models import DataExport, Organisation


def data_exports_of(organisation: Organisation, *, limit: int = 20) -> QuerySet[DataExport]:
    """The organisation's latest archives, newest first."""
    return DataExport.objects.filter(organisation=organisation).select_related("requested_by")[:limit]


def ready_data_exports_of(organisation: Organisation) -> QuerySet[DataExport]:
    return DataExport.objects.filter(organisation=organisation, status=DataExport.Status.DONE)


def oldest_waiting_export() -> datetime.datetime | None:
    """When the oldest archive still waiting or being written was asked for (the health URL reports it)."""
    waiting = (DataExport.Status.PENDING, DataExport.Status.RUNNING)
    return (
        DataExport.objects.filter(status__in=waiting)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
