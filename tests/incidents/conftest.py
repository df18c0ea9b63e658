import datetime
from collections.abc import Iterator

import pytest
from django.utils import timezone, translation


@pytest.fixture
def now() -> datetime.datetime:
    """The real current time, to the second: the API stamps with ``timezone.now()``."""
    return timezone.now().replace(microsecond=0)


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Iterator[None]:
    """Services called directly by a test write English, like the English API clients; a request still
    speaks the language it asks for (LocaleMiddleware)."""
    with translation.override("en"):
        yield


@pytest.fixture
def officer_client(client, security_officer):
    """The web client signed in as the security officer."""
    client.force_login(security_officer.user)
    return client
