from collections.abc import Callable

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from nis2.celery import app as celery_app
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.nis2.factories import MembershipFactory, OrganisationFactory, UserFactory

CHROMIUM = "/usr/bin/chromium"


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


@pytest.fixture
def organisation() -> Organisation:
    return OrganisationFactory()


@pytest.fixture
def member_of() -> Callable[..., Membership]:
    """``member_of(organisation, role)`` creates a person with that role there."""

    def make(organisation: Organisation, role: str = Role.SECURITY_OFFICER, **user_fields: object) -> Membership:
        return MembershipFactory(organisation=organisation, role=role, user=UserFactory(**user_fields))

    return make


@pytest.fixture
def api_client_for() -> Callable[..., APIClient]:
    """An API client authenticated with the user's token, speaking English unless told."""

    def make(user: object, language: str = "en") -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


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
