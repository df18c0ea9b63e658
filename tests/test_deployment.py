"""docker-compose.yml, the Dockerfile, the Caddyfile and .env.example stay consistent with the settings.

No Docker engine runs here: the files are read, and the environment compose would give the
containers is rebuilt from docker-compose.yml and handed to the settings in a subprocess.
"""

import ast
import json
import re
import secrets
import tomllib
from collections.abc import Mapping
from importlib import resources

import jsonschema
import pytest

from tests.deployment_files import BASE_DIR, CADDYFILE, COMPOSE, DOCKERFILE, TRICKY_PASSWORD, run_settings

APPLICATION_SERVICES = ("migrate", "web", "worker", "worker-reports", "beat")
SERVICES_AFTER_MIGRATE = ("web", "worker", "worker-reports", "beat")
# Read by compose, the db image or Caddy, not by Django.
COMPOSE_ONLY_VARIABLES = {"POSTGRES_PASSWORD", "PUBLIC_HOST"}
# Compose passes the database as separate DATABASE_* variables, so that any password works.
NOT_PASSED_BY_COMPOSE = {"DATABASE_URL"}


def settings_variables() -> set[str]:
    """Names nis2/settings.py reads: ``env(...)``, ``env.<cast>(...)``, ``os.environ.get(...)``,
    ``os.getenv(...)`` and ``os.environ[...]``."""
    tree = ast.parse((BASE_DIR / "nis2" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            if isinstance(node.slice, ast.Constant):
                names.add(node.slice.value)
            continue
        if not isinstance(node, ast.Call) or not node.args:
            continue
        function = node.func
        is_env_call = (isinstance(function, ast.Name) and function.id == "env") or (
            isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name) and function.value.id == "env"
        )
        is_os_environ_get = ast.unparse(function) in ("os.environ.get", "os.getenv")
        if (is_env_call or is_os_environ_get) and isinstance(node.args[0], ast.Constant):
            names.add(node.args[0].value)
    return names


def example_lines() -> dict[str, str]:
    """``NAME=value`` and ``#NAME=value`` lines of .env.example, by name."""
    lines = (BASE_DIR / ".env.example").read_text().splitlines()
    matches = (re.fullmatch(r"#?([A-Z][A-Z0-9_]*)=(.*)", line) for line in lines)
    return {match[1]: match[2] for match in matches if match}


def example_settings() -> dict[str, str]:
    """What `cp .env.example .env` gives compose: the uncommented lines."""
    lines = (BASE_DIR / ".env.example").read_text().splitlines()
    matches = (re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line) for line in lines)
    return {match[1]: match[2] for match in matches if match}


def interpolate(text: str, variables: Mapping[str, str]) -> str:
    """Compose's ``$$``, ``$NAME``, ``${NAME}``, ``${NAME:-default}`` and ``${NAME:?error}``, defaults nested."""
    result, position = [], 0
    while position < len(text):
        unbraced = re.compile(r"\$([A-Za-z_]\w*)").match(text, position)
        if text.startswith("$$", position):
            result.append("$")
            position += 2
        elif unbraced:
            result.append(variables.get(unbraced[1], ""))
            position = unbraced.end()
        elif text.startswith("${", position):
            depth, end = 1, position + 2
            while depth:
                depth += {"{": 1, "}": -1}.get(text[end], 0)
                end += 1
            expression = text[position + 2 : end - 1]
            name, operator, operand = re.fullmatch(r"(\w+)(?:(:-|:\?)(.*))?", expression, re.DOTALL).groups()
            value = variables.get(name, "")
            if not value and operator == ":-":
                value = interpolate(operand, variables)
            elif not value and operator == ":?":
                raise ValueError(f"compose would stop: {interpolate(operand, variables)}")
            result.append(value)
            position = end
        else:
            result.append(text[position])
            position += 1
    return "".join(result)


def container_environment(service: str, dotenv: Mapping[str, str]) -> dict[str, str]:
    environment = COMPOSE["services"][service]["environment"]
    return {name: interpolate(str(value), dotenv) for name, value in environment.items()}


