"""Self-assessments through the API: creation, rating with optimistic concurrency, validation,
copies, scores, gaps, comparison, derived coverage, one-click actions and who may write."""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from controls import services
from controls.models import ActionItem, Assessment, Framework, Requirement, RequirementAssessment, RequirementMapping
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.controls.factories import FrameworkFactory, SectionFactory
from tests.nis2.factories import MembershipFactory, OrganisationFactory, UserFactory

SCORE_FIGURES = ("level", "percent_of_target", "applicable", "assessed", "progress_percent")

pytestmark = pytest.mark.django_db


def figures(score: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(score[name] for name in SCORE_FIGURES)


def item_url(item: RequirementAssessment) -> str:
    return reverse("assessment-item-detail", kwargs={"assessment_pk": item.assessment_id, "pk": item.pk})


def item_of(assessment: Assessment, ref: str) -> RequirementAssessment:
    return assessment.items.get(requirement__ref=ref)


def item_state(item: RequirementAssessment) -> dict[str, Any]:
    return RequirementAssessment.objects.filter(pk=item.pk).values().get()


@pytest.fixture
def client(security_officer: Membership, api_client_for: Callable[..., APIClient]) -> APIClient:
    return api_client_for(security_officer.user)


@pytest.mark.usefixtures("shipped_catalogues")
def test_a_new_assessment_has_the_recyf_measures_of_the_entity_category(
    security_officer: Membership, client: APIClient, recyf_rows: list[dict[str, str]]
) -> None:
    recyf = Framework.objects.get(code="recyf")
    important = OrganisationFactory(nis2_status=Organisation.Nis2StatusChoices.IMPORTANT)
    MembershipFactory(organisation=important, user=security_officer.user, role=Role.SECURITY_OFFICER)
    essential = security_officer.organisation
    expected = {
        "important": {row["ref"] for row in recyf_rows if row["applies_to"] == "EI/EE"},
        "essential": {row["ref"] for row in recyf_rows},
    }

    for organisation, category in ((important, "important"), (essential, "essential")):
        response = client.post(
            reverse("assessment-list"),
            {"organisation": organisation.pk, "framework": recyf.pk, "label": "2026-T4"},
            format="json",
        )

        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["entity_category"], body["status"], body["applicable_count"], body["assessed_count"]) == (
            category,
            "draft",
            len(expected[category]),
            0,
        )
        items = client.get(
            reverse("assessment-item-list", kwargs={"assessment_pk": body["id"]}), {"page_size": 500}
        ).json()
        assert items["count"] == len(expected[category])
        assert {item["requirement"]["ref"] for item in items["results"]} == expected[category]
    assert (len(expected["important"]), len(expected["essential"])) == (76, 152)


