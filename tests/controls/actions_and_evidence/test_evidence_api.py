"""The evidence attached to rated requirements, through the API: files with their digest, links, size
limits, validated assessments and roles."""

import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from rest_framework.test import APIClient

from controls.models import Assessment, Evidence, RequirementAssessment
from nis2.models import Organisation
from nis2.roles import Role

pytestmark = pytest.mark.django_db


TEN_MEBIBYTES = 10 * 1024 * 1024


@pytest.fixture
def item(make_assessment: Callable[..., Assessment]) -> RequirementAssessment:
    return make_assessment(levels={"1.1": 2}).items.get(requirement__ref="1.1")


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    """A real one-page PDF."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_a_pdf_is_stored_with_its_digest_and_downloaded_intact(
    client: APIClient, item: RequirementAssessment, pdf_bytes: bytes
) -> None:
    digest = hashlib.sha256(pdf_bytes).hexdigest()
    upload = SimpleUploadedFile("pssi.pdf", pdf_bytes, content_type="application/pdf")

    response = client.post(
        reverse("evidence-list"), {"item": item.pk, "title": "Signed policy", "file": upload}, format="multipart"
    )

    assert pdf_bytes.startswith(b"%PDF-")
    assert response.status_code == 201, response.content
    body = response.json()
    evidence = Evidence.objects.get()
    assert (body["sha256"], body["size"], body["content_type"], body["file_name"], body["url"]) == (
        digest,
        len(pdf_bytes),
        "application/pdf",
        "pssi.pdf",
        "",
    )
    assert (body["download_url"], body["added_by"]) == (f"/api/v1/evidence/{evidence.pk}/download/", "rssi")
    assert evidence.file.name == f"evidence/{item.assessment.organisation_id}/{item.pk}/pssi.pdf"
    assert stored_files() == [Path(settings.MEDIA_ROOT) / evidence.file.name]

    download = client.get(body["download_url"])

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes
    assert download["X-Content-SHA256"] == digest
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="pssi.pdf"'


def test_a_file_of_exactly_ten_mebibytes_is_accepted(client: APIClient, item: RequirementAssessment) -> None:
    content = b"%PDF-" + b"0" * (TEN_MEBIBYTES - 5)

    response = client.post(
        reverse("evidence-list"),
        {"item": item.pk, "title": "Scan", "file": SimpleUploadedFile("scan.pdf", content)},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    assert response.json()["size"] == TEN_MEBIBYTES


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param(
            "setup.exe",
            b"MZ\x90\x00\x03\x00\x00\x00",
            "Files of type “exe” are not accepted. Accepted types: "
            "csv, docx, eml, jpeg, jpg, ods, odt, pdf, png, pptx, txt, xlsx, zip.",
            id="executable",
        ),
        pytest.param(
            "pssi.pdf",
            b"MZ\x90\x00 an executable in disguise",
            "The content of the file does not match its “.pdf” extension.",
            id="pdf-name-other-content",
        ),
        pytest.param(
            "scan.pdf",
            b"%PDF-" + b"0" * (TEN_MEBIBYTES - 4),
            "The file is too large (10.0\xa0MB); the limit is 10.0\xa0MB.",
            id="over-ten-mebibytes",
        ),
    ],
)
def test_a_refused_file_is_not_stored(
    client: APIClient, item: RequirementAssessment, name: str, content: bytes, message: str
) -> None:
    response = client.post(
        reverse("evidence-list"),
        {"item": item.pk, "title": "Proof", "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "file", "code": "invalid", "message": message}]
    assert not Evidence.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    "with_file_and_url",
    [pytest.param(True, id="both-file-and-link"), pytest.param(False, id="neither")],
)
def test_evidence_is_a_file_or_a_link(
    client: APIClient, item: RequirementAssessment, pdf_bytes: bytes, with_file_and_url: bool
) -> None:
    payload: dict[str, Any] = {"item": item.pk, "title": "Proof"}
    if with_file_and_url:
        payload |= {"file": SimpleUploadedFile("pssi.pdf", pdf_bytes), "url": "https://intranet.example.org/pssi"}

    response = client.post(reverse("evidence-list"), payload, format="multipart")

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": None, "code": "invalid", "message": "Give either a file or a link."}]
    assert not Evidence.objects.exists()
    assert stored_files() == []


def test_a_link_as_evidence(client: APIClient, item: RequirementAssessment) -> None:
    response = client.post(
        reverse("evidence-list"),
        {"item": item.pk, "title": "Policy on the intranet", "url": "https://intranet.example.org/pssi"},
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["url"], body["file_name"], body["download_url"], body["sha256"], body["size"]) == (
        "https://intranet.example.org/pssi",
        None,
        None,
        "",
        0,
    )
    assert client.get(reverse("evidence-download", kwargs={"pk": body["id"]})).status_code == 404


def test_no_evidence_is_added_to_a_validated_assessment(
    client: APIClient, make_assessment: Callable[..., Assessment], pdf_bytes: bytes
) -> None:
    assessment = make_assessment(levels={"1.1": 3}, status=Assessment.Status.VALIDATED)
    item = assessment.items.get(requirement__ref="1.1")

    response = client.post(
        reverse("evidence-list"),
        {"item": item.pk, "title": "Late proof", "file": SimpleUploadedFile("pssi.pdf", pdf_bytes)},
        format="multipart",
    )

    assert response.status_code == 400
    assert not Evidence.objects.exists()
    assert stored_files() == []


def test_deleted_evidence_keeps_its_file_on_record(
    client: APIClient, item: RequirementAssessment, pdf_bytes: bytes, django_capture_on_commit_callbacks
) -> None:
    """The history of the deletion still names the file: it stays until no row refers to it."""
    created = client.post(
        reverse("evidence-list"),
        {"item": item.pk, "title": "Signed policy", "file": SimpleUploadedFile("pssi.pdf", pdf_bytes)},
        format="multipart",
    ).json()
    assert len(stored_files()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(reverse("evidence-detail", kwargs={"pk": created["id"]}))

    assert response.status_code == 204
    assert not Evidence.objects.exists()
    deletion = Evidence.history.filter(history_type="-").get()
    assert stored_files() == [Path(settings.MEDIA_ROOT) / deletion.file]  # history keeps the name as text


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.AUDITOR])
def test_read_only_roles_cannot_add_evidence(
    role: Role,
    organisation: Organisation,
    item: RequirementAssessment,
    member_of,
    api_client_for: Callable[..., APIClient],
    pdf_bytes: bytes,
) -> None:
    client = api_client_for(member_of(organisation, role).user)

    response = client.post(
        reverse("evidence-list"),
        {"item": item.pk, "title": "Proof", "file": SimpleUploadedFile("pssi.pdf", pdf_bytes)},
        format="multipart",
    )

    assert response.status_code == 403
    assert not Evidence.objects.exists()
    assert stored_files() == []
