"""Every list and report endpoint of the controls API runs as many queries for many rows as for few."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from controls import services
from controls.models import ActionItem, Assessment, ChecklistItem, Evidence, Framework, RequirementAssessment
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.controls.factories import ActionFactory, AssessmentFactory, EvidenceFactory, framework_with_requirements

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(security_officer: Membership, api_client_for: Callable[..., APIClient]) -> APIClient:
    return api_client_for(security_officer.user)


def get_counting(client: APIClient, url: str, params: dict[str, Any] | None = None) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return response.json(), len(queries)


def rated_assessment(
    organisation: Organisation, requirement_count: int, label: str, owners: list[Any], *, every: int = 10
) -> Assessment:
    """An assessment of a bulk-created framework: every ``every``-th item rated, owned and with a piece
    of evidence added by one of the owners; every ``every``-th requirement with two checklist items."""
    framework = framework_with_requirements(requirement_count)
    requirements = list(framework.requirements.all()[::every])
    ChecklistItem.objects.bulk_create(
        ChecklistItem(requirement=requirement, ref=letter, text_fr=letter, text_en=letter, position=position)
        for requirement in requirements
        for position, letter in enumerate("ab")
    )
    assessment = services.assessment_create(
        organisation=organisation,
        framework=framework,
        label=label,
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 12, 31),
        actor=None,
    )
    items = list(assessment.items.order_by("requirement__position")[::every])
    for index, item in enumerate(items):
        owner = owners[index % len(owners)]
        RequirementAssessment.objects.filter(pk=item.pk).update(current_level=index % 6, owner=owner)
        EvidenceFactory(item=item, added_by=owner, title=f"Proof {index}")
    return assessment


@pytest.fixture
def owners(organisation: Organisation, member_of: Callable[..., Membership]) -> list[Any]:
    return [member_of(organisation, Role.IT).user for _ in range(5)]


def test_items_scores_and_gaps_do_not_grow_with_the_number_of_requirements(
    client: APIClient, organisation: Organisation, owners: list[Any], django_assert_max_num_queries
) -> None:
    few = rated_assessment(organisation, 100, "few", owners)
    many = rated_assessment(organisation, 1000, "many", owners)
    previous = Assessment.Status.VALIDATED
    for assessment in (few, many):  # a previous validated assessment feeds scores and comparison
        copy = services.assessment_copy(
            assessment=assessment,
            label=f"{assessment.label}-before",
            period_start=datetime.date(2026, 7, 1),
            period_end=datetime.date(2026, 9, 30),
            actor=None,
        )
        Assessment.objects.filter(pk=copy.pk).update(status=previous)
    routes: list[tuple[str, Callable[[Assessment], dict[str, int]], dict[str, Any]]] = [
        ("assessment-item-list", lambda assessment: {"assessment_pk": assessment.pk}, {"page_size": 500}),
        ("assessment-detail", lambda assessment: {"pk": assessment.pk}, {}),
        ("assessment-scores", lambda assessment: {"pk": assessment.pk}, {}),
        ("assessment-gaps", lambda assessment: {"pk": assessment.pk}, {"page_size": 500}),
        ("assessment-comparison", lambda assessment: {"pk": assessment.pk}, {}),
        ("assessment-coverage", lambda assessment: {"pk": assessment.pk}, {}),
        ("framework-requirements", lambda assessment: {"pk": assessment.framework_id}, {"page_size": 500}),
    ]

    for name, kwargs, params in routes:
        _body, few_queries = get_counting(client, reverse(name, kwargs=kwargs(few)), params)
        with django_assert_max_num_queries(few_queries, info=name):
            response = client.get(reverse(name, kwargs=kwargs(many)), params)
        assert response.status_code == 200, (name, response.content)

    few_items = client.get(reverse("assessment-item-list", kwargs={"assessment_pk": few.pk}), {"page_size": 500})
    many_items = client.get(reverse("assessment-item-list", kwargs={"assessment_pk": many.pk}), {"page_size": 500})
    assert (few_items.json()["count"], len(many_items.json()["results"])) == (100, 500)
    assert sum(len(row["evidence"]) for row in many_items.json()["results"]) == 50
    assert sum(len(row["requirement"]["checklist_items"]) for row in many_items.json()["results"]) == 100


def test_the_assessment_list_does_not_grow_with_the_number_of_assessments(
    client: APIClient, organisation: Organisation, owners: list[Any], django_assert_max_num_queries
) -> None:
    def add(count: int) -> None:
        for index in range(count):
            framework = framework_with_requirements(3)
            assessment = AssessmentFactory(
                organisation=organisation,
                framework=framework,
                status=Assessment.Status.VALIDATED,
                validated_by=owners[index % len(owners)],
            )
            services.assessment_create(
                organisation=organisation,
                framework=framework,
                label=f"copy-{assessment.pk}",
                period_start=datetime.date(2027, 1, 1),
                period_end=datetime.date(2027, 3, 31),
                actor=None,
                copied_from=assessment,
            )

    add(1)
    few, few_queries = get_counting(client, reverse("assessment-list"))
    add(10)

    with django_assert_max_num_queries(few_queries):
        many = client.get(reverse("assessment-list"), {"page_size": 500}).json()

    assert (few["count"], many["count"]) == (2, 22)


def test_the_action_list_does_not_grow_with_the_number_of_actions(
    client: APIClient, organisation: Organisation, owners: list[Any], django_assert_max_num_queries
) -> None:
    framework: Framework = framework_with_requirements(20)
    requirements = list(framework.requirements.all())
    today = timezone.localdate()

    def add(count: int) -> None:
        for index in range(count):
            action = ActionFactory(
                organisation=organisation,
                owner=owners[index % len(owners)],
                assessment=AssessmentFactory(organisation=organisation, framework=framework),
                status=ActionItem.Status.IN_PROGRESS,
                due_date=today + datetime.timedelta(days=index - 15),
            )
            action.requirements.set(requirements[index % 10 : index % 10 + 3])

    add(2)
    few, few_queries = get_counting(client, reverse("action-list"))
    add(30)

    with django_assert_max_num_queries(few_queries):
        many = client.get(reverse("action-list"), {"page_size": 500}).json()
    with django_assert_max_num_queries(few_queries):
        overdue = client.get(reverse("action-list"), {"page_size": 500, "overdue": "true"}).json()

    # due 15 days ago, 14 days ago... : 2 + 15 overdue
    assert (few["count"], many["count"], overdue["count"]) == (2, 32, 17)
    assert {len(row["requirement_refs"]) for row in many["results"]} == {3}


def test_the_evidence_list_does_not_grow_with_the_number_of_files(
    client: APIClient, organisation: Organisation, owners: list[Any], django_assert_max_num_queries
) -> None:
    def add(count: int) -> None:
        for index in range(count):
            assessment = AssessmentFactory(organisation=organisation)
            EvidenceFactory(item__assessment=assessment, added_by=owners[index % len(owners)], title=f"Proof {index}")

    add(2)
    few, few_queries = get_counting(client, reverse("evidence-list"))
    add(30)

    with django_assert_max_num_queries(few_queries):
        many = client.get(reverse("evidence-list"), {"page_size": 500}).json()

    assert (few["count"], many["count"]) == (2, 32)
    assert Evidence.objects.count() == 32


def test_the_compact_grid_filtered_or_not_does_not_grow_with_the_number_of_measures(
    security_officer: Membership, organisation: Organisation, owners: list[Any], django_assert_max_num_queries
) -> None:
    """The web grid of a campaign, one objective or every objective at once, each filter and all together."""
    web = Client(HTTP_ACCEPT_LANGUAGE="fr")
    web.force_login(security_officer.user)

    def campaign(count: int, label: str) -> Assessment:
        source = services.assessment_create(
            organisation=organisation,
            framework=framework_with_requirements(count, sections=3),
            label=f"{label}-before",
            period_start=datetime.date(2026, 10, 1),
            period_end=datetime.date(2026, 12, 31),
            actor=None,
        )
        for index, item in enumerate(source.items.order_by("requirement__position")[::2]):
            RequirementAssessment.objects.filter(pk=item.pk).update(
                current_level=index % 6, owner=owners[index % len(owners)]
            )
        return services.assessment_copy(
            assessment=source,
            label=label,
            period_start=datetime.date(2027, 1, 1),
            period_end=datetime.date(2027, 3, 31),
            actor=None,
        )

    few, many = campaign(12, "few"), campaign(300, "many")
    owner = owners[0].pk
    variants = {
        "one objective": {},
        "every objective": {"section": ""},
        "unrated": {"section": "", "unrated": "on"},
        "below target": {"section": "", "below_target": "on"},
        "Art. 21(2) point": {"section": "", "art21": "a"},
        "owner": {"section": "", "owner": owner},
        "to reconfirm": {"section": "", "to_confirm": "on"},
        "every filter": {"section": "1", "below_target": "on", "art21": "a", "owner": owner, "to_confirm": "on"},
    }

    for name, params in variants.items():
        with CaptureQueriesContext(connection) as queries:
            small = web.get(reverse("assessment-grid", args=[organisation.pk, few.pk]), params)
        with django_assert_max_num_queries(len(queries), info=name):
            large = web.get(reverse("assessment-grid", args=[organisation.pk, many.pk]), params)
        assert (small.status_code, large.status_code) == (200, 200), name
        assert large.content.count(b"data-grid-row") >= small.content.count(b"data-grid-row") > 0, name