@pytest.mark.parametrize(
    ("label", "period"),
    [
        pytest.param("2026-T4", ("2026-10-01", "2026-12-31"), id="french-quarter"),
        pytest.param("Q1 2027", ("2027-01-01", "2027-03-31"), id="english-quarter-first"),
        pytest.param("2028-T1", ("2028-01-01", "2028-03-31"), id="leap-year-first-quarter"),
    ],
)
def test_the_label_names_the_period(
    client: APIClient, organisation: Organisation, small_framework: Framework, label: str, period: tuple[str, str]
) -> None:
    response = client.post(
        reverse("assessment-list"),
        {"organisation": organisation.pk, "framework": small_framework.pk, "label": label},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert (response.json()["period_start"], response.json()["period_end"]) == period
    assert Assessment.objects.get().items.count() == 4


def test_a_label_used_twice_is_refused(
    client: APIClient, organisation: Organisation, small_framework: Framework, make_assessment: Callable[..., Any]
) -> None:
    make_assessment("2026-T4")

    response = client.post(
        reverse("assessment-list"),
        {"organisation": organisation.pk, "framework": small_framework.pk, "label": "2026-T4"},
        format="json",
    )

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["label"]
    assert Assessment.objects.count() == 1


def test_rating_with_the_current_version(
    client: APIClient, make_assessment: Callable[..., Assessment], security_officer: Membership
) -> None:
    assessment = make_assessment()
    item = item_of(assessment, "1.2")

    response = client.patch(item_url(item), {"version": 1, "current_level": 3, "comment": "PSSI signed"}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["version"], body["current_level"], body["comment"]) == (2, 3, "PSSI signed")
    assert body["reviewed_at"] is not None
    item.refresh_from_db()
    assert (item.version, item.current_level) == (2, 3)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS
    history = client.get(
        reverse("assessment-item-history", kwargs={"assessment_pk": assessment.pk, "pk": item.pk})
    ).json()["results"]
    assert history[0]["history_user"] == "rssi"
    assert history[0]["changes"]["current_level"] == {"old": None, "new": 3}
    assert history[0]["changes"]["version"] == {"old": 1, "new": 2}


def test_a_stale_version_is_refused_with_the_current_state(
    client: APIClient, make_assessment: Callable[..., Assessment], organisation: Organisation, member_of
) -> None:
    item = item_of(make_assessment(), "1.2")
    colleague = member_of(organisation, Role.IT).user
    services.item_update(item=item, expected_version=1, actor=colleague, current_level=2)
    before = item_state(item)

    response = client.patch(item_url(item), {"version": 1, "current_level": 4}, format="json")

    assert response.status_code == 409
    body = response.json()
    assert (body["current"]["version"], body["current"]["current_level"]) == (2, 2)
    assert body["errors"] == [{"field": "version", "code": "stale", "message": body["detail"]}]
    assert item_state(item) == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        pytest.param({"current_level": 3}, "version", id="without-version"),
        pytest.param({"version": 1, "current_level": 6}, "current_level", id="level-above-5"),
        pytest.param({"version": 1, "target_level": -1}, "target_level", id="target-below-0"),
        pytest.param({"version": 1, "applicable": False}, "justification", id="not-applicable-unjustified"),
        pytest.param(
            {"version": 1, "applicable": False, "justification": "   "}, "justification", id="blank-justification"
        ),
    ],
)
def test_an_invalid_rating_is_refused_and_changes_nothing(
    client: APIClient, make_assessment: Callable[..., Assessment], payload: dict[str, Any], field: str
) -> None:
    assessment = make_assessment()
    item = item_of(assessment, "2.1")
    before = item_state(item)

    response = client.patch(item_url(item), payload, format="json")

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert item_state(item) == before
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_not_applicable_with_a_justification_then_applicable_again(
    client: APIClient, make_assessment: Callable[..., Assessment]
) -> None:
    item = item_of(make_assessment(), "2.1")

    excluded = client.patch(
        item_url(item), {"version": 1, "applicable": False, "justification": "No public Wi-Fi."}, format="json"
    )
    included = client.patch(item_url(item), {"version": 2, "applicable": True}, format="json")

    assert excluded.status_code == 200, excluded.content
    assert (excluded.json()["applicable"], excluded.json()["justification"]) == (False, "No public Wi-Fi.")
    assert included.status_code == 200, included.content
    item.refresh_from_db()
    assert (item.applicable, item.justification, item.version) == (True, "", 3)


def test_validation_waits_for_every_applicable_rating(
    client: APIClient, make_assessment: Callable[..., Assessment]
) -> None:
    assessment = make_assessment(levels={"1.1": 2})
    url = reverse("assessment-validate", kwargs={"pk": assessment.pk})

    refused = client.post(url)

    assert refused.status_code == 400
    assert refused.json()["errors"][0]["message"] == (
        "Rate every applicable requirement before validating; still unrated: 1.2, 2.1, 2.2."
    )
    assessment.refresh_from_db()
    assert (assessment.status, assessment.validated_at, assessment.validated_by) == ("draft", None, None)

    assessment.items.filter(requirement__ref__in=["1.2", "2.1"]).update(current_level=1)
    assessment.items.filter(requirement__ref="2.2").update(applicable=False, justification="No such system.")
    accepted = client.post(url)

    assert accepted.status_code == 200, accepted.content
    assert (accepted.json()["status"], accepted.json()["validated_by"]) == ("validated", "rssi")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.VALIDATED
    assert assessment.validated_at is not None


def test_a_validated_assessment_is_read_only(client: APIClient, make_assessment: Callable[..., Assessment]) -> None:
    assessment = make_assessment(levels={"1.1": 2}, status=Assessment.Status.VALIDATED)
    item = item_of(assessment, "1.1")
    before = item_state(item)

    patched = client.patch(item_url(item), {"version": 1, "current_level": 4}, format="json")
    deleted = client.delete(reverse("assessment-detail", kwargs={"pk": assessment.pk}))
    revalidated = client.post(reverse("assessment-validate", kwargs={"pk": assessment.pk}))

    assert (patched.status_code, deleted.status_code, revalidated.status_code) == (400, 400, 400)
    assert patched.json()["errors"][0]["message"] == (
        "This assessment is validated and can no longer be changed; start a new one from it instead."
    )
    assert item_state(item) == before
    assert Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.VALIDATED).exists()
    assert assessment.items.count() == 4


