"""The action plan through the API: an action's lifecycle and history, overdue actions, owners and roles."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from controls.models import ActionItem, Framework, Requirement
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.controls.factories import ActionFactory
from tests.nis2.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def action_state() -> list[dict[str, Any]]:
    return list(ActionItem.objects.order_by("pk").values())


def _post_policy_action(
    client: APIClient,
    organisation: Organisation,
    requirement: Requirement,
    security_officer: Membership,
    due: datetime.date,
) -> Any:
    """Create, through the API, a high-priority action on the requirement, owned by the security officer."""
    return client.post(
        reverse("action-list"),
        {
            "organisation": organisation.pk,
            "title": "Write the security policy",
            "requirements": [requirement.pk],
            "owner": security_officer.user.pk,
            "due_date": due.isoformat(),
            "priority": "high",
            "estimated_cost_eur": "1200.50",
        },
        format="json",
    )


def test_action_lifecycle(
    client: APIClient, organisation: Organisation, small_framework: Framework, security_officer: Membership
) -> None:
    requirement = small_framework.requirements.get(ref="1.1")
    due = timezone.localdate() + datetime.timedelta(days=30)

    created = _post_policy_action(client, organisation, requirement, security_officer, due)

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["completed_at"], body["overdue"], body["requirement_refs"]) == (
        "open",
        None,
        False,
        ["1.1"],
    )
    assert (body["owner"], body["due_date"], body["priority"], body["estimated_cost_eur"]) == (
        security_officer.user.pk,
        due.isoformat(),
        "high",
        "1200.50",
    )
    url = reverse("action-detail", kwargs={"pk": body["id"]})

    done = client.patch(url, {"status": "done"}, format="json")

    assert done.status_code == 200, done.content
    action = ActionItem.objects.get()
    assert action.status == ActionItem.Status.DONE
    assert action.completed_at is not None
    assert done.json()["completed_at"] is not None

    reopened = client.patch(url, {"status": "in_progress", "title": "Write and sign the policy"}, format="json")

    assert reopened.status_code == 200, reopened.content
    action.refresh_from_db()
    assert (action.status, action.completed_at, action.title) == ("in_progress", None, "Write and sign the policy")
    history = client.get(reverse("action-history", kwargs={"pk": action.pk})).json()["results"]
    # created, its requirements set, done, reopened: newest first
    assert [record["history_type"] for record in history] == ["changed", "changed", "changed", "created"]
    assert history[0]["changes"]["status"] == {"old": "done", "new": "in_progress"}
    assert history[1]["changes"]["status"] == {"old": "open", "new": "done"}
    assert list(history[2]["changes"]) == ["requirements"]
    assert {record["history_user"] for record in history} == {"rssi"}

    deleted = client.delete(url)

    assert deleted.status_code == 204
    assert not ActionItem.objects.exists()


def test_an_action_created_done_is_completed(client: APIClient, organisation: Organisation) -> None:
    response = client.post(
        reverse("action-list"), {"organisation": organisation.pk, "title": "Done already", "status": "done"}
    )

    assert response.status_code == 201, response.content
    assert ActionItem.objects.get().completed_at is not None


def test_overdue_actions(client: APIClient, organisation: Organisation) -> None:
    today = timezone.localdate()
    yesterday, last_month, next_week = (today + datetime.timedelta(days=days) for days in (-1, -30, 7))
    for title, due_date, status in [
        ("late open", yesterday, ActionItem.Status.OPEN),
        ("late in progress", last_month, ActionItem.Status.IN_PROGRESS),
        ("due today", today, ActionItem.Status.OPEN),
        ("next week", next_week, ActionItem.Status.OPEN),
        ("late but done", yesterday, ActionItem.Status.DONE),
        ("late but abandoned", last_month, ActionItem.Status.ABANDONED),
        ("no due date", None, ActionItem.Status.OPEN),
    ]:
        ActionFactory(organisation=organisation, title=title, due_date=due_date, status=status)
    ActionFactory(organisation=OrganisationFactory(), title="someone else's", due_date=yesterday)

    overdue = client.get(reverse("action-list"), {"overdue": "true"}).json()
    everything = client.get(reverse("action-list")).json()

    assert [(row["title"], row["overdue"]) for row in overdue["results"]] == [
        ("late in progress", True),
        ("late open", True),
    ]
    assert {row["title"]: row["overdue"] for row in everything["results"]} == {
        "late open": True,
        "late in progress": True,
        "due today": False,
        "next week": False,
        "late but done": False,
        "late but abandoned": False,
        "no due date": False,
    }


@pytest.mark.parametrize(
    "owner",
    [pytest.param("stranger", id="unknown-person"), pytest.param("neighbour", id="member-elsewhere")],
)
def test_an_action_owner_must_be_a_member(
    client: APIClient, organisation: Organisation, security_officer: Membership, member_of, owner: str
) -> None:
    # The security officer also belongs to a neighbouring organisation, so sees its members.
    neighbour = OrganisationFactory()
    MembershipFactory(organisation=neighbour, user=security_officer.user, role=Role.AUDITOR)
    owners = {"stranger": UserFactory(), "neighbour": member_of(neighbour, Role.ADMIN).user}
    action = ActionFactory(organisation=organisation)
    before = action_state()

    created = client.post(
        reverse("action-list"),
        {"organisation": organisation.pk, "title": "Patch the servers", "owner": owners[owner].pk},
        format="json",
    )
    updated = client.patch(
        reverse("action-detail", kwargs={"pk": action.pk}), {"owner": owners[owner].pk}, format="json"
    )

    assert (created.status_code, updated.status_code) == (400, 400)
    assert [error["field"] for error in created.json()["errors"]] == ["owner"]
    assert [error["field"] for error in updated.json()["errors"]] == ["owner"]
    assert action_state() == before


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.AUDITOR])
def test_read_only_roles_cannot_change_the_action_plan(
    role: Role, organisation: Organisation, member_of, api_client_for: Callable[..., APIClient]
) -> None:
    action = ActionFactory(organisation=organisation, title="Back up the mayor's office")
    before = action_state()
    client = api_client_for(member_of(organisation, role).user)
    url = reverse("action-detail", kwargs={"pk": action.pk})

    statuses = (
        client.get(url).status_code,
        client.post(reverse("action-list"), {"organisation": organisation.pk, "title": "New"}).status_code,
        client.patch(url, {"status": "done"}, format="json").status_code,
        client.delete(url).status_code,
    )

    assert statuses == (200, 403, 403, 403)
    assert action_state() == before