def test_compose_file_follows_the_compose_specification() -> None:
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    jsonschema.validate(COMPOSE, json.loads(schema_file.read_text()))


def test_compose_describes_the_whole_deployment() -> None:
    services = COMPOSE["services"]
    assert set(services) == {"proxy", "db", "redis", "migrate", "web", "worker", "worker-reports", "beat"}
    assert all("healthcheck" in services[name] for name in ("db", "redis", "web", "worker", "worker-reports"))
    assert {"pgdata", "media", "caddy_data", "caddy_config"} <= set(COMPOSE["volumes"])
    assert "celery -A nis2 worker" in " ".join(services["worker"]["command"])
    assert "celery -A nis2 beat" in " ".join(services["beat"]["command"])


@pytest.mark.parametrize("service", APPLICATION_SERVICES)
def test_every_variable_passed_to_the_application_is_read_by_the_settings(service: str) -> None:
    passed = set(COMPOSE["services"][service]["environment"])
    assert passed - settings_variables() == set()


@pytest.mark.parametrize("service", APPLICATION_SERVICES)
def test_every_setting_variable_is_passed_to_every_application_service(service: str) -> None:
    passed = set(COMPOSE["services"][service]["environment"])
    assert settings_variables() - NOT_PASSED_BY_COMPOSE - passed == set()
    assert NOT_PASSED_BY_COMPOSE & passed == set()


def test_the_migrate_service_prepares_the_database_once() -> None:
    migrate = COMPOSE["services"]["migrate"]
    assert migrate["command"] == [
        "sh",
        "-c",
        "python manage.py migrate --noinput && python manage.py load_reference_data",
    ]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }


@pytest.mark.parametrize("service", SERVICES_AFTER_MIGRATE)
def test_application_services_start_after_migrate_completes(service: str) -> None:
    assert COMPOSE["services"][service]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    assert "migrate" not in " ".join(COMPOSE["services"][service]["command"])


def test_only_the_proxy_publishes_ports() -> None:
    publishing = {name for name, service in COMPOSE["services"].items() if service.get("ports")}
    assert publishing == {"proxy"}
    assert COMPOSE["services"]["proxy"]["ports"] == ["80:80", "443:443", "443:443/udp"]
    assert COMPOSE["services"]["web"]["expose"] == ["8000"]


def test_the_proxy_serves_the_public_host_through_web() -> None:
    proxy = COMPOSE["services"]["proxy"]
    assert proxy["image"] == "caddy:2"
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert {"caddy_data:/data", "caddy_config:/config"} <= set(proxy["volumes"])
    assert proxy["environment"] == {"PUBLIC_HOST": "${PUBLIC_HOST:-localhost}"}
    assert re.search(r"^\{\$PUBLIC_HOST:localhost\} \{$", CADDYFILE, re.MULTILINE)
    assert re.search(r"^\s+reverse_proxy web:8000$", CADDYFILE, re.MULTILINE)


@pytest.mark.parametrize("service", sorted(COMPOSE["services"]))
def test_every_service_has_resource_limits(service: str) -> None:
    limits = COMPOSE["services"][service]["deploy"]["resources"]["limits"]
    assert set(limits) == {"cpus", "memory"}
    assert float(limits["cpus"]) > 0
    assert re.fullmatch(r"\d+[MG]", limits["memory"])


@pytest.mark.parametrize("service", APPLICATION_SERVICES)
def test_the_media_volume_is_mounted_where_the_application_stores_files(service: str) -> None:
    environment = COMPOSE["services"][service]["environment"]
    assert f"media:{environment['MEDIA_ROOT']}" in COMPOSE["services"][service]["volumes"]


CHECK_AND_PRINT_SETTINGS = """
import json
from django.conf import settings
from django.core.management import call_command

call_command("check", deploy=True, fail_level="WARNING")
database = settings.DATABASES["default"]
print(json.dumps({
    "database": [database[key] for key in ("ENGINE", "HOST", "PORT", "NAME", "USER", "PASSWORD")],
    "hosts": settings.ALLOWED_HOSTS,
    "origins": settings.CSRF_TRUSTED_ORIGINS,
    "site": settings.SITE_URL,
    "fallbacks": settings.SECRET_KEY_FALLBACKS,
    "redirect": settings.SECURE_SSL_REDIRECT,
    "log_format": settings.LOG_FORMAT,
    "media": str(settings.MEDIA_ROOT),
}))
"""


