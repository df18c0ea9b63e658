"""Quarterly reports through the API: requested (202), generated after the commit, downloaded with their
SHA-256, immutable across versions, refused for a quarter not yet ended, and written only by the roles
that may."""

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from nis2.models import Membership, Organisation
from nis2.roles import Role
from reports.models import Report
from tests.api_errors import error_fields
from tests.nis2.factories import OrganisationFactory
from tests.reports.factories import PDF_BYTES, ReportFactory

pytestmark = pytest.mark.django_db

LIST = reverse("report-list")


def detail_url(report_id: int) -> str:
    return reverse("report-detail", args=[report_id])


def pdf_url(report_id: int) -> str:
    return reverse("report-pdf", args=[report_id])


def downloaded(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def stored_bytes(report: Report) -> bytes:
    with report.pdf.open("rb") as handle:
        return handle.read()


@pytest.fixture
def request_report(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., Any]:
    """``request_report(client, organisation, **fields)``: POST a request, then run what was queued on
    commit (the generation, eager in unit tests)."""

    def post(client: APIClient, organisation: Organisation, **fields: Any) -> Any:
        data = {"organisation": organisation.pk, "period": "2026-Q3", "language": "fr", **fields}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(LIST, data, format="json")

    return post


def test_security_officer_requests_a_report_generated_after_the_commit(
    officer_api: APIClient, organisation: Organisation, security_officer: Membership, request_report: Callable[..., Any]
) -> None:
    response = request_report(officer_api, organisation)

    assert response.status_code == 202, response.content
    body = response.json()
    assert {name: body[name] for name in ("period", "period_start", "period_end", "language", "version")} == {
        "period": "2026-Q3",
        "period_start": "2026-07-01",
        "period_end": "2026-09-30",
        "language": "fr",
        "version": 1,
    }
    assert (body["status"], body["progress"], body["pdf_url"]) == ("pending", 0, None)  # queued, not yet run
    report = officer_api.get(detail_url(body["id"])).json()
    assert (report["status"], report["progress"], report["error"]) == ("done", 100, "")
    assert len(report["sha256"]) == 64
    assert report["pdf_url"] == pdf_url(body["id"])
    stored = Report.objects.get(pk=body["id"])
    assert stored.requested_by == security_officer.user
    assert stored.sha256 == report["sha256"]
    assert stored.snapshot["meta"]["period"] == "2026-Q3"
    assert stored.notified_at is None  # a report someone asked for is not e-mailed to the executives


def test_pdf_is_streamed_with_its_sha256(
    officer_api: APIClient, organisation: Organisation, request_report: Callable[..., Any]
) -> None:
    report_id = request_report(officer_api, organisation).json()["id"]

    response = officer_api.get(pdf_url(report_id))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (f'attachment; filename="rempart-{organisation.siren}-2026-Q3-fr-v1.pdf"')
    content = downloaded(response)
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == response["X-Content-SHA256"] == Report.objects.get().sha256


def test_a_new_request_creates_version_2_and_leaves_version_1_untouched(
    officer_api: APIClient, organisation: Organisation, request_report: Callable[..., Any]
) -> None:
    first_id = request_report(officer_api, organisation).json()["id"]
    first = Report.objects.get(pk=first_id)
    first_row = Report.objects.filter(pk=first_id).values().get()
    first_bytes = stored_bytes(first)

    response = request_report(officer_api, organisation)

    assert response.status_code == 202
    second = Report.objects.get(pk=response.json()["id"])
    assert (second.version, second.status) == (2, "done")
    assert second.pdf.name != first.pdf.name
    assert second.pdf.name.endswith("-v2.pdf")
    assert Report.objects.filter(pk=first_id).values().get() == first_row
    assert stored_bytes(first) == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == first.sha256
    assert hashlib.sha256(downloaded(officer_api.get(pdf_url(first_id)))).hexdigest() == first.sha256


@pytest.mark.parametrize(
    "period",
    [
        pytest.param("2026-Q4", id="current-quarter"),
        pytest.param("2027-Q1", id="future-quarter"),
        pytest.param("2026-13", id="malformed"),
        pytest.param("2026-Q5", id="no-fifth-quarter"),
        pytest.param("", id="blank"),
    ],
)
def test_period_must_be_a_quarter_that_has_ended(
    officer_api: APIClient, organisation: Organisation, request_report: Callable[..., Any], period: str
) -> None:
    response = request_report(officer_api, organisation, period=period)

    assert response.status_code == 400, response.content
    assert error_fields(response) == ["period"]
    assert Report.objects.count() == 0


def test_periods_are_read_in_french_too(
    officer_api: APIClient, organisation: Organisation, request_report: Callable[..., Any]
) -> None:
    response = request_report(officer_api, organisation, period="T3 2026")

    assert response.status_code == 202, response.content
    assert response.json()["period"] == "2026-Q3"


def test_unknown_language_is_refused(
    officer_api: APIClient, organisation: Organisation, request_report: Callable[..., Any]
) -> None:
    response = request_report(officer_api, organisation, language="de")

    assert response.status_code == 400
    assert error_fields(response) == ["language"]
    assert Report.objects.count() == 0


def test_consolidated_report_of_an_intercommunality_covers_its_communes(
    organisation: Organisation,
    member_of: Callable[..., Membership],
    api_client_for: Callable[..., APIClient],
    request_report: Callable[..., Any],
) -> None:
    OrganisationFactory(name="Commune d'Amont", parent=organisation)
    OrganisationFactory(name="Commune d'Aval", parent=organisation)
    admin_api = api_client_for(member_of(organisation, Role.ADMIN).user)

    response = request_report(admin_api, organisation, consolidated=True)

    assert response.status_code == 202, response.content
    report = Report.objects.get()
    assert (report.consolidated, report.status) == (True, "done")
    # Neither commune opted in to sharing: both are named, without data (tests/reports/test_consolidated_scope.py).
    assert report.snapshot["members"] == [
        {"name": "Commune d'Amont", "shared": False},
        {"name": "Commune d'Aval", "shared": False},
    ]


def test_consolidated_report_needs_member_communes(
    organisation: Organisation,
    member_of: Callable[..., Membership],
    api_client_for: Callable[..., APIClient],
    request_report: Callable[..., Any],
) -> None:
    admin_api = api_client_for(member_of(organisation, Role.ADMIN).user)

    response = request_report(admin_api, organisation, consolidated=True)

    assert response.status_code == 400
    assert error_fields(response) == ["consolidated"]
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        pytest.param(Role.ADMIN, 202, id="admin"),
        pytest.param(Role.SECURITY_OFFICER, 202, id="security-officer"),
        pytest.param(Role.IT, 403, id="it"),
        pytest.param(Role.EXECUTIVE, 403, id="executive"),
        pytest.param(Role.AUDITOR, 403, id="auditor"),
    ],
)
def test_only_admins_and_security_officers_request_reports(
    organisation: Organisation,
    member_of: Callable[..., Membership],
    api_client_for: Callable[..., APIClient],
    request_report: Callable[..., Any],
    role: str,
    expected: int,
) -> None:
    client = api_client_for(member_of(organisation, role).user)

    response = request_report(client, organisation)

    assert response.status_code == expected, response.content
    assert Report.objects.count() == (1 if expected == 202 else 0)


