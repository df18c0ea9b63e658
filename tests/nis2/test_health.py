"""The health URL tells an operator what is down: the database, the broker, a job waiting too long."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nis2.celery import app as celery_app
from nis2.models import DataExport
from reports.models import Report
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_the_oldest_waiting_job_is_reported(client: Client, organisation) -> None:
    report = ReportFactory(organisation=organisation, status=Report.Status.PENDING)
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=30))
    DataExport.objects.create(organisation=organisation, status=DataExport.Status.RUNNING)
    ReportFactory(organisation=organisation, status=Report.Status.DONE, period="2026-Q1")

    body = client.get(reverse("api-health")).json()

    assert body["status"] == "ok"
    assert 1795 <= body["oldest_waiting_job_seconds"] <= 1860


def test_a_broker_that_does_not_answer_makes_the_service_unavailable(client: Client, monkeypatch) -> None:
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    # Celery reads the CELERY_BROKER_URL environment variable before its configuration (the PostgreSQL run sets it).
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")  # nothing listens on port 1

    response = client.get(reverse("api-health"))

    assert response.status_code == 503
    assert response.json()["broker"] == "down"
    assert response.json()["database"] == "ok"
    assert response.json()["status"] == "unavailable"
