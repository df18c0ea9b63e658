"""The assessment grid, scores and action plan pages, as a DSI and as an executive sees them."""

import pytest
from django.urls import reverse

from controls import services
from controls.models import ActionItem, Framework, RequirementAssessment
from nis2.roles import Role
from tests.controls.factories import framework_with_requirements
from tests.nis2.factories import MembershipFactory, OrganisationFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def assessed(db):
    """An essential entity's assessment of a 6-requirement framework, with its IT member logged in."""
    membership = MembershipFactory(role=Role.IT, organisation=OrganisationFactory(nis2_status="essential"))
    framework = framework_with_requirements(6)
    assessment = services.assessment_create(
        organisation=membership.organisation,
        framework=framework,
        label="2026-T4",
        period_start="2026-10-01",
        period_end="2026-12-31",
        actor=membership.user,
    )
    return membership, assessment


def _grid_url(assessment) -> str:
    return reverse("assessment-grid", args=[assessment.organisation_id, assessment.pk])


def _item_url(item) -> str:
    return reverse("item-detail", args=[item.assessment.organisation_id, item.assessment_id, item.pk])


def test_grid_shows_every_requirement_of_the_section_with_the_scale(client, assessed) -> None:
    membership, assessment = assessed
    client.force_login(membership.user)
    html = client.get(_grid_url(assessment)).content.decode()
    for ref in ("R1", "R2", "R6"):
        assert f'<span class="ref">{ref}</span>' in html
    assert "0 sur 6 évalué" in html or "0 of 6 assessed" in html
    assert "Optimisé" in html or "Optimising" in html


