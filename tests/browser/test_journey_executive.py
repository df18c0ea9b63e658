"""Journey 4: an executive (elected official, DGS) reads the organisation's state, downloads the latest
quarterly report, and finds nothing to change anywhere: the pages offer no write control and the
server refuses a forged write."""

import json
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from controls.models import RequirementAssessment
from incidents.models import Incident
from nis2.periods import quarter_of
from nis2.roles import Role
from reports import services as reports
from reports.models import Report
from tests.browser.journeys import log_in, member
from tests.controls.factories import AssessmentFactory, ItemFactory
from tests.dependencies.factories import ComponentFactory
from tests.incidents.factories import significant_incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_write_control(page, *names: str) -> None:
    """None of the named buttons or links, and no form posting anything but the language or the logout."""
    for name in names:
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(0)
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)
    expect(page.locator("main form[method=post]")).to_have_count(0)


def test_the_executive_downloads_the_quarterly_report_and_cannot_change_anything(
    live_server, page, screenshot, console_errors
) -> None:
    page.set_default_timeout(10_000)
    organisation, incident, assessment, item, component, quarter = _villeneuve_with_a_ready_report()

    log_in(page, live_server, "dgs", landing=rf"/o/{organisation.pk}/$")
    expect(page.get_by_role("heading", level=1)).to_have_text("Villeneuve-la-Forte")
    screenshot("journey4-home")

    _open_the_reports(page, organisation)
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapports de conformité")
    latest = page.get_by_role("row").filter(has_text=quarter.code)
    expect(latest).to_contain_text("Prêt")
    expect(page.get_by_role("button", name="Générer")).to_have_count(0)
    screenshot("journey4-reports")
    download = _download_the_pdf(page, latest)
    assert download.suggested_filename.endswith(".pdf")
    assert quarter.code in download.suggested_filename
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    page.goto(f"{live_server.url}/o/{organisation.pk}/incidents/")
    expect(page.get_by_role("link", name=incident.title)).to_be_visible()
    no_write_control(page, "Déclarer un incident", "Créer l'adresse")
    screenshot("journey4-incident-register")
    page.get_by_role("link", name=incident.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(incident.title)
    no_write_control(page, "Modifier", "Résolu", "Enregistrer", "Enregistrer la cause racine", "Ajouter")
    expect(page.get_by_text("Enregistrer la transmission")).to_have_count(0)
    screenshot("journey4-incident-detail")

    _open_the_items_objective(page, live_server, organisation, assessment, item)
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("Niveau actuel")
    no_write_control(page, "Enregistrer")
    expect(page.locator(f"#item-{item.pk} select, #item-{item.pk} input, #item-{item.pk} textarea")).to_have_count(0)
    screenshot("journey4-assessment-grid")
    page.get_by_role("link", name="Scores et écarts").click()
    expect(page.get_by_role("heading", name="Plus grands écarts")).to_be_visible()
    no_write_control(page, "Créer une action", "Valider l'évaluation")

    page.goto(f"{live_server.url}/o/{organisation.pk}/dependencies/")
    expect(page.locator("figure.chart svg")).to_be_visible()
    no_write_control(page, "Importer")
    screenshot("journey4-dependency-map")
    page.goto(f"{live_server.url}/o/{organisation.pk}/dependencies/components/{component.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Messagerie")
    no_write_control(page, "Enregistrer")
    screenshot("journey4-component")

    for path, data in _forged_writes(organisation, incident, assessment, item, quarter).items():
        response = _post_with_the_page_token(page, live_server, path, data)
        assert response.status == 403, path
        assert "Votre rôle ne permet pas" in response.text(), path  # refused for the role, not for a missing token
    incident.refresh_from_db()
    assert incident.status == Incident.Status.NEW
    assert RequirementAssessment.objects.get(pk=item.pk).current_level == 2
    assert Incident.objects.filter(organisation=organisation).count() == 1
    assert Report.objects.filter(organisation=organisation).count() == 1
    assert console_errors == []


def _villeneuve_with_a_ready_report():
    """Villeneuve-la-Forte with its executive (``dgs``) and security officer, a significant incident, an
    assessment, a component, and last quarter's report generated."""
    dgs = member("dgs", Role.EXECUTIVE, name="Villeneuve-la-Forte")
    organisation = dgs.organisation
    rssi = member("rssi", Role.SECURITY_OFFICER, organisation)
    incident = significant_incident(organisation, actor=rssi.user)
    assessment = AssessmentFactory(organisation=organisation, label="2026-T4")
    item = ItemFactory(assessment=assessment, current_level=2)
    component = ComponentFactory(organisation=organisation, name="Messagerie")
    quarter = quarter_of(timezone.localdate()).previous()
    report = reports.report_request(
        organisation=organisation, period=quarter.code, language="fr", actor=rssi.user, enqueue=False
    )
    reports.report_generate(report_id=report.pk)
    return organisation, incident, assessment, item, component, quarter


def _open_the_reports(page, organisation) -> None:
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Rapports").click()
    page.wait_for_url(re.compile(rf"/o/{organisation.pk}/reports/$"))


def _download_the_pdf(page, row):
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Télécharger le PDF").click()
    download = download_info.value
    return download


def _open_the_items_objective(page, live_server, organisation, assessment, item) -> None:
    section = item.requirement.section.parent or item.requirement.section
    page.goto(f"{live_server.url}/o/{organisation.pk}/assessments/{assessment.pk}/?section={section.ref}")


def _forged_writes(organisation, incident, assessment, item, quarter) -> dict[str, dict[str, str]]:
    """A write of each pillar, posted by hand as a forged form would be."""
    return {
        f"/o/{organisation.pk}/incidents/new/": {"title": "Faux incident", "severity": "low"},
        f"/o/{organisation.pk}/incidents/{incident.pk}/transition/": {"status": "resolved"},
        f"/o/{organisation.pk}/assessments/{assessment.pk}/items/{item.pk}/": {
            "version": "1",
            "applicable": "on",
            "current_level": "5",
            "target_level": "3",
        },
        f"/o/{organisation.pk}/dependencies/import/": {},
        f"/o/{organisation.pk}/reports/": {"period": quarter.code, "language": "fr"},
    }


def _post_with_the_page_token(page, live_server, path: str, data: dict[str, str]):
    """Post with the CSRF token of the page open: refused for the role, not for a missing token."""
    token = json.loads(page.locator("body").get_attribute("hx-headers"))["X-CSRFToken"]
    return page.request.post(
        f"{live_server.url}{path}",
        form={**data, "csrfmiddlewaretoken": token},
        headers={"X-CSRFToken": token, "Referer": page.url},
    )
