"""Jobs that always finish: a report requested while the broker is down is delivered once it is back, and a
report whose worker died is queued again, then failed with a reason, never left "running"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from kombu.exceptions import OperationalError

from reports import services
from reports.models import Report
from reports.tasks import generate_report
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


def _age(report: Report, minutes: int) -> None:
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now() - minutes * MINUTE)


def test_a_report_requested_while_the_broker_is_down_is_accepted_then_delivered(
    officer_api, organisation, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    def broker_down(*args: object, **kwargs: object) -> None:
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(generate_report, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_api.post(
            reverse("report-list"), {"organisation": organisation.pk, "period": "2026-Q3", "language": "fr"}
        )

    assert response.status_code == 202, response.content
    report = Report.objects.get(pk=response.json()["id"])
    assert report.status == Report.Status.PENDING
    assert services.reports_sweep(now=timezone.now()) == {"queued": 0, "failed": 0}  # within its grace

    monkeypatch.undo()  # the broker is back (eager here: the sweeper's queueing runs the job)
    _age(report, 3)
    assert services.reports_sweep(now=timezone.now()) == {"queued": 1, "failed": 0}

    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == (Report.Status.DONE, 1, "")


def test_a_report_whose_worker_died_is_queued_again_then_failed_with_a_reason(organisation, monkeypatch) -> None:
    queued: list[int] = []
    monkeypatch.setattr(generate_report, "delay", lambda report_id: queued.append(report_id))
    report = ReportFactory(organisation=organisation, status=Report.Status.RUNNING, progress=40)

    _age(report, 10)  # within the running budget: left alone
    assert services.reports_sweep(now=timezone.now()) == {"queued": 0, "failed": 0}

    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        _age(report, 20)
        assert services.reports_sweep(now=timezone.now()) == {"queued": 1, "failed": 0}
        report.refresh_from_db()
        assert (report.status, report.attempts, report.progress) == (Report.Status.PENDING, attempt, 0)
        Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING)  # a worker starts, then dies

    _age(report, 20)
    with translation.override("en"):
        assert services.reports_sweep(now=timezone.now()) == {"queued": 0, "failed": 1}
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == ("The report could not be generated after 3 attempts (queue or worker unavailable).")
    assert queued == [report.pk] * services.MAX_ATTEMPTS


def test_finished_reports_are_never_swept(organisation) -> None:
    done = ReportFactory(organisation=organisation, status=Report.Status.DONE)
    failed = ReportFactory(organisation=organisation, status=Report.Status.FAILED, period="2026-Q2")
    _age(done, 60)
    _age(failed, 60)

    assert services.reports_sweep(now=timezone.now()) == {"queued": 0, "failed": 0}
    assert Report.objects.get(pk=done.pk).status == Report.Status.DONE
    assert Report.objects.get(pk=failed.pk).attempts == 0
