"""Journey: the security officer of a local authority hit by a significant incident with a personal data
breach, which also affects the residents, opens the report drafts, sees what is still to be completed,
fills it in on the incident's edit page, and finds the drafts complete."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from incidents.models import Incident
from nis2.roles import Role
from tests.browser.journeys import hours_later, log_in, member, recent_paris_time
from tests.incidents.factories import significant_incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Fuite du fichier des usagers de la médiathèque"
MISSING_IN_PDF = "À compléter"
# The drafts the journey completes from the edit page, and what each lacks at first (French labels).
INITIALLY_MISSING = {
    "notification": [
        "Suspicion d'acte illicite ou malveillant",
        "Impact transfrontière possible",
        "Évaluation initiale",
        "Services touchés",
        "Utilisateurs touchés",
        "Durée de la perturbation (heures)",
        "Étendue géographique",
        "Indicateurs de compromission",
        "Mesures d'atténuation prises à ce stade",
    ],
    "gdpr_breach": [
        "Coordonnées du délégué à la protection des données",
        "Nature de la violation",
        "Circonstances de la violation",
        "Catégories de personnes concernées",
        "Nombre approximatif de personnes concernées",
        "Catégories d'enregistrements de données à caractère personnel concernés",
        "Nombre approximatif d'enregistrements concernés",
        "Conséquences probables",
        "Mesures prises ou proposées",
    ],
    "recipients": ["Ce qui s'est passé", "Les services touchés", "Ce que nous faisons", "Ce que vous pouvez faire"],
}
# The root cause has its own form on the incident page, not on the edit page: the final report waits for it.
FINAL_REPORT_WAITS_FOR = ["Type de menace ou cause racine", "Cause racine"]


def test_the_security_officer_completes_the_report_drafts_from_the_edit_page(
    live_server, page, screenshot, console_errors
) -> None:
    rssi = member("rssi", Role.SECURITY_OFFICER, name="Villeneuve-la-Forte")
    organisation = rssi.organisation
    incident = _recent_significant_breach(rssi)
    page.set_default_timeout(10_000)
    incident_page = f"{live_server.url}/o/{organisation.pk}/incidents/{incident.pk}/"

    log_in(page, live_server, "rssi", landing=rf"/o/{organisation.pk}/$")
    page.goto(incident_page)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    drafts = {
        step: _draft_links(page, live_server.url, step)
        for step in ("early_warning", "notification", "final", *INITIALLY_MISSING)
    }
    screenshot("complete-a-draft-incident")

    for step, missing in INITIALLY_MISSING.items():
        assert _draft_json(page, drafts[step]["json"])["missing"] == missing, step
        assert MISSING_IN_PDF in _draft_pdf_text(page, drafts[step]["pdf"]), step

    page.goto(incident_page)
    page.get_by_role("link", name="Modifier", exact=True).click()
    page.wait_for_url(re.compile(rf"/o/{organisation.pk}/incidents/{incident.pk}/edit/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier l'incident")
    form = page.locator("form.stacked-form")

    _fill_the_missing_facts(form)
    screenshot("complete-a-draft-edit")
    form.get_by_role("button", name="Enregistrer", exact=True).click()

    page.wait_for_url(re.compile(rf"/o/{organisation.pk}/incidents/{incident.pk}/$"))
    expect(page.get_by_text("Incident mis à jour.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    screenshot("complete-a-draft-saved")

    for step in ("early_warning", *INITIALLY_MISSING):
        draft = _draft_json(page, drafts[step]["json"])
        assert draft["missing"] == [], step
        assert MISSING_IN_PDF not in _draft_pdf_text(page, drafts[step]["pdf"]), step
    notification = _draft_json(page, drafts["notification"]["json"])["fields"]
    assert notification["suspected_malicious"]["value"] == "Oui. Connexions depuis un hébergeur étranger."
    assert notification["users_affected"]["value"] == "1\xa0200"  # grouped like every count of the drafts
    assert _draft_json(page, drafts["gdpr_breach"]["json"])["fields"]["records_count"]["value"] == "35\xa0000"
    recipients = _draft_json(page, drafts["recipients"]["json"])["fields"]
    assert recipients["recipient_actions"]["value"].startswith("Changer le mot de passe")
    assert _draft_json(page, drafts["final"]["json"])["missing"] == FINAL_REPORT_WAITS_FOR

    incident.refresh_from_db()
    assert incident.status == Incident.Status.NEW
    assert console_errors == []


def _recent_significant_breach(rssi) -> Incident:
    """A significant incident with a personal data breach that reaches the residents, declared by ``rssi``."""
    # Recent enough that no deadline has passed: a late draft would also ask for the reasons for the
    # delay, which are given when the filing is recorded, not on the edit page.
    detected_at = recent_paris_time(hours_ago=3, then_hours=1)
    return significant_incident(
        rssi.organisation,
        actor=rssi.user,
        title=TITLE,
        detected_at=detected_at,
        aware_at=hours_later(detected_at, 1),
        personal_data_breach=True,
        recipients_affected=True,
    )


def _fill_the_missing_facts(form) -> None:
    """Every fact the drafts still miss, typed on the edit form."""
    # The notification to the CSIRT (NIS 2 Art. 23(4)(b)).
    form.get_by_label("Description", exact=True).fill(
        "Le fichier des inscrits de la médiathèque a été exfiltré depuis un compte de service compromis."
    )
    form.get_by_label("Suspicion de malveillance", exact=True).select_option(label="Oui")
    form.get_by_label("Pourquoi malveillant (ou non)", exact=True).fill("Connexions depuis un hébergeur étranger.")
    form.get_by_label("Transfrontière", exact=True).select_option(label="Non")
    form.get_by_label("Pourquoi transfrontière (ou non)", exact=True).fill("Seuls des usagers de la commune.")
    form.get_by_label("Services touchés", exact=True).fill("Portail de la médiathèque, réservations en ligne.")
    form.get_by_label("Utilisateurs touchés", exact=True).fill("1200")
    form.get_by_label("Durée de la perturbation (heures)", exact=True).fill("6")
    form.get_by_label("Étendue géographique", exact=True).select_option(label="Un site ou un service")
    form.get_by_label("Indicateurs de compromission", exact=True).fill("185.220.101.4 ; compte svc-mediatheque")
    form.get_by_label("Mesures d'atténuation appliquées et en cours", exact=True).fill(
        "Compte désactivé, mots de passe réinitialisés, portail isolé."
    )
    # The notice to the residents (NIS 2 Art. 23(2)).
    form.get_by_label("Ce que les usagers peuvent faire", exact=True).fill(
        "Changer le mot de passe de leur compte et se méfier des courriels au nom de la médiathèque."
    )
    # The notification to the CNIL (GDPR Art. 33(3)).
    form.get_by_label("Nature de la violation de données à caractère personnel", exact=True).fill(
        "Perte de confidentialité : copie non autorisée du fichier des inscrits."
    )
    form.get_by_label("Catégories de personnes concernées", exact=True).fill("Inscrits de la médiathèque.")
    form.get_by_label("Nombre approximatif de personnes concernées", exact=True).fill("1200")
    form.get_by_label("Catégories d'enregistrements de données à caractère personnel concernés", exact=True).fill(
        "Nom, adresse, courriel, historique des prêts."
    )
    form.get_by_label("Nombre approximatif d'enregistrements concernés", exact=True).fill("35000")
    form.get_by_label("Conséquences probables pour les personnes concernées", exact=True).fill(
        "Hameçonnage ciblé des inscrits."
    )
    form.get_by_label("Coordonnées du délégué à la protection des données", exact=True).fill(
        "Claire Martin, dpo@villeneuve-la-forte.fr, 01 23 45 67 89"
    )


def _draft_links(page, origin: str, step: str) -> dict[str, str]:
    """The addresses of the step's drafts, as the incident page links them ("Projet (JSON)", "Projet (PDF)")."""
    links = {}
    for fmt, name in (("json", "Projet (JSON)"), ("pdf", "Projet (PDF)")):
        link = page.locator(f'#obligations a[href*="/drafts/{step}.{fmt}"]')
        expect(link).to_have_count(1)
        expect(link).to_have_text(name)
        links[fmt] = origin + link.get_attribute("href")
    return links


def _draft_json(page, url: str) -> dict:
    """The JSON draft, fetched with the browser's session. (Opening it as a page would make Chromium ask
    for /favicon.ico, which the application does not serve: a 404 in the console that is not the page's.)"""
    response = page.request.get(url)
    assert response.ok, url
    assert response.headers["content-type"] == "application/json"
    return response.json()


def _draft_pdf_text(page, url: str) -> str:
    """The text of the PDF draft, fetched with the browser's session (the link downloads it)."""
    response = page.request.get(url)
    assert response.ok, url
    assert response.headers["content-type"] == "application/pdf"
    return "\n".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(response.body())).pages)