def test_compose_with_the_example_env_file_gives_working_production_settings() -> None:
    """`cp .env.example .env`, set the secret key and the password, `docker compose up -d`."""
    old_key = secrets.token_urlsafe(50)
    dotenv = {
        **example_settings(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECRET_KEY_FALLBACKS": old_key,
        "POSTGRES_PASSWORD": TRICKY_PASSWORD,
        "PUBLIC_HOST": "rempart.example.fr",
    }
    environment = container_environment("web", dotenv)

    process = run_settings(environment, CHECK_AND_PRINT_SETTINGS)

    assert process.returncode == 0, process.stderr
    assert json.loads(process.stdout.splitlines()[-1]) == {
        "database": ["django.db.backends.postgresql", "db", "5432", "rempart", "rempart", TRICKY_PASSWORD],
        "hosts": ["rempart.example.fr"],
        "origins": ["https://rempart.example.fr"],
        "site": "https://rempart.example.fr",
        "fallbacks": [old_key],
        "redirect": True,
        "log_format": "json",
        "media": "/app/media",
    }


def test_compose_refuses_to_start_without_the_secret_key_or_the_database_password() -> None:
    with pytest.raises(ValueError, match=r"set SECRET_KEY in \.env"):
        container_environment("web", {"POSTGRES_PASSWORD": "password"})
    with pytest.raises(ValueError, match=r"set POSTGRES_PASSWORD in \.env"):
        container_environment("web", {"SECRET_KEY": "key"})


def test_env_example_documents_every_setting_variable() -> None:
    assert set(example_lines()) - COMPOSE_ONLY_VARIABLES == settings_variables()


def test_env_example_marks_the_variables_only_compose_reads() -> None:
    text = (BASE_DIR / ".env.example").read_text()
    for name in COMPOSE_ONLY_VARIABLES:
        comment = re.search(rf"((?:^#[^\n]*\n)+){name}=", text, re.MULTILINE)[1]
        assert "[docker-compose.yml only]" in comment, name


def test_env_example_shows_the_values_compose_uses_by_default() -> None:
    # DATABASE_PASSWORD defaults to POSTGRES_PASSWORD, which .env.example leaves empty.
    commented = {
        name: value
        for name, value in example_lines().items()
        if name not in example_settings() and name not in NOT_PASSED_BY_COMPOSE | {"DATABASE_PASSWORD"}
    }
    dotenv = {**example_settings(), "SECRET_KEY": "key", "POSTGRES_PASSWORD": "password"}
    environment = container_environment("web", dotenv)
    assert {name: environment[name] for name in commented} == commented


def test_the_image_gives_the_application_user_its_media_and_static_directories() -> None:
    before_user, user_line, _ = DOCKERFILE.partition("\nUSER rempart\n")
    assert user_line
    assert "mkdir -p /app/media /app/staticfiles" in before_user
    assert "chown -R rempart:rempart /app/media /app/staticfiles" in before_user
    assert "useradd --create-home --uid 1000 rempart" in before_user


def test_the_image_holds_everything_the_application_reads_at_run_time() -> None:
    pyproject = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())
    packages = {name.rstrip("*") for name in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied = set(re.findall(r"^COPY (\S+) \1$", DOCKERFILE, re.MULTILINE))
    assert copied == packages | {"locale"}
    assert "COPY manage.py ./" in DOCKERFILE
    # Data files sit in the packages: the image runs the code from /app, not from site-packages.
    assert "PYTHONPATH=/app" in DOCKERFILE
    data_directories = ["controls/catalogues", "incidents/data", "dependencies/data", "nis2/static", "nis2/templates"]
    assert all((BASE_DIR / directory).is_dir() for directory in data_directories)
