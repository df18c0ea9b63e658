"""A compliance analysis per information system (ReCyF 2.C.1) and new campaigns started from the
assessments page; the organisation-wide assessment alone feeds scores and reports."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from controls import selectors, services
from controls.models import Assessment
from nis2.roles import Role
from tests.controls.factories import framework_with_requirements
from tests.nis2.factories import MembershipFactory, OrganisationFactory

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


@pytest.fixture
def it(db):
    return MembershipFactory(role=Role.IT, organisation=OrganisationFactory(nis2_status="essential"))


@pytest.fixture
def framework(db):
    return framework_with_requirements(4)


def _index(membership) -> str:
    return reverse("assessment-index", args=[membership.organisation_id])


def test_an_information_system_gets_its_own_analysis_under_the_same_label(client, it, framework) -> None:
    client.force_login(it.user)
    whole = client.post(_index(it), {"framework": framework.pk, "label": "2026-T4", "start_from": ""}, **FR)
    assert whole.status_code == 302
    school = client.post(
        _index(it),
        {"framework": framework.pk, "label": "2026-T4", "information_system": " SI des écoles ", "start_from": ""},
        **FR,
    )
    assert school.status_code == 302
    assert sorted(Assessment.objects.values_list("information_system", flat=True)) == ["", "SI des écoles"]

    again = client.post(
        _index(it),
        {"framework": framework.pk, "label": "2026-T4", "information_system": "SI des écoles", "start_from": ""},
        **FR,
    )
    assert again.status_code == 200
    assert Assessment.objects.count() == 2
    assert "Cette organisation a déjà une évaluation portant ce libellé." in html.unescape(again.content.decode())

    page = html.unescape(client.get(_index(it), **FR).content.decode())
    assert "Toute l'organisation" in page
    assert "SI des écoles" in page
    assert "Système d'information" in page


def test_a_framework_or_an_assessment_to_start_from_is_required(client, it, framework) -> None:
    client.force_login(it.user)
    response = client.post(_index(it), {"label": "2026-T4", "start_from": ""}, **FR)
    assert response.status_code == 200
    assert not Assessment.objects.exists()
    assert "Choisissez un référentiel" in html.unescape(response.content.decode())


def test_a_new_campaign_starts_from_the_last_one_with_every_answer_to_reconfirm(client, it, framework) -> None:
    previous = services.assessment_create(
        organisation=it.organisation,
        framework=framework,
        label="2025",
        information_system="SI des écoles",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        actor=it.user,
    )
    previous.items.update(current_level=2)
    client.force_login(it.user)
    form_page = client.get(_index(it), **FR).content.decode()
    assert "Repartir de" in html.unescape(form_page)

    response = client.post(_index(it), {"start_from": previous.pk, "label": "2026"}, follow=True, **FR)
    campaign = Assessment.objects.exclude(pk=previous.pk).get()
    assert (campaign.copied_from, campaign.framework, campaign.information_system) == (
        previous,
        framework,
        "SI des écoles",
    )
    assert campaign.items.count() == 4
    assert set(campaign.items.values_list("to_confirm", "current_level")) == {(True, 2)}
    assert "chaque réponse est à reconfirmer" in html.unescape(response.content.decode())


def test_a_stranger_cannot_start_from_another_organisations_assessment(client, it, framework) -> None:
    other = services.assessment_create(
        organisation=OrganisationFactory(),
        framework=framework,
        label="2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        actor=None,
    )
    client.force_login(it.user)
    response = client.post(_index(it), {"start_from": other.pk, "label": "2026"}, **FR)
    assert response.status_code == 200
    assert Assessment.objects.filter(organisation=it.organisation).count() == 0


def test_reports_and_the_home_page_read_the_organisation_wide_assessment(it, framework) -> None:
    quarter = {"period_start": datetime.date(2026, 10, 1), "period_end": datetime.date(2026, 12, 31)}
    whole = services.assessment_create(
        organisation=it.organisation, framework=framework, label="2026-T4", actor=it.user, **quarter
    )
    services.assessment_create(
        organisation=it.organisation,
        framework=framework,
        label="2026-T4",
        information_system="SI de la police municipale",
        actor=it.user,
        **quarter,
    )
    found = selectors.assessment_as_of(
        organisation_id=it.organisation_id,
        start=quarter["period_start"],
        end=quarter["period_end"],
        as_of=timezone.now(),
    )
    assert found.pk == whole.pk
