"""The management body's member who records governance, and the services' messages in English, shared by
the governance tests (NIS 2 Art. 20)."""

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from nis2.roles import Role


@pytest.fixture
def executive(organisation, member_of):
    return member_of(organisation, Role.EXECUTIVE, username="maire", first_name="Marie", last_name="Maire").user


@pytest.fixture
def executive_api(executive, api_client_for) -> APIClient:
    return api_client_for(executive)


@pytest.fixture
def _in_english():
    """The services' messages in English (test_governance_pages.py reads them in French): used by the service
    tests through their ``pytestmark``."""
    with translation.override("en"):
        yield
