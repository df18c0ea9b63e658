"""What the quarterly report reads of the management body's governance (NIS 2 Art. 20): the approvals in force,
what changed since each was given, and how much of the management body is trained."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from controls import services as controls_services
from nis2.roles import Role
from reports.models import Approval
from reports.selectors import (
    approval_changes,
    approvals_in_force,
    justifications_digest,
    training_summary,
    training_window_start,
)
from tests.controls.factories import ActionFactory, framework_with_requirements
from tests.nis2.factories import OrganisationFactory
from tests.reports.factories import ReportFactory, TrainingFactory
from tests.reports.governance.governance_records import TODAY
from tests.reports.governance.governance_records import record as approve
from tests.reports.governance_data import pdf_upload, rate, rated_assessment


@pytest.fixture
def executive(organisation, member_of):
    return member_of(organisation, Role.EXECUTIVE, username="maire").user


def recorded_at(approval: Approval, moment: datetime.datetime) -> Approval:
    Approval.objects.filter(pk=approval.pk).update(created_at=moment)
    approval.refresh_from_db()
    return approval


def utc(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 9, tzinfo=datetime.UTC)


# Approvals in force ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_in_force_is_the_latest_decision_per_subject(organisation, executive) -> None:
    # Given three approvals of the measures and one of the action plan; the oldest act recorded last
    assessment = rated_assessment(organisation, actor=executive)
    approve(organisation, executive, assessment=assessment, decided_on=datetime.date(2025, 12, 1), act_reference="A")
    approve(
        organisation,
        executive,
        assessment=assessment,
        decided_on=datetime.date(2026, 10, 12),
        act_reference="B",
        act_type=Approval.ActType.ARRETE,
        body=Approval.Body.EXECUTIVE,
        act_file=pdf_upload(),
    )
    approve(
        organisation,
        executive,
        subject=Approval.Subject.ACTION_PLAN,
        assessment=assessment,
        decided_on=datetime.date(2026, 6, 2),
        act_reference="P",
    )
    approve(organisation, executive, assessment=assessment, decided_on=datetime.date(2024, 1, 10), act_reference="C")
    other = OrganisationFactory()
    approve(other, None, assessment=rated_assessment(other, actor=None))

    # When the report reads what is in force now
    in_force = approvals_in_force(organisation_id=organisation.pk, as_of=timezone.now())

    # Then the latest decision of each subject, in the order of the subjects, as plain data
    assert in_force == [
        {
            "subject": "measures",
            "act_type": "arrete",
            "act_reference": "B",
            "decided_on": "2026-10-12",
            "body": "executive",
            "approved_state": {"assessment": "2026-T3", "applicable_requirements": 3, "maturity_level": 3.0},
            "has_act_file": True,
        },
        {
            "subject": "action_plan",
            "act_type": "deliberation",
            "act_reference": "P",
            "decided_on": "2026-06-02",
            "body": "municipal_council",
            "approved_state": {"open_actions": 0, "action_ids": []},
            "has_act_file": False,
        },
    ]


@pytest.mark.django_db
def test_in_force_as_of_a_moment_ignores_the_approvals_recorded_after_it(organisation, executive) -> None:
    assessment = rated_assessment(organisation, actor=executive)
    first = approve(organisation, executive, assessment=assessment, decided_on=datetime.date(2026, 3, 2))
    second = approve(organisation, executive, assessment=assessment, decided_on=datetime.date(2026, 10, 12))
    recorded_at(first, utc(2026, 3, 3))
    recorded_at(second, utc(2026, 10, 13))

    def references(moment: datetime.datetime) -> list[str]:
        return [row["decided_on"] for row in approvals_in_force(organisation_id=organisation.pk, as_of=moment)]

    assert references(utc(2026, 3, 2)) == []
    assert references(utc(2026, 3, 3)) == ["2026-03-02"]  # recorded on the moment itself: in force
    assert references(utc(2026, 9, 30)) == ["2026-03-02"]
    assert references(utc(2026, 10, 13)) == ["2026-10-12"]


# What changed since ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_change_of_level_since_the_approval_of_the_measures_is_reported(organisation, executive) -> None:
    assessment = rated_assessment(organisation, actor=executive)
    approve(organisation, executive, assessment=assessment)
    before_the_change = timezone.now()

    rate(assessment, "R1", actor=executive, current_level=5)

    assert approval_changes(organisation_id=organisation.pk, as_of=timezone.now()) == [
        {
            "subject": "measures",
            "approved": {"assessment": "2026-T3", "applicable_requirements": 3, "maturity_level": 3.0},
            "now": {"assessment": "2026-T3", "applicable_requirements": 3, "maturity_level": 4.0},
            "changed": ["maturity_level"],
        }
    ]
    unchanged = approval_changes(organisation_id=organisation.pk, as_of=before_the_change)
    assert [(change["now"], change["changed"]) for change in unchanged] == [
        ({"assessment": "2026-T3", "applicable_requirements": 3, "maturity_level": 3.0}, [])
    ]


@pytest.mark.django_db
def test_a_newer_assessment_shows_as_a_change_of_the_measures(organisation, executive) -> None:
    assessment = rated_assessment(
        organisation, actor=executive, label="2026-T2", validate=True, period_start=datetime.date(2026, 4, 1)
    )
    approve(organisation, executive, assessment=assessment)

    newer = rated_assessment(
        organisation,
        actor=executive,
        label="2026-T3",
        levels={"R1": 4, "R2": 4, "R3": 4, "R4": 4},
        not_applicable={},
        period_start=datetime.date(2026, 7, 1),
    )
    controls_services.assessment_validate(assessment=newer, actor=executive)

    [change] = approval_changes(organisation_id=organisation.pk, as_of=timezone.now())
    assert change["now"] == {"assessment": "2026-T3", "applicable_requirements": 4, "maturity_level": 4.0}
    assert change["changed"] == ["applicable_requirements", "assessment", "maturity_level"]


@pytest.mark.django_db
def test_an_edited_justification_changes_the_applicability(organisation, executive) -> None:
    assessment = rated_assessment(organisation, actor=executive)
    approve(organisation, executive, subject=Approval.Subject.APPLICABILITY, assessment=assessment)

    rate(assessment, "R4", actor=executive, justification="Local technique fermé en 2026.")

    [change] = approval_changes(organisation_id=organisation.pk, as_of=timezone.now())
    assert change["subject"] == "applicability"
    assert change["changed"] == ["justifications_sha256"]
    assert change["now"]["not_applicable"] == change["approved"]["not_applicable"] == ["R4"]
    assert change["now"]["justifications_sha256"] == justifications_digest([("R4", "Local technique fermé en 2026.")])


@pytest.mark.django_db
def test_actions_closed_and_opened_since_the_approval_of_the_plan(organisation, executive) -> None:
    assessment = rated_assessment(organisation, actor=executive)
    kept, closed = ActionFactory(organisation=organisation), ActionFactory(organisation=organisation)
    approve(organisation, executive, subject=Approval.Subject.ACTION_PLAN, assessment=assessment)

    controls_services.action_update(action=closed, actor=executive, status="done")
    added = ActionFactory(organisation=organisation)

    [change] = approval_changes(organisation_id=organisation.pk, as_of=timezone.now())
    assert change == {
        "subject": "action_plan",
        "approved": {"open_actions": 2, "action_ids": [kept.pk, closed.pk]},
        "now": {"open_actions": 2, "action_ids": [kept.pk, added.pk]},
        "changed": ["action_ids"],
    }


@pytest.mark.django_db
def test_a_newer_version_of_the_report_approved_shows_as_a_change(organisation, executive) -> None:
    approved = ReportFactory(organisation=organisation, generated_at=utc(2026, 10, 2))
    approve(organisation, executive, subject=Approval.Subject.REPORT, report=approved)
    newer = ReportFactory(organisation=organisation, version=2, sha256="b" * 64, generated_at=utc(2026, 10, 20))
    ReportFactory(organisation=organisation, language="en", version=3, generated_at=utc(2026, 10, 21))
    ReportFactory(organisation=organisation, version=3, status="running", pdf="", sha256="")
    ReportFactory(organisation=organisation, period="2026-Q4", generated_at=utc(2026, 10, 22))  # another quarter

    [change] = approval_changes(organisation_id=organisation.pk, as_of=timezone.now())
    assert change["approved"] == {"period": "2026-Q3", "version": 1, "sha256": approved.sha256}
    assert change["now"] == {"period": "2026-Q3", "version": 2, "sha256": newer.sha256}
    assert change["changed"] == ["sha256", "version"]


# Training of the management body -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "start"),
    [
        pytest.param(datetime.date(2026, 11, 30), datetime.date(2024, 11, 30), id="same-day-two-years-before"),
        pytest.param(datetime.date(2028, 2, 29), datetime.date(2026, 2, 28), id="leap-day"),
        pytest.param(datetime.date(2026, 3, 1), datetime.date(2024, 3, 1), id="after-a-leap-february"),
        pytest.param(datetime.date(2027, 1, 1), datetime.date(2025, 1, 1), id="new-year"),
    ],
)
def test_the_training_window_opens_24_months_before(as_of, start) -> None:
    assert training_window_start(as_of) == start


@pytest.mark.django_db
def test_the_management_body_is_trained_within_24_months(organisation, member_of) -> None:
    # Given three executives, an IT director, and two assembly members without an account
    anne = member_of(organisation, Role.EXECUTIVE, username="anne", first_name="Anne", last_name="Maire").user
    bruno = member_of(organisation, Role.EXECUTIVE, username="bruno.dgs").user
    celine = member_of(organisation, Role.EXECUTIVE, username="celine", first_name="Céline", last_name="Adjointe").user
    it_director = member_of(organisation, Role.IT).user
    member_of(OrganisationFactory(), Role.EXECUTIVE)  # another organisation's executive
    TrainingFactory(organisation=organisation, person_name="", person=anne, completed_on=datetime.date(2024, 11, 30))
    TrainingFactory(organisation=organisation, person_name="", person=bruno, completed_on=datetime.date(2024, 11, 29))
    TrainingFactory(organisation=organisation, person_name="", person=celine, completed_on=datetime.date(2026, 12, 1))
    TrainingFactory(organisation=organisation, person_name="", person=it_director, hours=Decimal(20))
    TrainingFactory(organisation=organisation, person_name="M. Denis Conseiller", hours=Decimal("6"))
    TrainingFactory(organisation=organisation, person_name="m. denis  conseiller", hours=Decimal("1.5"))
    TrainingFactory(organisation=organisation, person_name="Mme Élise Déléguée", completed_on=datetime.date(2022, 5, 3))
    TrainingFactory(organisation=OrganisationFactory(), person_name="Quelqu’un d’ailleurs")

    # When the report summarises on 30 November 2026
    summary = training_summary(organisation_id=organisation.pk, as_of=datetime.date(2026, 11, 30))

    # Then Anne (trained on the window's first day) and Denis are trained; Bruno (a day too early), Céline
    # (trained after the date) and Élise (2022) are not; the IT director is not in the management body
    assert summary == {
        "members": 5,
        "trained": 2,
        "share": 0.4,
        "not_trained": ["bruno.dgs", "Céline Adjointe", "Mme Élise Déléguée"],
        "hours": 11.0,  # Anne 3.5, Denis 6 + 1.5
    }


@pytest.mark.django_db
def test_a_day_later_the_boundary_training_no_longer_counts(organisation, member_of) -> None:
    anne = member_of(organisation, Role.EXECUTIVE, username="anne").user
    TrainingFactory(organisation=organisation, person_name="", person=anne, completed_on=datetime.date(2024, 11, 30))

    on_the_day = training_summary(organisation_id=organisation.pk, as_of=datetime.date(2026, 11, 30))
    the_day_after = training_summary(organisation_id=organisation.pk, as_of=datetime.date(2026, 12, 1))

    assert (on_the_day["trained"], on_the_day["share"], on_the_day["hours"]) == (1, 1.0, 3.5)
    assert (the_day_after["trained"], the_day_after["share"], the_day_after["not_trained"]) == (0, 0.0, ["anne"])
    assert the_day_after["hours"] == 0.0


@pytest.mark.django_db
def test_an_organisation_without_management_body_has_no_share(organisation) -> None:
    assert training_summary(organisation_id=organisation.pk, as_of=TODAY) == {
        "members": 0,
        "trained": 0,
        "share": None,
        "not_trained": [],
        "hours": 0.0,
    }


# Queries -----------------------------------------------------------------------------------------------------


def _count(function, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        result = function(**kwargs)
    return result, len(queries)


@pytest.mark.django_db
def test_training_summary_queries_do_not_grow_with_members_and_trainings(member_of) -> None:
    def organisation_with(people: int):
        organisation = OrganisationFactory()
        for index in range(people):
            user = member_of(organisation, Role.EXECUTIVE).user
            TrainingFactory(organisation=organisation, person_name="", person=user)
            TrainingFactory(organisation=organisation, person_name=f"Élu sans compte {index}")
        return organisation

    few, many = organisation_with(2), organisation_with(25)

    few_summary, few_queries = _count(training_summary, organisation_id=few.pk, as_of=TODAY)
    many_summary, many_queries = _count(training_summary, organisation_id=many.pk, as_of=TODAY)

    assert (few_summary["members"], many_summary["members"]) == (4, 50)
    assert many_queries == few_queries == 2


@pytest.mark.django_db
def test_approval_queries_do_not_grow_with_actions_requirements_and_approvals(member_of) -> None:
    def organisation_with(size: int):
        organisation = OrganisationFactory()
        executive = member_of(organisation, Role.EXECUTIVE).user
        assessment = rated_assessment(
            organisation,
            actor=executive,
            levels={f"R{index + 1}": index % 5 for index in range(size)},
            not_applicable={f"R{size + index + 1}": "Sans objet." for index in range(size)},
            framework=framework_with_requirements(2 * size, essential_only_every=1000),
        )
        for _index in range(size):
            ActionFactory(organisation=organisation)
        for subject in (Approval.Subject.MEASURES, Approval.Subject.APPLICABILITY, Approval.Subject.ACTION_PLAN):
            for _index in range(size):
                approve(organisation, executive, subject=subject, assessment=assessment)
        approve(
            organisation, executive, subject=Approval.Subject.REPORT, report=ReportFactory(organisation=organisation)
        )
        return organisation

    few, many = organisation_with(2), organisation_with(12)
    now = timezone.now()

    few_changes, few_queries = _count(approval_changes, organisation_id=few.pk, as_of=now)
    many_changes, many_queries = _count(approval_changes, organisation_id=many.pk, as_of=now)
    _in_force, in_force_queries = _count(approvals_in_force, organisation_id=many.pk, as_of=now)

    assert len(few_changes) == len(many_changes) == 4
    assert many_queries == few_queries
    assert in_force_queries == 1
