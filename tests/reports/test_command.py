"""``manage.py quarterly_report``: the same report as the web and the API, written to a file on request."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from nis2.models import Organisation
from reports.models import Report

pytestmark = pytest.mark.django_db


def test_writes_the_stored_report_to_the_output_file(organisation: Organisation, tmp_path: Path) -> None:
    output = tmp_path / "r.pdf"
    stdout = io.StringIO()

    call_command(
        "quarterly_report",
        "--organisation",
        str(organisation.pk),
        "--period",
        "2026-Q3",
        "--output",
        str(output),
        stdout=stdout,
    )

    report = Report.objects.get()
    content = output.read_bytes()
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == report.sha256
    assert (report.period, report.language, report.version, report.status) == ("2026-Q3", "fr", 1, "done")
    assert report.requested_by is None
    assert f"Report {report.pk} (2026-Q3 v1) SHA-256 {report.sha256}" in stdout.getvalue()
    assert f"Written to {output}" in stdout.getvalue()


def test_a_second_run_issues_version_2(organisation: Organisation) -> None:
    for _run in range(2):
        call_command(
            "quarterly_report",
            "--organisation",
            str(organisation.pk),
            "--period",
            "2026-Q3",
            "--language",
            "en",
            stdout=io.StringIO(),
        )

    assert list(Report.objects.order_by("version").values_list("language", "version", "status")) == [
        ("en", 1, "done"),
        ("en", 2, "done"),
    ]


def test_unknown_organisation_is_an_error(organisation: Organisation) -> None:
    with pytest.raises(CommandError, match=f"No organisation {organisation.pk + 1000}."):
        call_command("quarterly_report", "--organisation", str(organisation.pk + 1000), "--period", "2026-Q3")

    assert Report.objects.count() == 0


@pytest.mark.parametrize("period", ["2026-Q4", "2026-13"])
def test_period_not_ended_or_malformed_is_an_error(organisation: Organisation, tmp_path: Path, period: str) -> None:
    output = tmp_path / "r.pdf"

    with pytest.raises(CommandError):
        call_command(
            "quarterly_report", "--organisation", str(organisation.pk), "--period", period, "--output", str(output)
        )

    assert Report.objects.count() == 0
    assert not output.exists()


@pytest.mark.django_db
def test_a_failed_generation_from_the_command_is_recorded_as_failed(organisation, monkeypatch) -> None:
    from reports import services

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "build_snapshot", broken)
    with pytest.raises(CommandError, match="disk full"):
        call_command("quarterly_report", "--organisation", str(organisation.pk), "--period", "2026-Q3")
    report = Report.objects.get()
    assert (report.status, report.error) == ("failed", "RuntimeError: disk full")
