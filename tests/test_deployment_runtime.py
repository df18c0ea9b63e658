"""What the deployed application reads at run time: the database settings, JSON log lines, the health URL
and the queues each worker consumes."""

import json
import logging
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

from nis2.database_config import database_settings
from nis2.health import HEALTH_PATH
from nis2.logging import JsonFormatter
from tests.deployment_files import COMPOSE, TRICKY_PASSWORD, run_settings


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        pytest.param(
            {"host": "db", "name": "rempart", "user": "rempart", "password": TRICKY_PASSWORD},
            {"ENGINE": "django.db.backends.postgresql", "HOST": "db", "NAME": "rempart", "PASSWORD": TRICKY_PASSWORD},
            id="separate-variables-keep-the-password-intact",
        ),
        pytest.param(
            {"name": "rempart", "user": "rempart"},
            {"ENGINE": "django.db.backends.postgresql", "HOST": "", "NAME": "rempart", "PASSWORD": ""},
            id="name-alone-uses-the-local-socket",
        ),
        pytest.param(
            {"url": "postgres://rempart:p%40ss%2Fw%3Ard@127.0.0.1:5432/rempart"},
            {
                "ENGINE": "django.db.backends.postgresql",
                "HOST": "127.0.0.1",
                "NAME": "rempart",
                "PASSWORD": "p@ss/w:rd",
            },
            id="url-when-no-separate-variable",
        ),
        pytest.param(
            {"url": "sqlite:////srv/rempart/db.sqlite3"},
            {"ENGINE": "django.db.backends.sqlite3", "HOST": "", "NAME": "/srv/rempart/db.sqlite3", "PASSWORD": ""},
            id="sqlite-file",
        ),
    ],
)
def test_database_settings(variables: dict[str, str], expected: dict[str, str]) -> None:
    arguments = {"url": "sqlite:////unused.sqlite3", "host": "", "port": "5432", "name": "", "user": "", "password": ""}

    config = database_settings(**{**arguments, **variables}, connection_max_age=60)

    assert {key: config[key] for key in expected} == expected
    assert (config["ATOMIC_REQUESTS"], config["CONN_MAX_AGE"]) == (False, 60)


def test_database_settings_refuse_a_host_without_a_database_name() -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_NAME"):
        database_settings(url="", host="db", port="5432", name="", user="", password="", connection_max_age=0)


def log_record(message: str, *args: object, exc_info: object = None) -> logging.LogRecord:
    record = logging.LogRecord("incidents.reminders", logging.WARNING, __file__, 1, message, args, exc_info)
    record.created = 1_767_225_600.25  # 2026-01-01 00:00:00.250 UTC
    return record


def test_json_log_lines_parse_as_json() -> None:
    line = JsonFormatter().format(log_record("Relance envoyée pour l’incident %s", 42))

    assert json.loads(line) == {
        "time": "2026-01-01T00:00:00.250+00:00",
        "level": "WARNING",
        "logger": "incidents.reminders",
        "message": "Relance envoyée pour l’incident 42",
    }
    assert "\n" not in line


def test_json_log_lines_carry_the_exception() -> None:
    try:
        raise RuntimeError("SMTP server unreachable")
    except RuntimeError:
        record = log_record("Reminder not sent", exc_info=sys.exc_info())

    entry = json.loads(JsonFormatter().format(record))

    assert entry["exception"].startswith("Traceback (most recent call last):")
    assert entry["exception"].endswith("RuntimeError: SMTP server unreachable")


def test_log_format_json_writes_json_lines_on_stdout() -> None:
    environment = {"DJANGO_DEBUG": "1", "LOG_FORMAT": "json", "LOG_LEVEL": "INFO"}
    code = "import logging; logging.getLogger('reports.tasks').info('Rapport %s prêt', 'T1'); print('end')"

    process = run_settings(environment, code)

    assert process.returncode == 0, process.stderr
    log_line, end = process.stdout.splitlines()
    entry = json.loads(log_line)
    assert (entry["level"], entry["logger"], entry["message"]) == ("INFO", "reports.tasks", "Rapport T1 prêt")
    assert end == "end"


def test_the_health_middleware_comes_first_and_knows_the_health_url() -> None:
    assert settings.MIDDLEWARE[0] == "nis2.health.HealthCheckMiddleware"
    assert reverse("api-health") == HEALTH_PATH


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_the_health_url_answers_whatever_the_host_and_the_scheme(client) -> None:
    response = client.get(HEALTH_PATH, HTTP_HOST="not-allowed.example")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["tasks"], response.json()["database"]) == ("ok", "eager", "ok")


@pytest.mark.django_db
def test_other_urls_still_refuse_a_host_outside_allowed_hosts(client) -> None:
    assert client.get("/login/", HTTP_HOST="not-allowed.example", secure=True).status_code == 400
    assert client.post(HEALTH_PATH, HTTP_HOST="not-allowed.example", secure=True).status_code == 400
    assert client.get("/login/", HTTP_HOST="localhost", secure=True).status_code == 200


def test_the_web_healthcheck_requests_the_health_url() -> None:
    healthcheck = " ".join(COMPOSE["services"]["web"]["healthcheck"]["test"])
    assert f"http://localhost:8000{HEALTH_PATH}" in healthcheck


def test_the_workers_consume_every_queue_and_reports_have_their_own() -> None:
    """Issue 15: a storm of reports never delays a reminder; no queue is left without a worker."""
    queues = {}
    for name, service in COMPOSE["services"].items():
        command = service.get("command", [])
        if command[:4] == ["celery", "-A", "nis2", "worker"]:
            queues[name] = set(command[command.index("-Q") + 1].split(","))
    assert set().union(*queues.values()) == set(settings.TASK_QUEUE_NAMES)
    assert queues["worker-reports"] == {"reports"}
    assert "reminders" in queues["worker"]
    assert "reports" not in queues["worker"]
    routes = settings.CELERY_TASK_ROUTES
    assert routes["incidents.send_deadline_reminders"]["queue"] == "reminders"
    assert routes["reports.generate_report"]["queue"] == "reports"
