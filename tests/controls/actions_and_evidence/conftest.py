"""The security officer's API client, shared by the action plan and evidence API tests."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from nis2.models import Membership


@pytest.fixture
def client(security_officer: Membership, api_client_for: Callable[..., APIClient]) -> APIClient:
    return api_client_for(security_officer.user)
