"""Journey: the IT department turns a gap into an action, gives it an owner and a due date, edits it,
finds it again from the gap, and once the date has passed the owner sees it overdue on their home page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from controls import services
from controls.models import ActionItem, Assessment, Framework, RequirementAssessment
from nis2.roles import Role
from tests.browser.journeys import log_in, member
from tests.nis2.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _assessment_with_gaps():
    dsi = member("dsi", Role.IT, name="Commune de Rempart-sur-Loire", nis2_status="essential")
    owner = MembershipFactory(
        organisation=dsi.organisation,
        role=Role.SECURITY_OFFICER,
        user=UserFactory(username="croux", first_name="Camille", last_name="Roux"),
    )
    assessment = services.assessment_create(
        organisation=dsi.organisation,
        framework=Framework.objects.get(code="recyf"),
        label="2026-T4",
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 12, 31),
        actor=dsi.user,
    )
    RequirementAssessment.objects.filter(assessment=assessment, requirement__ref__in=["10.B.1", "13.2"]).update(
        current_level=1, target_level=4
    )
    return dsi, owner, assessment


@pytest.mark.usefixtures("shipped_catalogues")
def test_a_gap_becomes_an_owned_dated_action_that_falls_overdue_on_its_owners_home(
    live_server, page, screenshot, console_errors, monkeypatch
) -> None:
    page.set_default_timeout(10_000)
    dsi, _owner, assessment = _assessment_with_gaps()
    organisation = dsi.organisation
    scores_url = f"{live_server.url}/o/{organisation.pk}/assessments/{assessment.pk}/scores/"
    today = timezone.localdate()
    due = today + datetime.timedelta(days=7)

    log_in(page, live_server, "dsi")
    page.goto(scores_url)
    gaps = page.locator("section").filter(has=page.get_by_role("heading", name="Plus grands écarts"))
    largest = gaps.locator("tbody tr").first
    largest.get_by_role("button", name="Créer une action").click()
    page.wait_for_url(re.compile(rf"/o/{organisation.pk}/actions/\d+/$"))
    action_url = page.url
    expect(page.get_by_text("Action créée : vérifiez son responsable et son échéance.")).to_be_visible()
    screenshot("journey-action-created")

    _give_an_owner_and_a_due_date(page, due)
    expect(page.get_by_text("Action enregistrée.")).to_be_visible()
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Camille Roux")
    expect(facts).to_contain_text(str(due.year))

    page.goto(scores_url)
    gaps.locator("tbody tr").first.get_by_role("link", name="Ouvrir son action").click()
    page.wait_for_url(action_url)
    assert ActionItem.objects.count() == 1

    page.get_by_label("Point d'avancement").fill("Devis de l'intégrateur reçu.")
    page.get_by_label("Statut", exact=True).select_option(label="En cours")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Action enregistrée.")).to_be_visible()
    history = page.locator("section").filter(has=page.get_by_role("heading", name="Historique"))
    expect(history).to_contain_text("Devis de l'intégrateur reçu.")
    expect(history).to_contain_text("Ouverte → En cours")
    screenshot("journey-action-edited")

    page.goto(f"{live_server.url}/o/{organisation.pk}/actions/")
    filters = page.get_by_role("form", name="Filtrer le plan")
    filters.get_by_label("Responsable").select_option(label="Camille Roux")
    filters.get_by_role("button", name="Filtrer").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    action = ActionItem.objects.get()
    expect(page.locator("tbody tr")).to_contain_text(action.title)

    # Ten days later, the date has passed: the owner's home page says so.
    later = today + datetime.timedelta(days=10)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    page.context.clear_cookies()
    log_in(page, live_server, "croux")
    page.goto(f"{live_server.url}/o/{organisation.pk}/")
    entry = page.get_by_role("list", name="Mes actions").get_by_role("listitem").filter(has_text=action.title)
    expect(entry).to_contain_text("En retard")
    screenshot("journey-action-overdue-on-owner-home")
    assert console_errors == []
    assert Assessment.objects.count() == 1


def _give_an_owner_and_a_due_date(page, due: datetime.date) -> None:
    page.get_by_label("Responsable").select_option(label="Camille Roux")
    page.get_by_label("Échéance").fill(due.isoformat())
    page.get_by_label("Charge (jours-personne)").fill("2")
    page.get_by_role("button", name="Enregistrer").click()