def test_a_draft_assessment_can_be_deleted(client: APIClient, make_assessment: Callable[..., Assessment]) -> None:
    assessment = make_assessment()

    response = client.delete(reverse("assessment-detail", kwargs={"pk": assessment.pk}))

    assert response.status_code == 204
    assert not Assessment.objects.exists()
    assert not RequirementAssessment.objects.exists()


def test_a_copy_starts_from_the_same_levels(client: APIClient, make_assessment: Callable[..., Assessment]) -> None:
    source = make_assessment("2026-T4", {"1.1": 2, "1.2": 4, "2.1": 0}, status=Assessment.Status.VALIDATED)
    source.items.filter(requirement__ref="2.2").update(applicable=False, justification="No such system.")
    source.items.filter(requirement__ref="1.2").update(target_level=5, comment="Audit planned")
    fields = ("requirement__ref", "applicable", "justification", "current_level", "target_level", "comment")

    response = client.post(reverse("assessment-copy", kwargs={"pk": source.pk}), {"label": "2027-T1"}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["label"], body["period_start"], body["period_end"], body["status"], body["copied_from"]) == (
        "2027-T1",
        "2027-01-01",
        "2027-03-31",
        "draft",
        source.pk,
    )
    copy = Assessment.objects.get(pk=body["id"])
    assert set(copy.items.values_list(*fields)) == set(source.items.values_list(*fields))
    assert set(copy.items.values_list("version", flat=True)) == {1}
    assert Assessment.objects.get(pk=source.pk).status == Assessment.Status.VALIDATED


def test_scores_of_a_small_assessment(client: APIClient, make_assessment: Callable[..., Assessment]) -> None:
    # 1.1: weight 2, level 3, points a b · 1.2: level 0, b · 2.1: not applicable, c · 2.2: level 1, c; targets 3
    assessment = make_assessment(levels={"1.1": 3, "1.2": 0, "2.2": 1})
    assessment.items.filter(requirement__ref="2.1").update(applicable=False, justification="No such system.")

    response = client.get(reverse("assessment-scores", kwargs={"pk": assessment.pk}))

    assert response.status_code == 200
    body = response.json()
    # (2×3 + 0 + 1) / 4 = 1.75; reached 7 of 12
    assert figures(body["overall"]) == (1.75, 58.3, 3, 3, 100.0)
    assert {point: figures(score) for point, score in body["by_art21_point"].items()} == {
        "a": (3.0, 100.0, 1, 1, 100.0),
        "b": (2.0, 66.7, 2, 2, 100.0),
        "c": (1.0, 33.3, 1, 1, 100.0),
    }
    assert list(body["by_art21_point"]) == ["a", "b", "c"]
    assert [(section["ref"], section["title"], *figures(section)) for section in body["by_section"]] == [
        ("1", "Governance", 2.0, 66.7, 2, 2, 100.0),
        ("2", "Protection", 1.0, 33.3, 1, 1, 100.0),
    ]
    assert body["previous"] is None


def test_gaps_worst_first(
    client: APIClient, make_assessment: Callable[..., Assessment], security_officer: Membership
) -> None:
    # weighted gaps: 1.1 (weight 2) 2×2 = 4 · 1.2: 3 · 2.2 unrated: 3 · 2.1: 1
    assessment = make_assessment(levels={"1.1": 1, "1.2": 0, "2.1": 2})
    assessment.items.filter(requirement__ref="1.1").update(owner=security_officer.user)

    response = client.get(reverse("assessment-gaps", kwargs={"pk": assessment.pk}))

    assert response.status_code == 200
    assert response.json()["count"] == 4
    assert [
        (gap["ref"], gap["current_level"], gap["target_level"], gap["weight"], gap["weighted_gap"], gap["owner"])
        for gap in response.json()["results"]
    ] == [
        ("1.1", 1, 3, 2, 4, "rssi"),
        ("1.2", 0, 3, 1, 3, None),
        ("2.2", 0, 3, 1, 3, None),
        ("2.1", 2, 3, 1, 1, None),
    ]
    first = response.json()["results"][0]
    assert (first["item"], first["title"]) == (item_of(assessment, "1.1").pk, "Measure 1.1")


