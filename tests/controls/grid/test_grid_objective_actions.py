"""Actions on a whole objective of the compact assessment grid (issue 14): target level, not applicable."""

import html as html_entities
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from controls.models import Assessment, RequirementAssessment
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.controls.factories import SectionFactory
from tests.controls.grid.grid_pages import confirm_url, grid_url, item_of, section_of
from tests.nis2.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("french_catalogue")]


def bulk_url(name: str, assessment: Assessment, section_ref: str) -> str:
    return reverse(name, args=[assessment.organisation_id, assessment.pk, section_of(assessment, section_ref).pk])


def text_of(response: object) -> str:
    """The page with its entities decoded (a message's apostrophe is escaped)."""
    return html_entities.unescape(response.content.decode())


def states(assessment: Assessment) -> dict[str, tuple]:
    return {
        item.requirement.ref: (item.applicable, item.justification, item.target_level, item.version, item.to_confirm)
        for item in assessment.items.select_related("requirement")
    }


def test_the_target_level_of_a_whole_objective_is_set_at_once(
    web: Client, assessment: Assessment, dsi: Membership
) -> None:
    before = states(assessment)
    RequirementAssessment.objects.filter(pk=item_of(assessment, "1.2").pk).update(target_level=4)

    response = web.post(
        bulk_url("assessment-section-target", assessment, "1"),
        {"target_level": "4", "return": "section=1&unrated=on"},
        follow=True,
    )

    assert response.redirect_chain[0] == (f"{grid_url(assessment)}?section=1&unrated=on", 302)
    assert "Niveau cible 4 fixé pour 1 mesure de l'objectif 1." in text_of(response)
    after = states(assessment)
    assert after["1.1"] == (True, "", 4, 2, False)
    assert after["1.2"][2:4] == (4, 1)  # already at 4: left as it was, version included
    assert (after["2.1"], after["2.2"]) == (before["2.1"], before["2.2"])
    assert item_of(assessment, "1.1").history.latest().history_user == dsi.user
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS


def test_a_whole_objective_is_marked_not_applicable_with_one_justification(
    web: Client, assessment: Assessment, dsi: Membership
) -> None:
    RequirementAssessment.objects.filter(pk=item_of(assessment, "2.1").pk).update(
        alternative_measure="Pare-feu mutualisé"
    )

    response = web.post(
        bulk_url("assessment-section-not-applicable", assessment, "2"),
        {"justification": "Aucun système industriel."},
        follow=True,
    )

    assert "2 mesures de l'objectif 2 marquées non applicables." in text_of(response)
    after = states(assessment)
    assert after["2.1"][:2] == after["2.2"][:2] == (False, "Aucun système industriel.")
    assert (after["2.1"][3], after["2.2"][3]) == (2, 2)
    assert (after["1.1"][0], after["1.2"][0]) == (True, True)
    changed = item_of(assessment, "2.1")
    assert changed.alternative_measure == ""  # an alternative measure covers an applicable requirement only
    assert changed.history.latest().history_user == dsi.user


def test_not_applicable_without_a_justification_is_refused(web: Client, assessment: Assessment) -> None:
    before = states(assessment)

    response = web.post(
        bulk_url("assessment-section-not-applicable", assessment, "2"), {"justification": "  "}, follow=True
    )

    assert "Expliquez pourquoi les mesures de cet objectif ne s'appliquent pas." in text_of(response)
    assert states(assessment) == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("assessment-section-target", {"target_level": "5"}),
        ("assessment-section-not-applicable", {"justification": "Hors périmètre."}),
    ],
)
def test_a_validated_assessment_refuses_actions_on_an_objective(
    web: Client, make_assessment: Callable[..., Assessment], name: str, data: dict[str, str]
) -> None:
    validated = make_assessment(status=Assessment.Status.VALIDATED)
    before = states(validated)

    response = web.post(bulk_url(name, validated, "1"), data, follow=True)

    assert "Cette évaluation est validée" in text_of(response)
    assert states(validated) == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("assessment-section-target", {"target_level": "5"}),
        ("assessment-section-not-applicable", {"justification": "Hors périmètre."}),
    ],
)
def test_a_reader_cannot_act_on_an_objective(
    client: Client, assessment: Assessment, organisation: Organisation, name: str, data: dict[str, str]
) -> None:
    before = states(assessment)
    client.force_login(MembershipFactory(organisation=organisation, role=Role.EXECUTIVE).user)

    response = client.post(bulk_url(name, assessment, "1"), data)

    assert response.status_code == 403
    assert states(assessment) == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("assessment-section-target", {"target_level": "5"}),
        ("assessment-section-not-applicable", {"justification": "Hors périmètre."}),
    ],
)
def test_another_organisations_objective_is_not_found(
    client: Client, assessment: Assessment, name: str, data: dict[str, str]
) -> None:
    before = states(assessment)
    client.force_login(MembershipFactory(role=Role.IT).user)

    response = client.post(bulk_url(name, assessment, "1"), data)

    assert response.status_code == 404
    assert states(assessment) == before


def test_an_objective_of_another_framework_is_not_found(
    web: Client, assessment: Assessment, make_assessment: Callable[..., Assessment]
) -> None:
    other = SectionFactory(ref="1")

    response = web.post(
        reverse("assessment-section-target", args=[assessment.organisation_id, assessment.pk, other.pk]),
        {"target_level": "5"},
    )

    assert response.status_code == 404


def test_actions_on_an_objective_are_post_only(web: Client, assessment: Assessment) -> None:
    for name in ("assessment-section-target", "assessment-section-not-applicable"):
        assert web.get(bulk_url(name, assessment, "1")).status_code == 405
    assert web.get(confirm_url(item_of(assessment, "1.1"))).status_code == 405


def test_the_grid_offers_actions_on_the_objective_to_writers_only(
    client: Client, assessment: Assessment, dsi: Membership, organisation: Organisation
) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    client.force_login(dsi.user)
    writer = client.get(grid_url(assessment)).content.decode()
    client.force_login(MembershipFactory(organisation=organisation, role=Role.EXECUTIVE).user)
    reader = client.get(grid_url(assessment)).content.decode()

    target = bulk_url("assessment-section-target", assessment, "1")
    not_applicable = bulk_url("assessment-section-not-applicable", assessment, "1")
    assert target in writer
    assert not_applicable in writer
    assert "Toutes les mesures de l'objectif" in html_entities.unescape(writer)
    assert target not in reader
    assert not_applicable not in reader
    assert "Raccourcis clavier" not in reader
