"""Journey: the élu reads the report, records the council's approval of the security measures with its
délibération number and the signed act, and finds that approval on the next report (NIS 2 Art. 20)."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from nis2.periods import quarter_of
from nis2.roles import Role
from reports import services as reports
from reports.models import Approval, Report
from tests.browser.journeys import log_in, member
from tests.controls.factories import AssessmentFactory, ItemFactory
from tests.reports.pdf_text import pdf_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
SIGNED_ACT = b"%PDF-1.4\n% deliberation 2026-112, signed\n"


def next_report(organisation, actor) -> Report:
    """The report that follows the approval: the current year's annual report once its last quarter has started
    (the council adopts it in December), otherwise the last quarter's, the approval dated within that quarter."""
    today = timezone.localdate()
    current = quarter_of(today)
    if current.number == 4:
        report = reports.report_request(
            organisation=organisation, kind="annual", period=str(today.year), language="fr", actor=actor, enqueue=False
        )
    else:  # the approval must have been recorded before the quarter the report covers had ended
        previous_end = current.previous().end
        moment = timezone.make_aware(datetime.datetime.combine(previous_end, datetime.time(12)))
        Approval.objects.update(created_at=moment, decided_on=previous_end)
        report = reports.report_request(
            organisation=organisation, period=current.previous().code, language="fr", actor=actor, enqueue=False
        )
    return reports.report_generate(report_id=report.pk)


def test_the_elu_records_the_councils_approval_and_sees_it_on_the_next_report(
    live_server, page, screenshot, console_errors, tmp_path: Path
) -> None:
    page.set_default_timeout(10_000)
    elu = member("elu", Role.EXECUTIVE, name="Villeneuve-la-Forte", kind="commune", population=12_000)
    organisation = elu.organisation
    rssi = member("rssi", Role.SECURITY_OFFICER, organisation)
    assessment = AssessmentFactory(organisation=organisation, label="2026-T4")
    ItemFactory(assessment=assessment, current_level=2)
    quarter = quarter_of(timezone.localdate()).previous()
    first = reports.report_request(
        organisation=organisation, period=quarter.code, language="fr", actor=rssi.user, enqueue=False
    )
    reports.report_generate(report_id=first.pk)

    log_in(page, live_server, "elu", landing=rf"/o/{organisation.pk}/$")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Rapports").click()
    latest = page.get_by_role("row").filter(has_text=quarter.code)
    with page.expect_download() as download_info:
        latest.get_by_role("link", name="Télécharger le PDF").click()
    first_page = pdf_pages(Path(download_info.value.path()).read_bytes())[0]
    assert "Aucune approbation n’est enregistrée" in first_page
    assert "Approuver les mesures de sécurité" in first_page

    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Gouvernance").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("article 20")
    act = tmp_path / "deliberation-2026-112.pdf"
    act.write_bytes(SIGNED_ACT)
    form = page.locator("form").filter(has=page.get_by_role("button", name="Enregistrer l’approbation"))
    form.get_by_label("Ce qui est approuvé").select_option("measures")
    form.get_by_label("Type d’acte").select_option("deliberation")
    form.get_by_label("Référence de l’acte").fill("2026-112")
    form.get_by_label("Date de la décision").fill(timezone.localdate().isoformat())
    form.get_by_label("Instance décisionnaire").select_option("municipal_council")
    form.get_by_label("Acte signé (PDF)").set_input_files(str(act))
    screenshot("journey-approval-form")
    form.get_by_role("button", name="Enregistrer l’approbation").click()

    in_force = page.locator("#in-force-measures")
    expect(in_force).to_contain_text("2026-112")
    expect(in_force).to_contain_text("Conseil municipal")
    screenshot("journey-approval-recorded")
    approval = Approval.objects.get(organisation=organisation)
    assert approval.recorded_by == elu.user
    with approval.act_file.open("rb") as handle:
        assert handle.read() == SIGNED_ACT

    report = next_report(organisation, rssi.user)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Rapports").click()
    row = page.locator(f"#report-{report.pk}")
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Télécharger le PDF").click()
    decision_page = pdf_pages(Path(download_info.value.path()).read_bytes())[0]
    assert re.search(
        r"Les mesures de sécurité : délibération n° 2026-112 du \d\d/\d\d/\d{4} \(conseil municipal\)", decision_page
    )
    assert "Approuver les mesures de sécurité" not in decision_page
    assert console_errors == []
