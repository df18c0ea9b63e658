"""The action plan as a working tool (issue 14): one action per gap, an edit page, filters, exports,
the owner's dashboard and the history, in French, scoped to the organisation."""

import csv
import datetime
import html
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from controls import services
from controls.models import ActionItem, RequirementAssessment
from nis2.clock import add_months
from nis2.roles import Role
from tests.controls.factories import framework_with_requirements
from tests.incidents.factories import IncidentFactory
from tests.nis2.factories import MembershipFactory, OrganisationFactory, UserFactory

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}


@pytest.fixture
def plan(db):
    """An IT manager (logged in by the tests) and a named colleague of one organisation, with an
    assessment of six requirements whose first one is a gap owned by the colleague."""
    organisation = OrganisationFactory(nis2_status="essential")
    it = MembershipFactory(role=Role.IT, organisation=organisation)
    colleague = MembershipFactory(
        role=Role.SECURITY_OFFICER,
        organisation=organisation,
        user=UserFactory(first_name="Camille", last_name="Roux", username="croux"),
    )
    assessment = services.assessment_create(
        organisation=organisation,
        framework=framework_with_requirements(6),
        label="2026-T4",
        period_start="2026-10-01",
        period_end="2026-12-31",
        actor=it.user,
    )
    gap = assessment.items.select_related("requirement").order_by("requirement__position").first()
    RequirementAssessment.objects.filter(pk=gap.pk).update(current_level=1, target_level=3, owner=colleague.user)
    gap.refresh_from_db()
    return it, colleague, assessment, gap


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _gap_url(item) -> str:
    return reverse("item-action", args=[item.assessment.organisation_id, item.assessment_id, item.pk])


def _detail_url(action) -> str:
    return reverse("action-detail", args=[action.organisation_id, action.pk])


def test_a_gap_has_one_action_and_a_second_click_opens_it(client, plan) -> None:
    it, colleague, _assessment, gap = plan
    client.force_login(it.user)

    first = client.post(_gap_url(gap), **FR)
    action = ActionItem.objects.get()
    assert first.status_code == 302
    assert first["Location"] == _detail_url(action)
    assert action.owner == colleague.user
    assert action.due_date == add_months(timezone.localdate(), 3)
    assert list(action.requirements.all()) == [gap.requirement]

    second = client.post(_gap_url(gap), follow=True, **FR)
    assert ActionItem.objects.count() == 1
    assert second.redirect_chain[-1][0] == _detail_url(action)
    assert "Cet écart a déjà une action en cours" in _text(second)


def test_a_finished_action_does_not_stop_a_new_one_for_the_same_gap(client, plan) -> None:
    it, _colleague, _assessment, gap = plan
    done, _created = services.action_create_from_gap(item=gap, actor=it.user)
    services.action_update(action=done, actor=it.user, status=ActionItem.Status.DONE)
    client.force_login(it.user)
    client.post(_gap_url(gap))
    assert ActionItem.objects.count() == 2


def test_the_action_page_edits_every_field_in_french_and_records_who(client, plan) -> None:
    it, _colleague, _assessment, gap = plan
    action, _created = services.action_create_from_gap(item=gap, actor=it.user)
    client.force_login(it.user)

    page = _text(client.get(_detail_url(action), **FR))
    for label in ("Responsable", "Échéance", "Charge (jours-personne)", "Point d'avancement", "Mesures concernées"):
        assert label in page
    assert "Camille Roux" in page
    assert "croux" not in page

    response = client.post(
        _detail_url(action),
        {
            "title": "Déployer la MFA sur la messagerie",
            "owner": it.user.pk,
            "due_date": "2027-02-28",
            "status": "in_progress",
            "priority": "high",
            "effort_days": "4.5",
            "estimated_cost_eur": "1200",
            "description": "",
            "progress_note": "Pilote fait au service urbanisme.",
            "measures": f"{gap.requirement.ref}, r2",
        },
        **FR,
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.owner, action.due_date, action.status) == (
        "Déployer la MFA sur la messagerie",
        it.user,
        datetime.date(2027, 2, 28),
        "in_progress",
    )
    assert str(action.effort_days) == "4.5"
    assert action.progress_note == "Pilote fait au service urbanisme."
    assert sorted(r.ref for r in action.requirements.all()) == ["R1", "R2"]
    latest = action.history.latest()
    assert latest.history_user == it.user
    history = _text(client.get(_detail_url(action), **FR))
    assert "Point d'avancement" in history
    assert "Pilote fait au service urbanisme." in history
    assert "En cours" in history


