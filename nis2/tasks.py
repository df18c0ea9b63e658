from typing import Any

from celery import shared_task
from django.db import connection


@shared_task(bind=True, name="nis2.health")
def health(self: Any) -> dict[str, Any]:
    """Round trip through the broker: proves a worker runs and reaches the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (database_answer,) = cursor.fetchone()
    return {"worker": self.request.hostname, "eager": bool(self.request.is_eager), "database": database_answer}
