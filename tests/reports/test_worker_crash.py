"""Report jobs always finish, with real processes (PostgreSQL run only): a worker SIGKILLed in the middle of a
report, or a broker down when the report is requested, leaves a report ``done`` once a worker and the broker are
back and the sweeper has run (as beat runs it): never ``running`` or ``pending`` for ever.

Each test runs its own redis-server on a free port and its own solo Celery worker, so the suite's shared worker and
Redis are never touched; while the test runs, this process publishes to that private Redis."""

from __future__ import annotations

import datetime
import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from controls.models import Assessment
from nis2.celery import app as celery_app
from nis2.models import Membership, Organisation
from reports import services
from reports.models import Report
from tests.controls.factories import framework_with_requirements
from tests.reports.dates import Q3, paris

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,  # the worker subprocess reads the test database, which SQLite's in-memory one is not
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("worker_media"),
]

CELERY = Path(sys.executable).with_name("celery")
REDIS_SERVER = "/usr/bin/redis-server"
MINUTE = datetime.timedelta(minutes=1)
START_SECONDS = 30  # for a redis-server or a worker to be ready, or a queued report to start
FINISH_SECONDS = 40  # for a queued report to be generated
# With the broker down, the request must not wait on it: publishing gives up within about a second (Celery's publish
# retry policy) and nothing waits on a result backend (the task ignores its result). It took 19 s before.
REQUEST_TIMEOUT_SECONDS = 5
# An assessment this large takes the worker about 1.5 s to render, against the 5 ms the test needs to see the
# report running and kill the worker: the kill lands in the middle of the generation.
REQUIREMENTS = 1500
REQUEST = {"period": "2026-Q3", "language": "fr"}


def wait_for(predicate: Callable[[], object], *, timeout: float, interval: float, what: Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout} s waiting for {what()}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(process: subprocess.Popen[bytes], *, grace: float = 10) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=grace)


class RedisServer:
    """A private redis-server: stopping it is the broker going down, starting it again on the same port is the
    broker coming back (empty: nothing is saved)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        with (self.directory / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(
                [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
                + ["--daemonize", "no", "--dir", str(self.directory)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(self.answers, timeout=START_SECONDS, interval=0.05, what=lambda: f"redis-server on {self.port}")

    def answers(self) -> bool:
        assert self.process is not None
        assert self.process.poll() is None, (self.directory / "redis.log").read_text()
        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


class Worker:
    """A solo Celery worker on the private broker and the test database: it runs the task in its own process,
    the one the test kills."""

    def __init__(self, name: str, broker_url: str, directory: Path) -> None:
        database = connection.settings_dict
        environment = {
            **os.environ,  # DJANGO_DEBUG, SECRET_KEY, ALLOWED_HOSTS, MEDIA_ROOT... as this process has them
            "CELERY_BROKER_URL": broker_url,
            "CELERY_RESULT_BACKEND": broker_url,
            # The separate variables win over DATABASE_URL (nis2/database_config.py) and carry any password as is.
            "DATABASE_HOST": database["HOST"] or "",
            "DATABASE_PORT": str(database["PORT"] or "5432"),
            "DATABASE_NAME": database["NAME"],  # the test database (test_<name>)
            "DATABASE_USER": database["USER"] or "",
            "DATABASE_PASSWORD": database["PASSWORD"] or "",
            "DATABASE_CONN_MAX_AGE": "0",
            "PYTHONUNBUFFERED": "1",
        }
        self.log_path = directory / f"worker-{name}.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [str(CELERY), "-A", "nis2", "worker", "--pool", "solo", "--concurrency", "1", "--loglevel", "INFO"]
                + ["--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", f"crash-{name}@%h"],
                cwd=settings.BASE_DIR,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.pid = self.process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self) -> None:
        def ready() -> bool:
            assert self.process.poll() is None, f"The worker exited:\n{self.log()}"
            return " ready." in self.log()

        wait_for(ready, timeout=START_SECONDS, interval=0.1, what=lambda: f"the worker to be ready:\n{self.log()}")

    def received_reports(self) -> int:
        """How many report jobs this worker took from the broker (its log names the task, not the report)."""
        return sum(
            "Task reports.generate_report[" in line and line.endswith("] received") for line in self.log().splitlines()
        )


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def publish_to_private_redis(private_redis: RedisServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's Celery app publishes to the private Redis and keeps its results there, as the web process
    does with the production Redis. Celery reads CELERY_BROKER_URL and CELERY_RESULT_BACKEND from the environment
    before its configuration, and caches its broker connections and result backend: those are set aside, then
    closed and given back afterwards."""
    url = private_redis.url
    saved_pool, saved_producers = celery_app._pool, celery_app.amqp._producer_pool
    saved_backend_cache, saved_backend = celery_app._backend_cache, getattr(celery_app._local, "backend", None)
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    monkeypatch.setenv("CELERY_RESULT_BACKEND", url)
    monkeypatch.setitem(celery_app.conf, "broker_url", url)
    monkeypatch.setitem(celery_app.conf, "result_backend", url)
    celery_app._pool = celery_app.amqp._producer_pool = None
    celery_app._backend_cache = celery_app._local.backend = None
    assert celery_app.conf.broker_url == url
    assert not celery_app.conf.task_always_eager
    try:
        yield
    finally:
        if celery_app._pool is not None:
            celery_app._pool.force_close_all()
        if celery_app.amqp._producer_pool is not None:
            celery_app.amqp._producer_pool.force_close_all()
        if celery_app._backend is not None:
            celery_app._backend.client.connection_pool.disconnect()
        celery_app._pool, celery_app.amqp._producer_pool = saved_pool, saved_producers
        celery_app._backend_cache, celery_app._local.backend = saved_backend_cache, saved_backend