def test_an_unknown_measure_is_refused_by_name_and_nothing_changes(client, plan) -> None:
    it, _colleague, _assessment, gap = plan
    action, _created = services.action_create_from_gap(item=gap, actor=it.user)
    client.force_login(it.user)
    response = client.post(
        _detail_url(action),
        {"title": "Autre titre", "status": "open", "priority": "medium", "measures": "R1, 99.Z"},
        **FR,
    )
    assert response.status_code == 400
    assert "99.Z" in response.content.decode()
    action.refresh_from_db()
    assert action.title != "Autre titre"


def test_an_owner_outside_the_organisation_is_refused(client, plan) -> None:
    it, _colleague, _assessment, gap = plan
    action, _created = services.action_create_from_gap(item=gap, actor=it.user)
    stranger = MembershipFactory(role=Role.IT).user
    client.force_login(it.user)
    response = client.post(
        _detail_url(action), {"title": "T", "status": "open", "priority": "medium", "owner": stranger.pk}, **FR
    )
    assert response.status_code == 400
    action.refresh_from_db()
    assert action.owner != stranger


def test_an_executive_reads_the_action_but_cannot_change_it(client, plan) -> None:
    it, _colleague, assessment, gap = plan
    action, _created = services.action_create_from_gap(item=gap, actor=it.user)
    executive = MembershipFactory(role=Role.EXECUTIVE, organisation=assessment.organisation)
    client.force_login(executive.user)
    page = client.get(_detail_url(action), **FR)
    assert page.status_code == 200
    assert '<form method="post" novalidate>' not in page.content.decode()
    assert client.post(_detail_url(action), {"title": "x", "status": "done", "priority": "low"}).status_code == 403
    assert client.post(_gap_url(gap)).status_code == 403
    action.refresh_from_db()
    assert action.status == "open"


def test_another_organisation_gets_404_on_the_action_and_its_export(client, plan) -> None:
    it, _colleague, _assessment, gap = plan
    action, _created = services.action_create_from_gap(item=gap, actor=it.user)
    outsider = MembershipFactory(role=Role.ADMIN)
    client.force_login(outsider.user)
    assert client.get(_detail_url(action)).status_code == 404
    assert client.post(_detail_url(action), {"title": "x"}).status_code == 404
    export = reverse("action-export", args=[action.organisation_id, "csv"])
    assert client.get(export).status_code == 404


def _actions(plan) -> dict[str, ActionItem]:
    it, colleague, assessment, _gap = plan
    organisation = it.organisation
    today = timezone.localdate()
    late = services.action_create(
        organisation=organisation,
        actor=it.user,
        title="Revue des comptes",
        owner=colleague.user,
        due_date=today - datetime.timedelta(days=3),
        requirements=list(assessment.framework.requirements.filter(ref="R3")),
    )
    later = services.action_create(
        organisation=organisation,
        actor=it.user,
        title='=HYPERLINK("http://evil")',
        owner=it.user,
        due_date=today + datetime.timedelta(days=40),
    )
    done = services.action_create(
        organisation=organisation, actor=it.user, title="Sauvegardes testées", status=ActionItem.Status.DONE
    )
    return {"late": late, "later": later, "done": done}


def _titles(response) -> set[str]:
    return {action.title for action, _overdue in response.context["rows"]}


def test_the_plan_filters_by_owner_due_date_overdue_and_measure(client, plan) -> None:
    actions = _actions(plan)
    it, colleague, _assessment, _gap = plan
    url = reverse("action-plan", args=[it.organisation_id])
    client.force_login(it.user)
    assert _titles(client.get(url)) == {actions["late"].title, actions["later"].title}
    assert _titles(client.get(url, {"owner": colleague.user.pk})) == {"Revue des comptes"}
    assert _titles(client.get(url, {"overdue": "true"})) == {"Revue des comptes"}
    assert _titles(client.get(url, {"due_before": timezone.localdate().isoformat()})) == {"Revue des comptes"}
    assert _titles(client.get(url, {"measure": "r3"})) == {"Revue des comptes"}
    assert _titles(client.get(url, {"status": "done"})) == {"Sauvegardes testées"}
    page = _text(client.get(url, {"overdue": "true"}, **FR))
    assert "En retard" in page
    assert "Camille Roux" in page


