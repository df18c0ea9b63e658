"""The annual report to the council: requested for a year, generated with its four quarters and a draft
délibération (OpenDocument text and PDF annex), downloadable through the API and from the reports page."""

import datetime
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from nis2.models import Membership, Organisation
from nis2.periods import Year
from reports import services
from reports.deliberation import ODT_MIME_TYPE
from reports.models import Report
from tests.api_errors import error_fields
from tests.reports.pdf_text import pdf_pages

pytestmark = pytest.mark.django_db
DECEMBER = datetime.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("period", "today", "expected"),
    [
        pytest.param("2026", DECEMBER, Year(2026), id="the current year once its last quarter started"),
        pytest.param("2025", datetime.date(2026, 3, 1), Year(2025), id="a past year"),
    ],
)
def test_an_annual_report_covers_a_year(period: str, today: datetime.date, expected: Year) -> None:
    assert services.parse_period(period, kind="annual", today=today) == expected


@pytest.mark.parametrize(
    ("period", "today", "message"),
    [
        pytest.param("2026", datetime.date(2026, 9, 30), "whose last quarter has started", id="too early"),
        pytest.param("2026-Q3", DECEMBER, "Expected a year such as 2026.", id="a quarter is not a year"),
    ],
)
def test_an_annual_report_refuses_a_year_not_yet_due(period: str, today: datetime.date, message: str) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as refusal:
        services.parse_period(period, kind="annual", today=today)
    assert message in " ".join(refusal.value.messages)


@pytest.fixture
def annual_report(
    officer_api: APIClient, organisation: Organisation, django_capture_on_commit_callbacks: Callable[..., Any]
) -> dict[str, Any]:
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_api.post(
            reverse("report-list"),
            {"organisation": organisation.pk, "kind": "annual", "period": "2025", "language": "fr"},
            format="json",
        )
    assert response.status_code == 202, response.content
    return response.json()


def test_the_annual_report_has_its_year_its_quarters_and_a_draft_deliberation(
    officer_api: APIClient, annual_report: dict[str, Any], security_officer: Membership
) -> None:
    report = Report.objects.get(pk=annual_report["id"])

    assert (report.kind, report.period, str(report.period_start), str(report.period_end)) == (
        "annual",
        "2025",
        "2025-01-01",
        "2025-12-31",
    )
    assert report.status == Report.Status.DONE
    assert [row["quarter"] for row in report.snapshot["year_by_quarter"]] == [
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
    ]
    detail = officer_api.get(reverse("report-detail", args=[report.pk])).json()
    assert detail["kind"] == "annual"
    assert detail["odt_url"] == reverse("report-odt", args=[report.pk])

    pdf = officer_api.get(reverse("report-pdf", args=[report.pk]))
    pages = pdf_pages(b"".join(pdf.streaming_content))
    assert pages[0].startswith(report.organisation.name) or "Rapport annuel de cybersécurité" in pages[0]
    assert "Année 2025" in pages[0]
    assert any("L’année en un coup d’œil" in page for page in pages)
    assert any("Prend acte du rapport annuel de cybersécurité pour l'année 2025" in page for page in pages)

    odt = officer_api.get(reverse("report-odt", args=[report.pk]))
    assert odt.status_code == 200
    assert odt["Content-Type"] == ODT_MIME_TYPE
    with zipfile.ZipFile(io.BytesIO(b"".join(odt.streaming_content))) as archive:
        content = archive.read("content.xml").decode()
    assert "DÉCIDE :" in content
    assert "rapport annuel 2025 sur la cybersécurité" in content


def test_a_quarterly_report_has_no_draft_deliberation(officer_api: APIClient, organisation: Organisation) -> None:
    report = Report.objects.create(
        organisation=organisation,
        period="2026-Q3",
        period_start="2026-07-01",
        period_end="2026-09-30",
        status=Report.Status.DONE,
    )
    assert officer_api.get(reverse("report-detail", args=[report.pk])).json()["odt_url"] is None
    assert officer_api.get(reverse("report-odt", args=[report.pk])).status_code == 404


def test_the_api_refuses_a_quarter_for_an_annual_report(officer_api: APIClient, organisation: Organisation) -> None:
    response = officer_api.post(
        reverse("report-list"),
        {"organisation": organisation.pk, "kind": "annual", "period": "2025-Q4", "language": "fr"},
        format="json",
    )
    assert response.status_code == 400
    assert error_fields(response) == ["period"]
    assert not Report.objects.exists()


def test_the_reports_page_offers_and_lists_the_annual_report_in_french(
    client, organisation: Organisation, security_officer: Membership, django_capture_on_commit_callbacks
) -> None:
    client.force_login(security_officer.user)
    url = reverse("report-list-page", args=[organisation.pk])

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Rapport annuel à l’assemblée" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"kind": "annual", "period": "2025", "language": "fr"}, HTTP_ACCEPT_LANGUAGE="fr")

    report = Report.objects.get()
    assert (report.kind, report.status) == ("annual", "done")
    listed = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "annuel" in listed
    assert reverse("report-odt", args=[report.pk]) in listed
    assert "Projet de délibération (OpenDocument)" in listed