@pytest.fixture
def start_worker(
    private_redis: RedisServer, publish_to_private_redis: None, tmp_path: Path
) -> Iterator[Callable[[str], Worker]]:
    """``start_worker(name)``: a new worker on the private broker, stopped (killed after a grace) at the end."""
    workers: list[Worker] = []

    def start(name: str) -> Worker:
        worker = Worker(name, private_redis.url, tmp_path)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        stop(worker.process)


def status_of(report_id: int) -> tuple[str, int]:
    return Report.objects.filter(pk=report_id).values_list("status", "progress").get()


def wait_until_finished(report_id: int, worker: Worker) -> Report:
    wait_for(
        lambda: status_of(report_id)[0] in (Report.Status.DONE, Report.Status.FAILED),
        timeout=FINISH_SECONDS,
        interval=0.1,
        what=lambda: f"report {report_id} to finish, {status_of(report_id)}; worker log:\n{worker.log()}",
    )
    return Report.objects.get(pk=report_id)


def assert_generated(report: Report, api: APIClient) -> None:
    assert (report.status, report.progress, report.error) == (Report.Status.DONE, 100, ""), report.error
    with report.pdf.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == report.sha256
    download = api.get(reverse("report-pdf", args=[report.pk]))
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == report.sha256


def test_a_report_whose_worker_is_killed_mid_generation_is_generated_again(
    officer_api: APIClient,
    organisation: Organisation,
    security_officer: Membership,
    rated_assessment: Callable[..., Assessment],
    start_worker: Callable[[str], Worker],
) -> None:
    levels = {f"R{index + 1}": index % 6 for index in range(0, REQUIREMENTS, 50)}
    framework = framework_with_requirements(REQUIREMENTS)
    rated_assessment(organisation, framework, Q3, levels, security_officer.user, (paris(7, 2), paris(9, 20)))
    first = start_worker("first")
    first.wait_ready()

    response = officer_api.post(reverse("report-list"), {"organisation": organisation.pk, **REQUEST}, format="json")
    assert response.status_code == 202, response.content
    report_id = response.json()["id"]

    wait_for(
        lambda: status_of(report_id)[0] == Report.Status.RUNNING,
        timeout=START_SECONDS,
        interval=0.005,
        what=lambda: f"report {report_id} to run, {status_of(report_id)}; worker log:\n{first.log()}",
    )
    os.kill(first.pid, signal.SIGKILL)
    assert first.process.wait(timeout=10) == -signal.SIGKILL
    with pytest.raises(ProcessLookupError):
        os.kill(first.pid, 0)
    assert first.received_reports() == 1, first.log()
    # It was this worker's job, cut short: the report stays where the worker died, nobody finishes it.
    report = Report.objects.get(pk=report_id)
    assert (report.status, report.attempts, report.error) == (Report.Status.RUNNING, 0, "")
    assert report.progress < 100

    second = start_worker("second")
    second.wait_ready()
    # The broker would hand the unacknowledged job out again only after its visibility timeout (900 s); the
    # sweeper leaves a running report alone within its budget, and queues it again once beat runs it past that.
    assert services.reports_sweep(now=timezone.now()) == {"queued": 0, "failed": 0}
    later = timezone.now() + services.RUNNING_BUDGET + MINUTE
    assert services.reports_sweep(now=later) == {"queued": 1, "failed": 0}

    report = wait_until_finished(report_id, second)
    assert report.attempts == 1
    assert_generated(report, officer_api)
    assert second.received_reports() == 1, second.log()


def test_a_report_requested_while_the_broker_is_down_is_generated_once_it_is_back(
    officer_api: APIClient,
    organisation: Organisation,
    private_redis: RedisServer,
    start_worker: Callable[[str], Worker],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # This process was connected to the broker, as a web process is, when the broker went down.
    with celery_app.pool.acquire(block=True) as broker:
        broker.ensure_connection(max_retries=1)
    private_redis.stop()

    started = time.monotonic()
    response = officer_api.post(reverse("report-list"), {"organisation": organisation.pk, **REQUEST}, format="json")
    assert time.monotonic() - started < REQUEST_TIMEOUT_SECONDS
    assert response.status_code == 202, response.content
    report_id = response.json()["id"]
    assert f"Report {report_id} not queued (broker unavailable)" in caplog.text
    report = Report.objects.get(pk=report_id)
    assert (report.status, report.attempts) == (Report.Status.PENDING, 0)
    assert services.reports_sweep(now=timezone.now()) == {"queued": 0, "failed": 0}  # within its grace

    private_redis.start()
    worker = start_worker("after-outage")
    worker.wait_ready()
    # Nothing was queued while the broker was down: the report waits for the sweeper, which beat runs.
    assert status_of(report_id) == (Report.Status.PENDING, 0)
    later = timezone.now() + services.QUEUED_GRACE + MINUTE
    assert services.reports_sweep(now=later) == {"queued": 1, "failed": 0}

    report = wait_until_finished(report_id, worker)
    assert report.attempts == 1
    assert_generated(report, officer_api)
    assert worker.received_reports() == 1, worker.log()
