from typing import Any

from celery import shared_task
from django.db import connection
from django.utils import timezone

from nis2 import stored_files
from nis2.archive.services import data_export_write


@shared_task(bind=True, name="nis2.health")  # type: ignore[untyped-decorator]  # celery ships no type hints
def health(self: Any) -> dict[str, Any]:
    """Round trip through the broker: proves a worker runs and reaches the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (database_answer,) = cursor.fetchone()
    return {"worker": self.request.hostname, "eager": bool(self.request.is_eager), "database": database_answer}


@shared_task(name="nis2.write_data_export", acks_late=True)  # type: ignore[untyped-decorator]  # celery ships no type hints
def write_data_export(export_id: int) -> str:
    return str(data_export_write(export_id=export_id).status)


@shared_task(name="nis2.sweep_orphan_files")  # type: ignore[untyped-decorator]  # celery ships no type hints
def sweep_orphan_files() -> int:
    return len(stored_files.sweep_orphan_files(now=timezone.now()))
