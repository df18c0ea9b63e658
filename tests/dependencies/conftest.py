from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from dependencies.models import Product
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.dependencies.factories import LegalEntityFactory, ProductFactory


@pytest.fixture
def it_member(organisation: Organisation, member_of: Callable[..., Membership]) -> Membership:
    """A member of the IT department (DSI): the one role that writes the dependency map."""
    return member_of(organisation, Role.IT, username="dsi")


@pytest.fixture
def executive(organisation: Organisation, member_of: Callable[..., Membership]) -> Membership:
    return member_of(organisation, Role.EXECUTIVE, username="dgs")


@pytest.fixture
def api(it_member: Membership, api_client_for: Callable[..., APIClient]) -> APIClient:
    return api_client_for(it_member.user)


@pytest.fixture
def english_client(client: Client) -> Client:
    """The web test client, asking for English pages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def shared_office_suite() -> Product:
    """An open-source office suite in the shared catalogue, published in Germany."""
    publisher = LegalEntityFactory(key="fondation-documents", name="Fondation Documents", country="DE")
    return ProductFactory(
        key="bureautique-libre",
        name="Bureautique Libre",
        publisher=publisher,
        licence_model=Product.LicenceModel.OPEN_SOURCE,
    )