def test_comparison_with_the_previous_validated_assessment(
    client: APIClient, make_assessment: Callable[..., Assessment], small_framework: Framework
) -> None:
    validated = Assessment.Status.VALIDATED
    make_assessment("2026-T1", {"1.1": 5, "1.2": 5, "2.1": 5, "2.2": 5}, status=validated)
    make_assessment("2026-T3", {"1.1": 1, "1.2": 2, "2.1": 3, "2.2": 0}, status=validated)
    Requirement.objects.create(
        framework=small_framework,
        section=small_framework.sections.get(ref="2"),
        ref="2.3",
        title_fr="Mesure 2.3",
        title_en="Measure 2.3",
        statement_fr="Énoncé",
        statement_en="Statement",
        art21_points="c",
        position=4,
    )
    current = make_assessment("2026-T4", {"1.1": 3, "1.2": 1, "2.1": 3})
    current.items.filter(requirement__ref="2.2").update(applicable=False, justification="Removed.")
    make_assessment("2027-T1", {"1.1": 0}, status=validated)

    response = client.get(reverse("assessment-comparison", kwargs={"pk": current.pk}))

    assert response.status_code == 200
    body = response.json()
    assert body["improved"] == [{"ref": "1.1", "previous_level": 1, "current_level": 3}]
    assert body["fell_back"] == [{"ref": "1.2", "previous_level": 2, "current_level": 1}]
    assert (body["unchanged"], body["new"]) == (1, ["2.3"])
    # before: (2×1 + 2 + 3 + 0) / 5 = 1.4, reached 7 of 15; now: (2×3 + 1 + 3 + 0) / 5, 10 of 15
    assert figures(body["overall_before"]) == (1.4, 46.7, 4, 4, 100.0)
    assert figures(body["overall_now"]) == (2.0, 66.7, 4, 3, 75.0)
    scores = client.get(reverse("assessment-scores", kwargs={"pk": current.pk})).json()
    assert scores["previous"]["label"] == "2026-T3"
    assert figures(scores["previous"]["by_art21_point"]["a"]) == (1.0, 33.3, 1, 1, 100.0)


def test_no_comparison_without_a_previous_validated_assessment(
    client: APIClient, make_assessment: Callable[..., Assessment]
) -> None:
    make_assessment("2026-T3", {"1.1": 2})  # not validated
    current = make_assessment("2026-T4")

    response = client.get(reverse("assessment-comparison", kwargs={"pk": current.pk}))

    assert response.status_code == 200
    assert response.json() == {"available": False}


def test_coverage_of_a_mapped_framework_is_derived(
    client: APIClient, make_assessment: Callable[..., Assessment], small_framework: Framework
) -> None:
    region = FrameworkFactory(code="region")
    section = SectionFactory(framework=region, ref="R")
    targets = {
        ref: Requirement.objects.create(
            framework=region,
            section=section,
            ref=ref,
            title_fr=ref,
            title_en=ref,
            statement_fr="Énoncé",
            statement_en="Statement",
            art21_points="a",
            position=position,
        )
        for position, ref in enumerate(["R1", "R2", "R3", "R4"])
    }
    sources = {requirement.ref: requirement for requirement in small_framework.requirements.all()}
    for source, target, strength in [("1.1", "R1", "high"), ("1.2", "R1", "medium"), ("1.2", "R2", "high")]:
        RequirementMapping.objects.create(source=sources[source], target=targets[target], strength=strength)
    RequirementMapping.objects.create(source=sources["2.1"], target=targets["R3"], strength="high")
    assessment = make_assessment(levels={"1.1": 4, "1.2": 2, "2.1": 5})
    assessment.items.filter(requirement__ref="2.1").update(applicable=False, justification="No such system.")
    url = reverse("assessment-coverage", kwargs={"pk": assessment.pk})

    # Without ``?target=``, the first framework mapped to this one; with it, the one named.
    assert client.get(url, {"target": "region"}).json()["framework"] == "region"
    assert client.get(url, {"target": "nowhere"}).status_code == 404
    response = client.get(url)

    assert response.status_code == 200
    body = response.json()
    assert (body["derived"], body["framework"], body["covered"], body["total"]) == (True, "region", 2, 4)
    # R1: (1×4 + 0.5×2) / 1.5 = 3.33; R3's only source is not applicable
    assert [(row["ref"], row["derived_level"]) for row in body["requirements"]] == [
        ("R1", 3.33),
        ("R2", 2.0),
        ("R3", None),
        ("R4", None),
    ]
    assert body["requirements"][0]["sources"] == [
        {"ref": "1.1", "level": 4, "strength": "high"},
        {"ref": "1.2", "level": 2, "strength": "medium"},
    ]


