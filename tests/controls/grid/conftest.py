"""Fixtures shared by the tests of the compact assessment grid: its reader (the DSI) and the assessment."""

from collections.abc import Callable

import pytest
from django.test import Client

from controls.models import Assessment
from nis2.models import Membership, Organisation
from nis2.roles import Role


@pytest.fixture
def dsi(organisation: Organisation, member_of: Callable[..., Membership]) -> Membership:
    return member_of(organisation, Role.IT, username="cdurand", first_name="Camille", last_name="Durand")


@pytest.fixture
def assessment(make_assessment: Callable[..., Assessment]) -> Assessment:
    """The small framework assessed by an essential entity: 1.1 and 1.2 (objective 1), 2.1 and 2.2 (objective 2)."""
    return make_assessment()


@pytest.fixture
def web(client: Client, dsi: Membership) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    client.force_login(dsi.user)
    return client


@pytest.fixture
def rated(assessment: Assessment, dsi: Membership) -> Assessment:
    """1.1 rated 4 of 3 (owned by the DSI), 1.2 unrated, 2.1 rated 1 of 3, 2.2 rated 3 of 3.
    Art. 21(2) points: 1.1 a and b, 1.2 b, 2.1 and 2.2 c."""
    assessment.items.filter(requirement__ref="1.1").update(current_level=4, owner=dsi.user)
    assessment.items.filter(requirement__ref="2.1").update(current_level=1)
    assessment.items.filter(requirement__ref="2.2").update(current_level=3)
    return assessment
