"""Who may import a component file: members who write, in their own organisation only."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.dependencies.component_files import PAYROLL, csv_bytes, snapshot, upload
from tests.nis2.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_importing_into_an_organisation_the_user_does_not_belong_to_is_refused(api: APIClient) -> None:
    stranger = OrganisationFactory(name="Commune voisine")
    before = snapshot()

    response = upload(api, stranger, csv_bytes([PAYROLL]))

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Invalid input.",
        "errors": [
            {
                "field": "organisation",
                "code": "invalid",
                "message": f"Invalid pk “{stranger.pk}” - object does not exist.",
            }
        ],
    }
    assert snapshot() == before


def test_an_executive_cannot_import(
    organisation: Organisation, executive: Membership, api_client_for: Callable[..., APIClient]
) -> None:
    before = snapshot()

    response = upload(api_client_for(executive.user), organisation, csv_bytes([PAYROLL]))

    assert response.status_code == 403
    assert response.json()["detail"] == "You do not have permission to perform this action."
    assert snapshot() == before


def test_an_executive_here_who_runs_it_elsewhere_cannot_import_here(
    organisation: Organisation,
    executive: Membership,
    api_client_for: Callable[..., APIClient],
) -> None:
    MembershipFactory(user=executive.user, organisation=OrganisationFactory(name="Autre commune"), role=Role.IT)
    before = snapshot()

    response = upload(api_client_for(executive.user), organisation, csv_bytes([PAYROLL]))

    assert response.status_code == 403
    assert response.json()["detail"] == "Your role does not allow this change in this organisation."
    assert snapshot() == before
