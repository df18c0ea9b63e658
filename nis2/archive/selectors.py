"""Reads of the data-export page."""

from django.db.models import QuerySet

from nis2.models import DataExport, Organisation


def data_exports_of(organisation: Organisation, *, limit: int = 20) -> QuerySet[DataExport]:
    """The organisation's latest archives, newest first."""
    return DataExport.objects.filter(organisation=organisation).select_related("requested_by")[:limit]


def ready_data_exports_of(organisation: Organisation) -> QuerySet[DataExport]:
    return DataExport.objects.filter(organisation=organisation, status=DataExport.Status.DONE)
