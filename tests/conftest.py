from pathlib import Path

import pytest
from django.conf import settings as django_settings

from nis2.celery import app as celery_app

# The shared fixtures (tests/fixtures/__init__.py); a folder's conftest.py holds only its own.
pytest_plugins = [
    "tests.fixtures.people",
    "tests.fixtures.translations",
    "tests.fixtures.catalogues",
    "tests.fixtures.worker",
    "tests.fixtures.oidc",
]

CHROMIUM = "/usr/bin/chromium"
# Not under test-results/: pytest-playwright empties that folder at the start of every run.
REUSED_SQLITE_DATABASE = Path(django_settings.BASE_DIR) / ".pytest_cache" / "reused-test-database.sqlite3"


@pytest.fixture(autouse=True)
def _celery_mode(request: pytest.FixtureRequest) -> None:
    """Unit tests run tasks eagerly; tests marked ``worker`` go through the real broker."""
    celery_app.conf.task_always_eager = request.node.get_closest_marker("worker") is None


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_temporary_directory(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, request: pytest.FixtureRequest
) -> None:
    """With ``--reuse-db``, SQLite's test database is a file kept between runs, only new migrations applied
    (``--create-db`` starts it afresh): in memory, as it is otherwise, it is migrated again on every run."""
    database = django_settings.DATABASES["default"]
    reusable = database["ENGINE"] == "django.db.backends.sqlite3" and not database.get("TEST", {}).get("NAME")
    if request.config.getoption("reuse_db") and reusable:
        REUSED_SQLITE_DATABASE.parent.mkdir(exist_ok=True)
        database.setdefault("TEST", {})["NAME"] = str(REUSED_SQLITE_DATABASE)
        # A test database is disposable: no waiting for the disk at every commit.
        database.setdefault("OPTIONS", {})["init_command"] = "PRAGMA synchronous = OFF"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, object]) -> dict[str, object]:
    """Drive Debian's Chromium; never a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    """A French local authority's browser: French language, Paris time."""
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


def pytest_itemcollected(item: pytest.Item) -> None:
    """Browser tests are slow (a Chromium and a live server each): ``make test-fast`` leaves them out."""
    if item.get_closest_marker("browser") or "page" in getattr(item, "fixturenames", ()):
        item.add_marker(pytest.mark.slow)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``worker`` need a Celery broker and worker, tests marked ``postgres`` need
    PostgreSQL (``make test-postgres`` provides both); elsewhere they are deselected, and the run says so."""
    from django.conf import settings

    unavailable = set()
    if not settings.CELERY_BROKER_URL:
        unavailable.add("worker")
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        unavailable.add("postgres")
    needing = [item for item in items if any(item.get_closest_marker(name) for name in unavailable)]
    if needing:
        config.hook.pytest_deselected(items=needing)
        items[:] = [item for item in items if item not in needing]
        config.stash[_DESELECTED_FOR_WORKER] = len(needing)


_DESELECTED_FOR_WORKER = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter: object, exitstatus: int, config: pytest.Config) -> None:
    count = config.stash.get(_DESELECTED_FOR_WORKER, 0)
    if count:
        terminalreporter.write_line(  # type: ignore[attr-defined]
            f"{count} test(s) need PostgreSQL or a Celery worker on Redis and were not run here: "
            "`make test-postgres` runs them."
        )
