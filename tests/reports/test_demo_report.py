"""Page 1 of the demo's quarterly report, in French and in English, as an élu reads it: a verdict per pillar,
the approvals in force, no requirement reference and no index left unexplained."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from nis2.models import Organisation
from nis2.periods import quarter_of
from reports import services
from reports.models import Report
from tests.reports.pdf_text import pdf_pages

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PILLARS = {
    "fr": ("Niveau de sécurité", "Incidents", "Dépendance aux fournisseurs non européens", "Plan d'action de sécurité"),
    "en": ("Security level", "Incidents", "Dependence on non-European vendors", "Security action plan"),
}
STATUSES = {
    "fr": ("Sous contrôle", "À surveiller", "Action requise", "Non évalué"),
    "en": ("Under control", "To watch", "Action needed", "Not assessed"),
}


@pytest.fixture
def demo_reports() -> dict[str, tuple[Report, str]]:
    """The demo's last quarterly report of the intercommunality, in French (issued by the demo) and in English."""
    call_command("demo", password="demo-report-2026")
    intercommunality = Organisation.objects.get(name="Communauté d'agglomération du Val de Rempart")
    last = quarter_of(timezone.localdate()).previous()
    french = Report.objects.get(organisation=intercommunality, period=last.code, language="fr")
    english = services.report_request(
        organisation=intercommunality, period=last.code, language="en", actor=None, enqueue=False
    )
    english = services.report_generate(report_id=english.pk)
    pages = {}
    for language, report in (("fr", french), ("en", english)):
        with report.pdf.open("rb") as handle:
            pages[language] = (report, pdf_pages(handle.read())[0])
    return pages


def test_page_one_of_the_demo_report_reads_in_one_minute(demo_reports) -> None:
    for language in ("fr", "en"):
        report, page = demo_reports[language]
        # A verdict in words per pillar.
        for pillar in PILLARS[language]:
            assert pillar in page
        status_pattern = "|".join(map(re.escape, STATUSES[language]))
        pillar_pattern = "|".join(map(re.escape, PILLARS[language]))
        assert len(re.findall(rf"(?:{status_pattern}) (?:{pillar_pattern})", page)) == 4, language
        # No requirement reference, no index left unexplained.
        for gap in report.snapshot["maturity"]["top_gaps"]:
            assert gap["title"][language] not in page
        if language == "fr":  # French decimals take a comma: a dotted number is a reference
            assert not re.search(r"\b\d+\.(?:\d+|[A-Z])\b", page)
        assert not re.search(r"\bE[0-4]\b", page)
        assert "indice" not in page.lower()
        assert "index" not in page.lower()

    _report, page = demo_reports["fr"]
    assert "Approbations en vigueur (NIS 2, art. 20)" in page
    assert re.search(
        r"Les mesures de sécurité : délibération n° CC-\d{4}-112 du \d\d/\d\d/\d{4} \(conseil communautaire\)", page
    )
    assert re.search(r"Un rapport trimestriel : décision n° B-\d{4}-031 du \d\d/\d\d/\d{4} \(bureau\)", page)
    assert "Claire Vice-Présidente" in page  # not trained in the last 24 months
