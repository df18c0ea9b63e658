"""Building a report's snapshot runs as many queries for a large organisation as for a small one."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from controls.models import ActionItem, Assessment
from incidents.models import Incident
from nis2.demo import spread_history
from nis2.models import Membership, Organisation
from nis2.roles import Role
from reports.snapshot import build_snapshot
from tests.controls.factories import ActionFactory, framework_with_requirements
from tests.nis2.factories import OrganisationFactory
from tests.reports.dates import Q3, paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated(
    member_of: Callable[..., Membership],
    rated_assessment: Callable[..., Assessment],
    past_incident: Callable[..., Incident],
    past_component: Callable[..., Any],
) -> Callable[..., Organisation]:
    """``populated(requirements, incidents, components, actions)``: an organisation with that much in Q3."""

    def make(requirements: int, incidents: int, components: int, actions: int) -> Organisation:
        organisation = OrganisationFactory()
        owner = member_of(organisation, Role.SECURITY_OFFICER).user
        levels = {f"R{index + 1}": index % 6 for index in range(0, requirements, 3)}
        rated_assessment(
            organisation, framework_with_requirements(requirements), Q3, levels, owner, (paris(7, 2), paris(9, 20))
        )
        for index in range(incidents):
            past_incident(organisation, owner, paris(7 + index % 3, 1 + index % 28, 8), significant=index % 2 == 0)
        for index in range(components):
            past_component(
                organisation,
                owner,
                f"Composant {index}",
                exposure=index % 5,
                criticality=1 + index % 4,
                cost=1_000 * (index + 1),
                recorded_at=paris(7, 10),
            )
        for index in range(actions):
            action = ActionFactory(organisation=organisation, owner=owner, due_date=paris(8 + index % 4, 15).date())
            spread_history(list(ActionItem.history.filter(id=action.pk)), paris(7, 5), paris(7, 6))
        return organisation

    return make


def count_queries(organisation: Organisation) -> tuple[dict[str, Any], int]:
    with CaptureQueriesContext(connection) as queries:
        snapshot = build_snapshot(organisation, Q3, language="fr")
    return snapshot, len(queries)


def test_snapshot_queries_do_not_grow_with_incidents_requirements_components_and_actions(
    populated: Callable[..., Organisation],
) -> None:
    small = populated(requirements=10, incidents=3, components=2, actions=2)
    large = populated(requirements=200, incidents=30, components=20, actions=20)

    small_snapshot, small_queries = count_queries(small)
    large_snapshot, large_queries = count_queries(large)

    assert (
        len(small_snapshot["maturity"]["requirements"]),
        small_snapshot["incidents"]["stats"]["total"],
        small_snapshot["dependencies"]["components"],
        len(small_snapshot["actions"]["overdue"]) + len(small_snapshot["actions"]["due_next"]),
    ) == (10, 3, 2, 2)
    assert (
        len(large_snapshot["maturity"]["requirements"]),
        large_snapshot["incidents"]["stats"]["total"],
        large_snapshot["dependencies"]["components"],
        len(large_snapshot["actions"]["overdue"]) + len(large_snapshot["actions"]["due_next"]),
    ) == (200, 30, 20, 20)
    assert large_queries == small_queries
