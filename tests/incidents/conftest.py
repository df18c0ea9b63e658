import datetime
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from nis2.models import Membership, Organisation
from nis2.roles import Role

FRENCH_PO = Path(django_settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


@pytest.fixture
def security_officer(organisation: Organisation, member_of: Callable[..., Membership]) -> Membership:
    return member_of(organisation, Role.SECURITY_OFFICER, username="rssi", email="rssi@ville.example")


@pytest.fixture
def officer_api(security_officer: Membership, api_client_for: Callable[..., APIClient]) -> APIClient:
    """The organisation's security officer on the API, in English."""
    return api_client_for(security_officer.user)


@pytest.fixture
def now() -> datetime.datetime:
    """The real current time, to the second: the API stamps with ``timezone.now()``."""
    return timezone.now().replace(microsecond=0)


def incident_url(incident: Any, action: str = "") -> str:
    if not action:
        return reverse("incident-detail", args=[incident.pk])
    return reverse(f"incident-{action}", args=[incident.pk])


def obligation_url(obligation: Any) -> str:
    return reverse("incident-obligation-detail", kwargs={"incident_pk": obligation.incident_id, "pk": obligation.pk})


def api_time(value: str | None) -> datetime.datetime | None:
    """A datetime as the API writes it, parsed back (it carries the Paris offset)."""
    return datetime.datetime.fromisoformat(value) if value else None


def error_fields(response: Any) -> list[str | None]:
    return [error["field"] for error in response.json()["errors"]]


def error_messages(response: Any) -> list[str]:
    return [error["message"] for error in response.json()["errors"]]


@pytest.fixture(scope="session")
def _french_catalogue_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The French catalogue compiled from the .po file, as `make test` does before running pytest."""
    directory = tmp_path_factory.mktemp("locale")
    (directory / "fr" / "LC_MESSAGES").mkdir(parents=True)
    subprocess.run(
        ["msgfmt", "-o", str(directory / "fr" / "LC_MESSAGES" / "django.mo"), str(FRENCH_PO)],
        check=True,
        capture_output=True,
    )
    return directory


@pytest.fixture
def french_catalogue(settings: Any, _french_catalogue_directory: Path) -> None:
    """French texts from the current .po file, whether or not django.mo was recompiled after its last edit."""
    settings.LOCALE_PATHS = [_french_catalogue_directory]


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Iterator[None]:
    """Services called directly by a test write English, like the English API clients; a request still
    speaks the language it asks for (LocaleMiddleware)."""
    with translation.override("en"):
        yield
