"""The governance API's list queries do not grow with the approvals and trainings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from nis2.roles import Role
from tests.reports.factories import ApprovalFactory, TrainingFactory
from tests.reports.governance.governance_requests import APPROVALS, TRAININGS

pytestmark = pytest.mark.django_db


def _listing(client: APIClient, url: str, organisation) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"organisation": organisation.pk, "page_size": 100})
    assert response.status_code == 200, response.content
    return response.json()["count"], len(queries)


def test_approval_list_queries_do_not_grow_with_the_approvals(executive_api, organisation, member_of) -> None:
    recorders = [member_of(organisation, Role.EXECUTIVE).user for _ in range(3)]
    for index in range(2):
        ApprovalFactory(organisation=organisation, recorded_by=recorders[index])
    few, few_queries = _listing(executive_api, APPROVALS, organisation)
    for index in range(28):
        ApprovalFactory(organisation=organisation, recorded_by=recorders[index % 3])

    many, many_queries = _listing(executive_api, APPROVALS, organisation)

    assert (few, many) == (2, 30)
    assert many_queries == few_queries


def test_training_list_queries_do_not_grow_with_the_trainings(executive_api, organisation, member_of) -> None:
    people = [member_of(organisation, Role.EXECUTIVE).user for _ in range(5)]
    TrainingFactory(organisation=organisation, person=people[0], person_name="")
    TrainingFactory(organisation=organisation)
    few, few_queries = _listing(executive_api, TRAININGS, organisation)
    for index in range(28):
        TrainingFactory(organisation=organisation, person=people[index % 5], person_name="", recorded_by=people[0])

    many, many_queries = _listing(executive_api, TRAININGS, organisation)

    assert (few, many) == (2, 30)
    assert many_queries == few_queries