def test_coverage_without_a_mapping(client: APIClient, make_assessment: Callable[..., Assessment]) -> None:
    response = client.get(reverse("assessment-coverage", kwargs={"pk": make_assessment().pk}))

    assert response.status_code == 200
    assert (response.json()["derived"], response.json()["framework"], response.json()["total"]) == (True, None, 0)


def test_an_action_from_a_gap(
    client: APIClient, make_assessment: Callable[..., Assessment], security_officer: Membership
) -> None:
    assessment = make_assessment(levels={"1.2": 0})
    item = item_of(assessment, "1.2")
    RequirementAssessment.objects.filter(pk=item.pk).update(owner=security_officer.user)

    response = client.post(
        reverse("assessment-item-create-action", kwargs={"assessment_pk": assessment.pk, "pk": item.pk})
    )

    assert response.status_code == 201, response.content
    action = ActionItem.objects.get()
    assert (action.title, action.description) == (
        "Reach level 3 on 1.2 — Measure 1.2",
        "Current level: 0. Target level: 3.",
    )
    assert (action.organisation, action.assessment, action.owner) == (
        assessment.organisation,
        assessment,
        security_officer.user,
    )
    assert (action.priority, action.status) == (ActionItem.Priority.HIGH, ActionItem.Status.OPEN)
    assert list(action.requirements.all()) == [item.requirement]
    assert (response.json()["id"], response.json()["requirement_refs"]) == (action.pk, ["1.2"])


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.AUDITOR])
def test_read_only_roles_cannot_write(
    role: Role,
    organisation: Organisation,
    small_framework: Framework,
    make_assessment: Callable[..., Assessment],
    member_of,
    api_client_for: Callable[..., APIClient],
) -> None:
    assessment = make_assessment(levels={"1.1": 3, "1.2": 3, "2.1": 3, "2.2": 3})
    item = item_of(assessment, "1.1")
    before = item_state(item)
    client = api_client_for(member_of(organisation, role).user)

    responses = {
        "read": client.get(item_url(item)),
        "rate": client.patch(item_url(item), {"version": 1, "current_level": 5}, format="json"),
        "create": client.post(
            reverse("assessment-list"),
            {"organisation": organisation.pk, "framework": small_framework.pk, "label": "2027-T1"},
            format="json",
        ),
        "validate": client.post(reverse("assessment-validate", kwargs={"pk": assessment.pk})),
        "copy": client.post(reverse("assessment-copy", kwargs={"pk": assessment.pk}), {"label": "2027-T2"}),
        "act": client.post(
            reverse("assessment-item-create-action", kwargs={"assessment_pk": assessment.pk, "pk": item.pk})
        ),
        "delete": client.delete(reverse("assessment-detail", kwargs={"pk": assessment.pk})),
    }

    assert {name: response.status_code for name, response in responses.items()} == {
        "read": 200,
        "rate": 403,
        "create": 403,
        "validate": 403,
        "copy": 403,
        "act": 403,
        "delete": 403,
    }
    assert item_state(item) == before
    assert list(Assessment.objects.values_list("label", "status")) == [("2026-T4", "draft")]
    assert not ActionItem.objects.exists()


def test_the_owner_must_be_a_member(
    client: APIClient,
    security_officer: Membership,
    make_assessment: Callable[..., Assessment],
    organisation: Organisation,
    member_of,
) -> None:
    item = item_of(make_assessment(), "1.1")
    before = item_state(item)
    # A person the security officer can see, through a second organisation, but not a member here
    neighbour = OrganisationFactory()
    MembershipFactory(organisation=neighbour, user=security_officer.user)
    neighbour_member = member_of(neighbour).user
    stranger = UserFactory()

    from_neighbour = client.patch(item_url(item), {"version": 1, "owner": neighbour_member.pk}, format="json")
    from_nowhere = client.patch(item_url(item), {"version": 1, "owner": stranger.pk}, format="json")

    assert (from_neighbour.status_code, from_nowhere.status_code) == (400, 400)
    assert from_neighbour.json()["errors"] == [
        {"field": "owner", "code": "invalid", "message": "The owner must be a member of the organisation."}
    ]
    assert [error["field"] for error in from_nowhere.json()["errors"]] == ["owner"]
    assert item_state(item) == before

    colleague = member_of(organisation, Role.IT).user
    accepted = client.patch(item_url(item), {"version": 1, "owner": colleague.pk}, format="json")

    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["owner"] == colleague.pk