def test_inline_save_updates_the_item_and_returns_its_row(client, assessed) -> None:
    membership, assessment = assessed
    item = assessment.items.order_by("requirement__position").first()
    client.force_login(membership.user)
    response = client.post(
        _item_url(item),
        {"version": item.version, "applicable": "on", "current_level": "2", "target_level": "4", "comment": "Revu"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="item-{item.pk}"' in html
    assert 'hx-swap-oob="true"' in html
    assert f'id="section-progress-{item.requirement.section_id}" hx-swap-oob="true">1/6<' in html
    item.refresh_from_db()
    assert (item.current_level, item.target_level, item.comment, item.version) == (2, 4, "Revu", 2)
    assert item.history.latest().history_user == membership.user


def test_stale_inline_save_changes_nothing_and_shows_the_current_state(client, assessed) -> None:
    membership, assessment = assessed
    item = assessment.items.order_by("requirement__position").first()
    services.item_update(item=item, expected_version=1, actor=membership.user, current_level=3)
    client.force_login(membership.user)
    response = client.post(
        _item_url(item), {"version": 1, "applicable": "on", "current_level": "1", "target_level": "3"}, **HTMX
    )
    html = response.content.decode()
    assert "pas été enregistrée" in html or "was not saved" in html
    item.refresh_from_db()
    assert (item.current_level, item.version) == (3, 2)
    assert 'name="version" value="2"' in html


def test_not_applicable_needs_a_justification(client, assessed) -> None:
    membership, assessment = assessed
    item = assessment.items.order_by("requirement__position").first()
    client.force_login(membership.user)
    refused = client.post(_item_url(item), {"version": 1, "target_level": "3"}, **HTMX)
    assert refused.status_code == 200  # htmx swaps the row, which shows the refusal
    assert 'class="form-error" role="alert"' in refused.content.decode()
    assert "justification" in refused.content.decode().lower()
    item.refresh_from_db()
    assert (item.applicable, item.version) == (True, 1)

    accepted = client.post(
        _item_url(item), {"version": 1, "target_level": "3", "justification": "Pas de site industriel."}, **HTMX
    )
    assert accepted.status_code == 200
    item.refresh_from_db()
    assert (item.applicable, item.justification) == (False, "Pas de site industriel.")


def test_executive_reads_the_grid_but_cannot_change_it(client, assessed) -> None:
    membership, assessment = assessed
    executive = MembershipFactory(organisation=membership.organisation, role=Role.EXECUTIVE)
    item = assessment.items.first()
    client.force_login(executive.user)
    html = client.get(_grid_url(assessment)).content.decode()
    assert "hx-post" not in html
    response = client.post(_item_url(item), {"version": 1, "applicable": "on", "current_level": "5"}, **HTMX)
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.current_level is None


def test_another_organisations_assessment_is_not_found(client, assessed) -> None:
    _membership, assessment = assessed
    stranger = MembershipFactory(role=Role.IT)
    client.force_login(stranger.user)
    assert client.get(_grid_url(assessment)).status_code == 404
    assert client.get(reverse("assessment-scores", args=[assessment.organisation_id, assessment.pk])).status_code == 404
    own_url = reverse("assessment-grid", args=[stranger.organisation_id, assessment.pk])
    assert client.get(own_url).status_code == 404


def test_scores_page_shows_the_chart_and_one_click_action(client, assessed) -> None:
    membership, assessment = assessed
    item = assessment.items.order_by("requirement__position").first()
    services.item_update(item=item, expected_version=1, actor=membership.user, current_level=0, target_level=4)
    client.force_login(membership.user)
    html = client.get(reverse("assessment-scores", args=[assessment.organisation_id, assessment.pk])).content.decode()
    assert '<svg role="img"' in html
    assert reverse("item-action", args=[assessment.organisation_id, assessment.pk, item.pk]) in html

    response = client.post(reverse("item-action", args=[assessment.organisation_id, assessment.pk, item.pk]))
    assert response.status_code == 302
    action = ActionItem.objects.get()
    assert list(action.requirements.values_list("ref", flat=True)) == ["R1"]
    assert action.organisation_id == assessment.organisation_id


@pytest.mark.django_db
@pytest.mark.parametrize("count", [100, pytest.param(1000, marks=pytest.mark.slow)])
def test_grid_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, count) -> None:
    membership = MembershipFactory(role=Role.IT, organisation=OrganisationFactory(nis2_status="essential"))
    framework = framework_with_requirements(count)
    assessment = services.assessment_create(
        organisation=membership.organisation,
        framework=framework,
        label="2026-T4",
        period_start="2026-10-01",
        period_end="2026-12-31",
        actor=membership.user,
    )
    assert RequirementAssessment.objects.filter(assessment=assessment).count() == count
    client.force_login(membership.user)
    with django_assert_max_num_queries(11):
        response = client.get(_grid_url(assessment))
    assert response.status_code == 200
    with django_assert_max_num_queries(12):  # 11, and one for the open action of each gap
        client.get(reverse("assessment-scores", args=[assessment.organisation_id, assessment.pk]))


def test_action_plan_lists_overdue_actions_with_a_text_badge(client, assessed) -> None:
    membership, _assessment = assessed
    services.action_create(
        organisation=membership.organisation, actor=membership.user, title="Activer la MFA", due_date="2020-01-31"
    )
    client.force_login(membership.user)
    html = client.get(reverse("action-plan", args=[membership.organisation_id]), {"status": "overdue"}).content.decode()
    assert "Activer la MFA" in html
    assert "badge-overdue" in html


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_catalogues")
def test_coverage_page_is_labelled_derived(client) -> None:
    membership = MembershipFactory(role=Role.IT, organisation=OrganisationFactory(nis2_status="important"))
    assessment = services.assessment_create(
        organisation=membership.organisation,
        framework=Framework.objects.get(code="recyf"),
        label="2026-T4",
        period_start="2026-10-01",
        period_end="2026-12-31",
        actor=membership.user,
    )
    item = assessment.items.get(requirement__ref="1.1")  # mapped to annex 12.4.2 (strong link)
    services.item_update(item=item, expected_version=1, actor=membership.user, current_level=4)
    client.force_login(membership.user)
    html = client.get(reverse("assessment-coverage", args=[membership.organisation_id, assessment.pk])).content.decode()
    assert "Déduit, non évalué." in html
    assert "12.4.2" in html
    assert "1.1 (4, lien fort)" in html


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_catalogues")
def test_coverage_page_states_the_rule_and_its_weights_in_french(client) -> None:
    membership = MembershipFactory(role=Role.IT, organisation=OrganisationFactory(nis2_status="important"))
    assessment = services.assessment_create(
        organisation=membership.organisation,
        framework=Framework.objects.get(code="recyf"),
        label="2026-T4",
        period_start="2026-10-01",
        period_end="2026-12-31",
        actor=membership.user,
    )
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    client.force_login(membership.user)

    html = client.get(reverse("assessment-coverage", args=[membership.organisation_id, assessment.pk])).content.decode()

    assert (
        "<p>Calcul du niveau déduit (un choix de Rempart, pas une règle du règlement d’exécution 2024/2690) : "
        "chaque lien transmet le niveau de l’exigence évaluée pondéré selon sa force — lien fort 1, lien moyen 0,5, "
        "lien faible 0,25. Le niveau déduit est la somme des niveaux pondérés divisée par la somme des poids, "
        "ou par 1 si les poids totalisent moins : un lien moyen seul transmet la moitié du niveau, "
        "un lien faible seul le quart.</p>"
    ) in html
