import logging

from celery import shared_task
from django.utils import timezone

from reports import services
from reports.models import Report

logger = logging.getLogger(__name__)


# acks_late + reject_on_worker_lost (settings): a job whose worker dies goes back to the queue. The hard time
# limit stays below the broker's visibility timeout, so a job still running is never handed to a second worker.
@shared_task(  # type: ignore[untyped-decorator]  # celery ships no type hints
    bind=True,
    name="reports.generate_report",
    max_retries=2,
    default_retry_delay=30,
    acks_late=True,
    # The report row holds the status: no result to store, and no wait on the result backend when Redis is down
    # (Celery subscribes to a result before it publishes: 20 retries, about 19 s, before the 202).
    ignore_result=True,
    soft_time_limit=240,
    time_limit=300,
)
def generate_report(self, report_id: int) -> str:  # type: ignore[no-untyped-def]
    """Generate one report; retried on failure, then marked failed with the error, never lost."""
    try:
        report = services.report_generate(report_id=report_id)
    except Report.DoesNotExist:
        return "missing"
    except Exception as error:
        logger.exception("Report %s failed", report_id)
        if self.request.retries < self.max_retries and not self.request.is_eager:
            raise self.retry(exc=error) from error
        services.report_fail(report_id=report_id, error=f"{type(error).__name__}: {error}")
        return "failed"
    if report.requested_by_id is None and report.notified_at is None:
        services.notify_executives(report=report)
    return report.status


@shared_task(name="reports.issue_quarterly_reports")  # type: ignore[untyped-decorator]  # celery ships no type hints
def issue_quarterly_reports() -> int:
    return len(services.issue_quarterly_reports())


@shared_task(name="reports.sweep_reports")  # type: ignore[untyped-decorator]  # celery ships no type hints
def sweep_reports() -> dict[str, int]:
    return services.reports_sweep(now=timezone.now())