def test_a_security_officer_elsewhere_cannot_request_a_report_where_they_are_executive(
    organisation: Organisation,
    member_of: Callable[..., Membership],
    api_client_for: Callable[..., APIClient],
    request_report: Callable[..., Any],
) -> None:
    membership = member_of(organisation, Role.EXECUTIVE)
    elsewhere = OrganisationFactory()
    Membership.objects.create(user=membership.user, organisation=elsewhere, role=Role.SECURITY_OFFICER)
    client = api_client_for(membership.user)

    response = request_report(client, organisation)

    assert response.status_code == 403
    assert Report.objects.count() == 0


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.AUDITOR, Role.IT])
def test_every_member_reads_and_downloads_reports(
    organisation: Organisation,
    member_of: Callable[..., Membership],
    api_client_for: Callable[..., APIClient],
    role: str,
) -> None:
    report = ReportFactory(organisation=organisation)
    client = api_client_for(member_of(organisation, role).user)

    listed = client.get(LIST)
    detail = client.get(detail_url(report.pk))
    download = client.get(pdf_url(report.pk))

    assert [row["id"] for row in listed.json()["results"]] == [report.pk]
    assert detail.status_code == 200
    assert detail.json()["sha256"] == report.sha256
    assert download.status_code == 200
    assert downloaded(download) == PDF_BYTES
    assert download["X-Content-SHA256"] == hashlib.sha256(PDF_BYTES).hexdigest()


def test_reports_of_other_organisations_do_not_exist_for_a_member(officer_api: APIClient) -> None:
    other = ReportFactory()

    assert officer_api.get(LIST).json()["results"] == []
    assert officer_api.get(detail_url(other.pk)).status_code == 404
    assert officer_api.get(pdf_url(other.pk)).status_code == 404


def test_a_failing_generation_ends_failed_with_its_error(
    officer_api: APIClient,
    organisation: Organisation,
    request_report: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken_snapshot(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise RuntimeError("history table unreadable")

    monkeypatch.setattr("reports.services.build_snapshot", broken_snapshot)

    response = request_report(officer_api, organisation)

    assert response.status_code == 202
    report = officer_api.get(detail_url(response.json()["id"])).json()
    assert (report["status"], report["error"]) == ("failed", "RuntimeError: history table unreadable")
    assert (report["sha256"], report["pdf_url"]) == ("", None)
    assert officer_api.get(pdf_url(report["id"])).status_code == 404
    assert not Report.objects.get().pdf


def test_a_report_not_yet_generated_has_no_pdf(officer_api: APIClient, organisation: Organisation) -> None:
    report = ReportFactory(organisation=organisation, status=Report.Status.RUNNING, progress=35, pdf="", sha256="")

    response = officer_api.get(pdf_url(report.pk))

    assert response.status_code == 404
    assert officer_api.get(detail_url(report.pk)).json()["progress"] == 35


def test_history_records_who_requested_the_report(
    officer_api: APIClient, organisation: Organisation, request_report: Callable[..., Any]
) -> None:
    report_id = request_report(officer_api, organisation).json()["id"]

    response = officer_api.get(reverse("report-history", args=[report_id]))

    assert response.status_code == 200
    records = response.json()["results"]
    assert (records[-1]["history_type"], records[-1]["history_user"]) == ("created", "rssi")
    assert records[0]["changes"]["status"] == {"old": "running", "new": "done"}


def test_list_runs_as_many_queries_for_20_reports_as_for_2(officer_api: APIClient, organisation: Organisation) -> None:
    def count_listing() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = officer_api.get(LIST)
        assert response.status_code == 200
        return response.json()["count"], len(queries)

    for version in (1, 2):
        ReportFactory(organisation=organisation, version=version)
    few, few_queries = count_listing()
    for version in range(3, 21):
        ReportFactory(organisation=organisation, version=version)

    many, many_queries = count_listing()

    assert (few, many) == (2, 20)
    assert many_queries == few_queries
