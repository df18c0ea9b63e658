"""Re-assessment campaigns and alternative measures through the API: a copy carries every answer over
"to be reconfirmed" until it is confirmed or changed; an alternative measure keeps the requirement applicable
and counts at the level set, and the report says so."""

import re
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from controls.models import Assessment, RequirementAssessment
from nis2.models import Membership
from reports.rendering import _requirement_level
from tests.api_errors import error_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(security_officer: Membership, api_client_for: Callable[..., APIClient]) -> APIClient:
    return api_client_for(security_officer.user)


def item_url(item: RequirementAssessment) -> str:
    return reverse("assessment-item-detail", kwargs={"assessment_pk": item.assessment_id, "pk": item.pk})


def items_url(assessment: Assessment) -> str:
    return reverse("assessment-item-list", kwargs={"assessment_pk": assessment.pk})


def test_a_new_campaign_carries_every_answer_to_be_reconfirmed(
    client: APIClient, make_assessment: Callable[..., Assessment]
) -> None:
    source = make_assessment("2026-T4", {"1.1": 2, "1.2": 4, "2.1": 0}, status=Assessment.Status.VALIDATED)
    source.items.filter(requirement__ref="2.2").update(alternative_measure="Pare-feu mutualisé du syndicat")

    copy_id = client.post(
        reverse("assessment-copy", kwargs={"pk": source.pk}), {"label": "2027-T1"}, format="json"
    ).json()["id"]
    copy = Assessment.objects.get(pk=copy_id)

    assert set(copy.items.values_list("to_confirm", flat=True)) == {True}
    assert copy.items.get(requirement__ref="2.2").alternative_measure == "Pare-feu mutualisé du syndicat"
    assert not source.items.filter(to_confirm=True).exists()
    listed = client.get(items_url(copy), {"to_confirm": "true", "page_size": 500}).json()
    assert listed["count"] == copy.items.count()


def test_confirming_or_changing_an_answer_takes_it_off_the_list(
    client: APIClient, make_assessment: Callable[..., Assessment]
) -> None:
    source = make_assessment("2026-T4", {"1.1": 2, "1.2": 4}, status=Assessment.Status.VALIDATED)
    copy = Assessment.objects.get(
        pk=client.post(
            reverse("assessment-copy", kwargs={"pk": source.pk}), {"label": "2027-T1"}, format="json"
        ).json()["id"]
    )
    confirmed, changed = copy.items.get(requirement__ref="1.1"), copy.items.get(requirement__ref="1.2")

    first = client.patch(item_url(confirmed), {"to_confirm": False, "version": confirmed.version}, format="json")
    second = client.patch(item_url(changed), {"current_level": 3, "version": changed.version}, format="json")

    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.json()["to_confirm"], first.json()["current_level"]) == (False, 2)
    assert (second.json()["to_confirm"], second.json()["current_level"]) == (False, 3)
    left = client.get(items_url(copy), {"to_confirm": "true", "page_size": 500}).json()
    assert {row["requirement"]["ref"] for row in left["results"]} == set(
        copy.items.exclude(requirement__ref__in=["1.1", "1.2"]).values_list("requirement__ref", flat=True)
    )


def test_an_alternative_measure_keeps_the_requirement_applicable(
    client: APIClient, make_assessment: Callable[..., Assessment]
) -> None:
    assessment = make_assessment(levels={"1.1": 1})
    item = assessment.items.get(requirement__ref="1.1")

    accepted = client.patch(
        item_url(item),
        {"alternative_measure": "Filtrage assuré par le syndicat", "current_level": 3, "version": item.version},
        format="json",
    )
    assert accepted.status_code == 200
    assert (accepted.json()["applicable"], accepted.json()["alternative_measure"]) == (
        True,
        "Filtrage assuré par le syndicat",
    )
    scores = client.get(reverse("assessment-scores", kwargs={"pk": assessment.pk})).json()
    assert scores["overall"]["assessed"] >= 1

    item.refresh_from_db()
    refused = client.patch(
        item_url(item), {"applicable": False, "justification": "Pas de système", "version": item.version}, format="json"
    )
    assert refused.status_code == 400
    assert error_fields(refused) == ["alternative_measure"]
    item.refresh_from_db()
    assert item.applicable is True


def test_the_report_prints_an_alternative_measure_as_such() -> None:
    with translation.override("fr"):
        assert _requirement_level({"applicable": True, "level": 3, "alternative": True}) == "3 (mesure alternative)"
    with translation.override("en"):
        assert _requirement_level({"applicable": True, "level": 3, "alternative": True}) == "3 (alternative measure)"
        assert _requirement_level({"applicable": False, "level": None}) == "N/A"
        assert _requirement_level({"applicable": True, "level": 2}) == "2"


def test_owners_are_offered_by_their_name(
    client_for_pages, organisation, member_of: Callable[..., Membership], make_assessment: Callable[..., Assessment]
) -> None:
    member_of(organisation, "it", username="jdupont", first_name="Jeanne", last_name="Dupont")
    assessment = make_assessment(levels={"1.1": 1})
    item = assessment.items.get(requirement__ref="1.1")

    for url in (
        f"/o/{organisation.pk}/assessments/{assessment.pk}/items/{item.pk}/",
        reverse("action-plan", args=[organisation.pk]),
    ):
        page = client_for_pages.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        assert re.search(r'<option value="\d+">Jeanne Dupont</option>', page), url
        assert ">jdupont</option>" not in page


@pytest.fixture
def client_for_pages(client, security_officer: Membership):
    client.force_login(security_officer.user)
    return client
