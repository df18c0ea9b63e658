"""docker-compose.yml and .env.example stay consistent with the settings (no Docker engine here)."""

import ast
import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
APPLICATION_SERVICES = ("web", "worker", "beat")
COMPOSE_ONLY_VARIABLES = {"POSTGRES_PASSWORD"}  # read by compose and the db image, not by Django


def settings_variables() -> set[str]:
    """Names passed to ``env(...)`` / ``env.<cast>(...)`` in nis2/settings.py."""
    tree = ast.parse((BASE_DIR / "nis2" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        function = node.func
        is_env_call = (isinstance(function, ast.Name) and function.id == "env") or (
            isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name) and function.value.id == "env"
        )
        if is_env_call and isinstance(node.args[0], ast.Constant):
            names.add(node.args[0].value)
    return names


def example_variables() -> set[str]:
    lines = (BASE_DIR / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}


def test_compose_file_follows_the_compose_specification() -> None:
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    jsonschema.validate(COMPOSE, json.loads(schema_file.read_text()))


def test_compose_describes_the_whole_deployment() -> None:
    services = COMPOSE["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    assert all("healthcheck" in services[name] for name in ("db", "redis", "web", "worker"))
    assert "pgdata" in COMPOSE["volumes"]
    assert "celery -A nis2 worker" in " ".join(services["worker"]["command"])
    assert "celery -A nis2 beat" in " ".join(services["beat"]["command"])


@pytest.mark.parametrize("service", APPLICATION_SERVICES)
def test_every_variable_passed_to_the_application_is_read_by_the_settings(service: str) -> None:
    passed = set(COMPOSE["services"][service]["environment"])
    assert passed - settings_variables() == set()
    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"} <= passed


def test_env_example_documents_every_setting_variable() -> None:
    assert example_variables() - COMPOSE_ONLY_VARIABLES == settings_variables()
