"""Self-assessments through the API: scores, gaps, comparison with the previous validated assessment
and the coverage derived for a mapped framework."""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from controls.models import Assessment, Framework, Requirement, RequirementMapping
from nis2.models import Membership
from tests.controls.assessment_api.assessment_items import item_of
from tests.controls.factories import FrameworkFactory, SectionFactory

pytestmark = pytest.mark.django_db


SCORE_FIGURES = ("level", "percent_of_target", "applicable", "assessed", "progress_percent")


def figures(score: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(score[name] for name in SCORE_FIGURES)


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
