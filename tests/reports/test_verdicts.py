"""Page 1's verdicts and decisions: pure functions of a snapshot, thresholds as documented."""

import copy

import pytest
from django.urls import reverse
from django.utils import translation

from nis2.roles import Role
from reports import verdicts
from reports.models import Report
from reports.verdicts import Status, Trend
from tests.nis2.factories import MembershipFactory
from tests.reports.snapshots import known_snapshot, statistics


def snapshot(**changes: object) -> dict:
    result = copy.deepcopy(known_snapshot("en"))
    for path, value in changes.items():
        target = result
        *parents, leaf = path.split("__")
        for parent in parents:
            target = target[parent]
        target[leaf] = value
    return result


@pytest.mark.parametrize(
    ("percent", "level", "previous_level", "status", "trend"),
    [
        pytest.param(80.0, 2.4, 2.4, Status.ON_TRACK, Trend.STABLE, id="80 % of the target is under control"),
        pytest.param(79.9, 2.4, 2.2, Status.WATCH, Trend.BETTER, id="just under 80 % is to watch"),
        pytest.param(50.0, 1.5, 1.6, Status.WATCH, Trend.WORSE, id="50 % is to watch, down 0.1 is worse"),
        pytest.param(49.9, 1.5, 1.45, Status.ACT, Trend.STABLE, id="under half the target needs action"),
    ],
)
def test_security_level(percent, level, previous_level, status, trend) -> None:
    data = snapshot()["maturity"]
    data["overall"].update(percent=percent, level=level)
    data["previous"]["overall"]["level"] = previous_level

    verdict = verdicts.maturity_verdict(data)

    assert (verdict.status, verdict.trend) == (status, trend)


def test_without_assessment_the_security_level_is_not_assessed() -> None:
    assert verdicts.maturity_verdict(None).status is Status.UNKNOWN


@pytest.mark.parametrize(
    ("figures", "status", "sentence"),
    [
        pytest.param(
            {"total": 0, "significant": 0, "obligations_on_time": 0, "obligations_late": 0},
            Status.ON_TRACK,
            "No incident was recorded this quarter.",
            id="none",
        ),
        pytest.param(
            {"total": 2, "significant": 0, "obligations_on_time": 0, "obligations_late": 0},
            Status.ON_TRACK,
            "2 incidents were recorded this quarter. None was serious enough to be reported to the national "
            "authority (ANSSI).",
            id="minor only: no contradiction about deadlines",
        ),
        pytest.param(
            {"total": 2, "significant": 1, "obligations_on_time": 2, "obligations_late": 0},
            Status.WATCH,
            "2 incidents were recorded this quarter. 1 was serious enough to be reported to the national "
            "authority (ANSSI). Every legal report was made on time.",
            id="significant, on time",
        ),
        pytest.param(
            {"total": 1, "significant": 1, "obligations_on_time": 1, "obligations_overdue": 1, "obligations_late": 0},
            Status.ACT,
            "1 incident was recorded this quarter. 1 was serious enough to be reported to the national authority "
            "(ANSSI). 1 legal report was late or is overdue.",
            id="a report overdue",
        ),
    ],
)
def test_incidents(figures, status, sentence) -> None:
    data = snapshot()["incidents"]
    data["stats"] = statistics(**figures)

    with translation.override("en"):
        verdict = verdicts.incidents_verdict(data)

    assert (verdict.status, verdict.sentence) == (status, sentence)


@pytest.mark.parametrize(
    ("share", "previous", "status", "trend"),
    [
        pytest.param(19.9, 25.0, Status.ON_TRACK, Trend.BETTER, id="under 20 % of the spend"),
        pytest.param(20.0, 20.0, Status.WATCH, Trend.STABLE, id="20 %"),
        pytest.param(50.0, 40.0, Status.ACT, Trend.WORSE, id="half the spend"),
        pytest.param(10.0, None, Status.ON_TRACK, Trend.FIRST, id="first quarter measured"),
    ],
)
def test_dependence(share, previous, status, trend) -> None:
    data = snapshot()["dependencies"]
    data.update(exposed_spend_share=share, previous_exposed_spend_share=previous)

    verdict = verdicts.dependencies_verdict(data)

    assert (verdict.status, verdict.trend) == (status, trend)


@pytest.mark.parametrize(
    ("overdue", "previous_overdue", "status", "trend"),
    [(0, 0, Status.ON_TRACK, Trend.STABLE), (2, 3, Status.WATCH, Trend.BETTER), (3, 1, Status.ACT, Trend.WORSE)],
)
def test_action_plan(overdue, previous_overdue, status, trend) -> None:
    data = snapshot()["actions"]
    data["overdue"] = [data["overdue"][0]] * overdue
    data["previous_overdue"] = previous_overdue

    verdict = verdicts.actions_verdict(data, snapshot()["maturity"])

    assert (verdict.status, verdict.trend) == (status, trend)


def test_at_most_three_decisions_the_late_reports_first() -> None:
    data = snapshot()
    data["governance"] = {"approvals": [], "changes": [], "training": {"not_trained": ["A", "B"]}}

    with translation.override("en"):
        found = verdicts.decisions(data)

    assert [decision.title for decision in found] == [
        "Ask for a review of the late legal reports",
        "Choose what follows the contract “Messagerie”",
        "Confirm an owner and a new date for 1 overdue action",
    ]


def test_approval_and_training_decisions_once_nothing_more_pressing() -> None:
    data = snapshot(incidents__stats=statistics(obligations_late=0), dependencies__renewals=[])
    data["actions"]["overdue"] = []
    data["governance"] = {"approvals": [], "changes": [], "training": {"not_trained": ["A", "B"]}}

    with translation.override("en"):
        found = verdicts.decisions(data)

    assert [decision.title for decision in found] == [
        "Approve the security measures",
        "Train 2 members of the management body",
    ]


@pytest.mark.django_db
def test_the_executive_panel_shows_the_verdicts_in_french(client, organisation) -> None:
    executive = MembershipFactory(organisation=organisation, role=Role.EXECUTIVE).user
    Report.objects.create(
        organisation=organisation,
        period="2026-Q3",
        period_start="2026-07-01",
        period_end="2026-09-30",
        status=Report.Status.DONE,
        snapshot=known_snapshot("fr"),
    )
    client.force_login(executive)

    page = client.get(reverse("organisation-home", args=[organisation.pk]), HTTP_ACCEPT_LANGUAGE="fr")

    text = page.content.decode()
    assert "À surveiller" in text
    assert "Niveau de sécurité" in text
    assert "Demander un retour sur les signalements légaux en retard" in text


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            {"subject": "report", "approved": {"version": 1}, "now": {"version": None}, "changed": ["version"]},
            None,
            id="a report not found later is no newer version",
        ),
        pytest.param(
            {"subject": "report", "approved": {"version": 1}, "now": {"version": 2}, "changed": ["version"]},
            "A newer version of the approved report exists.",
            id="a newer version",
        ),
        pytest.param(
            {"subject": "action_plan", "approved": {"open_actions": 4}, "now": {"open_actions": 2}, "changed": ["x"]},
            "Since the action plan was approved, its open actions went from 4 to 2.",
            id="the plan moved",
        ),
        pytest.param({"subject": "measures", "approved": {}, "now": {}, "changed": []}, None, id="nothing changed"),
    ],
)
def test_what_changed_since_an_approval(change, expected) -> None:
    with translation.override("en"):
        assert verdicts.change_sentence(change) == expected
