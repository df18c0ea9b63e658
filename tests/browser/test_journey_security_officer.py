"""Journey 1: the security officer declares a significant incident with personal data, follows its
legal deadlines, records the early warning, and closes the incident once its root cause is known."""

import re

import pytest
from playwright.sync_api import expect

from incidents.models import Incident
from nis2.roles import Role
from tests.browser.journeys import (
    hours_later,
    log_in,
    member,
    paris,
    paris_datetime_input,
    recent_paris_time,
    wall_clock,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Rançongiciel sur le serveur de fichiers de la mairie"
CLOSING_REFUSED = "Un incident ne peut pas être clos sans cause racine."


def test_the_security_officer_declares_reports_and_closes_a_significant_incident(
    live_server, page, screenshot, console_errors
) -> None:
    rssi = member("rssi", Role.SECURITY_OFFICER, name="Villeneuve-la-Forte")
    organisation = rssi.organisation
    page.set_default_timeout(10_000)
    detected_at = recent_paris_time(hours_ago=3, then_hours=1)
    aware_at = hours_later(detected_at, 1)

    log_in(page, live_server, "rssi", landing=rf"/o/{organisation.pk}/$")
    _declare_on_the_form(page, live_server, organisation, detected_at, aware_at, screenshot)

    page.wait_for_url(re.compile(rf"/o/{organisation.pk}/incidents/\d+/$"))
    incident = Incident.objects.get(organisation=organisation, title=TITLE)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Incident déclaré. Ses échéances de signalement figurent ci-dessous.")).to_be_visible()

    early_warning, notification, cnil = _obligation_articles(page)
    # Elapsed hours from awareness of significance, shown in Paris time (the page says so).
    expect(early_warning).to_contain_text(f"Échéance {paris(hours_later(aware_at, 24))}")
    expect(notification).to_contain_text(f"Échéance {paris(hours_later(aware_at, 72))}")
    expect(cnil).to_contain_text(f"Échéance {paris(hours_later(aware_at, 72))}")
    expect(page.get_by_text("Les heures sont affichées dans le fuseau Europe/Paris.")).to_be_visible()
    screenshot("journey1-deadlines")

    _file_the_early_warning(early_warning, screenshot)
    page.wait_for_load_state()
    expect(page.get_by_text("Alerte précoce : transmission enregistrée.")).to_be_visible()
    expect(early_warning).to_contain_text("Transmis dans les délais")
    expect(early_warning).to_contain_text("référence CERTFR-2026-ALE-0042")
    screenshot("journey1-early-warning-submitted")

    transitions = page.locator("form.transitions")
    transitions.get_by_role("button", name="Résolu", exact=True).click()
    expect(page.get_by_text("Statut passé à « Résolu ».")).to_be_visible()
    page.locator("form.transitions").get_by_role("button", name="Clos", exact=True).click()
    expect(page.get_by_text(CLOSING_REFUSED)).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("Résolu")
    screenshot("journey1-closing-refused")

    _record_the_root_cause(page)
    expect(page.get_by_text("Cause racine enregistrée.")).to_be_visible()
    page.locator("form.transitions").get_by_role("button", name="Clos", exact=True).click()
    expect(page.get_by_text("Statut passé à « Clos ».")).to_be_visible()
    expect(page.locator(".facts dd").first).to_have_text("Clos")
    expect(page.locator("form.transitions")).to_have_count(0)
    screenshot("journey1-closed")

    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED
    assert console_errors == []


def _declare_on_the_form(page, live_server, organisation, detected_at, aware_at, screenshot) -> None:
    """Declare a significant incident with personal data on the declaration form."""
    page.goto(f"{live_server.url}/o/{organisation.pk}/incidents/")
    page.get_by_role("link", name="Déclarer un incident").click()
    page.wait_for_url(re.compile(rf"/o/{organisation.pk}/incidents/new/$"))

    page.get_by_label("Que se passe-t-il ?").fill(TITLE)
    paris_datetime_input(page, "Détecté le (heure de Paris)").fill(wall_clock(detected_at))
    page.get_by_label("Type d'incident (RSIT)").select_option("infected-system")
    page.get_by_label("Gravité", exact=True).select_option(label="Critique")
    page.get_by_label("Incident important (NIS 2, art. 23, par. 3) ?").select_option(label="Oui")
    paris_datetime_input(page, "Caractère important connu le (heure de Paris)").fill(wall_clock(aware_at))
    page.get_by_label("Des données à caractère personnel peuvent être concernées").check()
    screenshot("journey1-declare")
    page.get_by_role("button", name="Déclarer", exact=True).click()


def _obligation_articles(page):
    """The early warning, the notification and the CNIL report, as shown on the incident page."""
    obligations = page.locator("#obligations")
    early_warning = obligations.locator("article", has=page.get_by_role("heading", name=re.compile("^Alerte précoce")))
    notification = obligations.locator(
        "article", has=page.get_by_role("heading", name=re.compile("^Notification d'incident"))
    )
    cnil = obligations.locator("article", has=page.get_by_role("heading", name=re.compile(r"\(CNIL\) — CNIL$")))
    return early_warning, notification, cnil


def _file_the_early_warning(early_warning, screenshot) -> None:
    early_warning.get_by_text("Enregistrer la transmission").click()
    early_warning.locator("input[name=reference]").fill("CERTFR-2026-ALE-0042")
    early_warning.locator("select[name=channel]").select_option(label="Portail de l'autorité")
    screenshot("journey1-early-warning-filing")
    early_warning.get_by_role("button", name="Enregistrer", exact=True).click()


def _record_the_root_cause(page) -> None:
    root_cause = page.locator("#root-cause")
    root_cause.get_by_label("Catégorie de cause racine").select_option(label="Action malveillante")
    root_cause.get_by_label("Cause racine", exact=True).fill(
        "Hameçonnage d'un agent, identifiants réutilisés sur le VPN sans double authentification."
    )
    root_cause.get_by_role("button", name="Enregistrer la cause racine").click()
