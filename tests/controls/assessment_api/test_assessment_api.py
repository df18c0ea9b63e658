"""Self-assessments through the API: creation, rating with optimistic concurrency, validation, copies
and deletion of a draft."""

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from controls import services
from controls.models import Assessment, Framework, RequirementAssessment
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.controls.assessment_api.assessment_items import item_of, item_state, item_url
from tests.nis2.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


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
