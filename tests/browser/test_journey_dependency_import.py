"""Journey 3: the IT department imports its component file, reads why it was rejected, fixes the bad
row, imports it, and finds the components on the dependency heat map."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from dependencies import tabular
from dependencies.models import Component
from nis2.roles import Role
from tests.browser.journeys import log_in, member
from tests.dependencies.component_rows import PAYROLL as PAYROLL_ROW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAIL = {
    "name": "Messagerie",
    "domain": "D02",
    "product": "Courriel Pro",
    "vendor": "Atlantic Mail Inc.",
    "vendor_country": "US",
    "deployment": "vendor_saas",
    "operator": "Atlantic Mail Inc.",
    "data_country": "US",
    "criticality": "4",
    "data_sensitivity": "personal",
    "users": "420",
    "annual_cost_eur": "12000",
    "contract_end": "2027-06-30",
    "full_export_open_formats": "no",
    "open_standards_apis": "no",
    "alternative_exists": "oui",
    "dependent_components": "4",
    "reversibility": "non",
}
PAYROLL = {**PAYROLL_ROW, "annual_cost_eur": "8000"}
OFFICE = {
    "name": "Bureautique",
    "domain": "D02",
    "product": "Bureautique Libre",
    "vendor": "Fondation Documents",
    "vendor_country": "DE",
    "deployment": "on_premises",
    "criticality": "2",
    "full_export_open_formats": "yes",
    "alternative_exists": "yes",
}


def csv_file(rows: list[dict[str, str]]) -> dict[str, object]:
    """The file as the IT department would save it from a spreadsheet, ready for ``set_input_files``."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(tabular.COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return {"name": "composants.csv", "mimeType": "text/csv", "buffer": buffer.getvalue().encode("utf-8")}


def test_the_it_department_fixes_a_rejected_file_and_sees_the_heat_map(
    live_server, page, screenshot, console_errors
) -> None:
    page.set_default_timeout(10_000)
    dsi = member("dsi", Role.IT, name="Saint-Aubin-des-Bois")
    organisation = dsi.organisation
    log_in(page, live_server, "dsi", landing=rf"/o/{organisation.pk}/$")

    page.goto(f"{live_server.url}/o/{organisation.pk}/dependencies/")
    page.get_by_role("link", name="Importer", exact=True).click()
    page.wait_for_url(re.compile(rf"/o/{organisation.pk}/dependencies/import/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer des composants")

    bad_payroll = {**PAYROLL, "criticality": "7"}  # row 3: the header is row 1
    page.get_by_label("Fichier des composants (CSV ou XLSX)").set_input_files(csv_file([MAIL, bad_payroll, OFFICE]))
    page.get_by_role("button", name="Importer", exact=True).click()

    report = page.get_by_role("alert")
    expect(report.get_by_role("heading")).to_have_text(re.compile(r"refusé.*1 erreur.*Rien n'a été importé"))
    rows = report.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator("td").nth(0)).to_have_text("3")
    expect(rows.locator("td").nth(1)).to_have_text("criticality")
    expect(rows.locator("td").nth(2)).to_have_text("nombre entier de 1 à 4 attendu")
    assert Component.objects.filter(organisation=organisation).count() == 0
    screenshot("journey3-import-rejected")

    page.get_by_label("Fichier des composants (CSV ou XLSX)").set_input_files(csv_file([MAIL, PAYROLL, OFFICE]))
    page.get_by_role("button", name="Importer", exact=True).click()
    result = page.get_by_role("status")
    expect(result).to_contain_text("3 créés, 0 mis à jour, 0 inchangés.")
    expect(page.get_by_role("alert")).to_have_count(0)
    assert Component.objects.filter(organisation=organisation).count() == 3
    screenshot("journey3-import-accepted")

    result.get_by_role("link", name="Ouvrir la carte").click()
    page.wait_for_url(re.compile(rf"/o/{organisation.pk}/dependencies/$"))
    heat_map = page.locator("figure.chart svg")
    expect(heat_map).to_be_visible()
    expect(heat_map).to_contain_text("D02")
    expect(page.locator(".figure").filter(has_text=re.compile("^3 ?composants$"))).to_have_count(1)
    # The exposed, critical mail service whose contract ends within 18 months is a decision to take.
    windows = page.locator("section").filter(has=page.get_by_role("heading", name=re.compile("^Fenêtres de décision")))
    expect(windows.get_by_role("link", name="Messagerie")).to_be_visible()
    office_domain = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile("^D02 ")))
    expect(office_domain.get_by_role("link")).to_have_count(2)  # Bureautique in E1, Messagerie in E4
    screenshot("journey3-heat-map")

    office_domain.get_by_role("link").last.click()
    page.wait_for_url(re.compile(r"/dependencies/components/\?domain=D02&exposure=4$"))
    components = page.locator("tbody")
    expect(components.get_by_role("link", name="Messagerie")).to_be_visible()
    expect(components.get_by_role("link", name="Bureautique")).to_have_count(0)
    screenshot("journey3-components-of-a-cell")
    assert console_errors == []