def test_the_api_filters_overdue_actions_of_one_owner(plan) -> None:
    from rest_framework.test import APIClient

    actions = _actions(plan)
    it, colleague, _assessment, _gap = plan
    api = APIClient()
    api.force_authenticate(it.user)
    found = api.get("/api/v1/actions/", {"overdue": "true", "owner": colleague.user.pk}).json()["results"]
    assert [row["id"] for row in found] == [actions["late"].pk]
    assert found[0]["overdue"] is True
    none_for_me = api.get("/api/v1/actions/", {"overdue": "true", "owner": it.user.pk}).json()["results"]
    assert none_for_me == []
    assert api.get("/api/v1/actions/", {"overdue": "maybe"}).status_code == 400


def test_the_plan_exports_as_csv_and_xlsx_in_french_with_formulas_defused(client, plan) -> None:
    _actions(plan)
    it, _colleague, _assessment, _gap = plan
    client.force_login(it.user)
    csv_response = client.get(reverse("action-export", args=[it.organisation_id, "csv"]), **FR)
    assert csv_response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode("utf-8"))))
    assert {row["Action"] for row in rows} == {"Revue des comptes", '\'=HYPERLINK("http://evil")'}
    late = next(row for row in rows if row["Action"] == "Revue des comptes")
    assert late["Responsable"] == "Camille Roux"
    assert late["En retard"] == "Oui"
    assert late["Mesures"] == "R3"
    assert late["Statut"] == "Ouverte"

    xlsx = client.get(reverse("action-export", args=[it.organisation_id, "xlsx"]), {"overdue": "true"}, **FR).content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Action"
    assert "Échéance" in values[0]
    assert [row[0] for row in values[1:]] == ["Revue des comptes"]
    assert client.get(f"/o/{it.organisation_id}/actions/export.pdf").status_code == 404


def test_the_owner_sees_their_overdue_action_on_their_dashboard(client, plan) -> None:
    _actions(plan)
    it, colleague, _assessment, _gap = plan
    home = reverse("organisation-home", args=[it.organisation_id])
    client.force_login(colleague.user)
    page = _text(client.get(home, **FR))
    mine = page.split("Mes actions", 1)[1].split("Actions en retard", 1)[0]
    assert "Revue des comptes" in mine
    assert "En retard" in mine
    client.force_login(it.user)
    mine = _text(client.get(home, **FR)).split("Mes actions", 1)[1].split("Actions en retard", 1)[0]
    assert "Revue des comptes" not in mine
    assert "HYPERLINK" in mine


def test_the_action_page_lists_the_incidents_that_feed_it(client, plan) -> None:
    from incidents import services as incident_services

    it, _colleague, _assessment, _gap = plan
    incident = IncidentFactory(organisation=it.organisation, title="Rançongiciel à la médiathèque")
    corrective = incident_services.corrective_action_create(
        incident=incident, actor=it.user, title="Segmenter le réseau", add_to_action_plan=True
    )
    client.force_login(it.user)
    page = _text(client.get(_detail_url(corrective.plan_action), **FR))
    assert "Rançongiciel à la médiathèque" in page
    assert reverse("incident-detail-page", args=[it.organisation_id, incident.pk]) in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_plan_page_runs_a_constant_number_of_queries(client, plan, count, django_assert_max_num_queries) -> None:
    it, colleague, assessment, _gap = plan
    requirements = list(assessment.framework.requirements.all()[:2])
    for index in range(count):
        services.action_create(
            organisation=it.organisation,
            actor=it.user,
            title=f"Action {index}",
            owner=colleague.user if index % 2 else it.user,
            due_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=index),
            requirements=requirements,
        )
    client.force_login(it.user)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("action-plan", args=[it.organisation_id])).status_code == 200
