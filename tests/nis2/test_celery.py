import pytest
from django.conf import settings

from nis2.tasks import health


@pytest.mark.django_db
def test_health_task_runs_eagerly_without_a_broker() -> None:
    result = health.delay().get(timeout=5)
    assert result["eager"] is True
    assert result["database"] == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_health_task_round_trips_through_a_real_worker() -> None:
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    result = health.delay().get(timeout=60)
    assert result["eager"] is False
    assert result["worker"].startswith("celery@")
    assert result["database"] == 1
