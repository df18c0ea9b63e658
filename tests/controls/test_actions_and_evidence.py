"""The action plan and the evidence attached to rated requirements, through the API."""

import datetime
import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter
from rest_framework.test import APIClient

from controls.models import ActionItem, Assessment, Evidence, Framework, RequirementAssessment
from nis2.models import Membership, Organisation
from nis2.roles import Role
from tests.controls.factories import ActionFactory
from tests.nis2.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

TEN_MEBIBYTES = 10 * 1024 * 1024


@pytest.fixture
def client(security_officer: Membership, api_client_for: Callable[..., APIClient]) -> APIClient:
    return api_client_for(security_officer.user)


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


def action_state() -> list[dict[str, Any]]:
    return list(ActionItem.objects.order_by("pk").values())


# --- Actions --------------------------------------------------------------------------------


def test_action_lifecycle(
    client: APIClient, organisation: Organisation, small_framework: Framework, security_officer: Membership
) -> None:
    requirement = small_framework.requirements.get(ref="1.1")
    due = timezone.localdate() + datetime.timedelta(days=30)

    created = client.post(
        reverse("action-list"),
        {
            "organisation": organisation.pk,
            "title": "Write the security policy",
            "requirements": [requirement.pk],
            "owner": security_officer.user.pk,
            "due_date": due.isoformat(),
            "priority": "high",
            "estimated_cost_eur": "1200.50",
        },
        format="json",
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["completed_at"], body["overdue"], body["requirement_refs"]) == (
        "open",
        None,
        False,
        ["1.1"],
    )
    assert (body["owner"], body["due_date"], body["priority"], body["estimated_cost_eur"]) == (
        security_officer.user.pk,
        due.isoformat(),
        "high",
        "1200.50",
    )
    url = reverse("action-detail", kwargs={"pk": body["id"]})

    done = client.patch(url, {"status": "done"}, format="json")

    assert done.status_code == 200, done.content
    action = ActionItem.objects.get()
    assert action.status == ActionItem.Status.DONE
    assert action.completed_at is not None
    assert done.json()["completed_at"] is not None

    reopened = client.patch(url, {"status": "in_progress", "title": "Write and sign the policy"}, format="json")

    assert reopened.status_code == 200, reopened.content
    action.refresh_from_db()
    assert (action.status, action.completed_at, action.title) == ("in_progress", None, "Write and sign the policy")
    history = client.get(reverse("action-history", kwargs={"pk": action.pk})).json()["results"]
    # created, its requirements set, done, reopened: newest first
    assert [record["history_type"] for record in history] == ["changed", "changed", "changed", "created"]
    assert history[0]["changes"]["status"] == {"old": "done", "new": "in_progress"}
    assert history[1]["changes"]["status"] == {"old": "open", "new": "done"}
    assert list(history[2]["changes"]) == ["requirements"]
    assert {record["history_user"] for record in history} == {"rssi"}

    deleted = client.delete(url)

    assert deleted.status_code == 204
    assert not ActionItem.objects.exists()


def test_an_action_created_done_is_completed(client: APIClient, organisation: Organisation) -> None:
    response = client.post(
        reverse("action-list"), {"organisation": organisation.pk, "title": "Done already", "status": "done"}
    )

    assert response.status_code == 201, response.content
    assert ActionItem.objects.get().completed_at is not None


def test_overdue_actions(client: APIClient, organisation: Organisation) -> None:
    today = timezone.localdate()
    yesterday, last_month, next_week = (today + datetime.timedelta(days=days) for days in (-1, -30, 7))
    for title, due_date, status in [
        ("late open", yesterday, ActionItem.Status.OPEN),
        ("late in progress", last_month, ActionItem.Status.IN_PROGRESS),
        ("due today", today, ActionItem.Status.OPEN),
        ("next week", next_week, ActionItem.Status.OPEN),
        ("late but done", yesterday, ActionItem.Status.DONE),
        ("late but abandoned", last_month, ActionItem.Status.ABANDONED),
        ("no due date", None, ActionItem.Status.OPEN),
    ]:
        ActionFactory(organisation=organisation, title=title, due_date=due_date, status=status)
    ActionFactory(organisation=OrganisationFactory(), title="someone else's", due_date=yesterday)

    overdue = client.get(reverse("action-list"), {"overdue": "true"}).json()
    everything = client.get(reverse("action-list")).json()

    assert [(row["title"], row["overdue"]) for row in overdue["results"]] == [
        ("late in progress", True),
        ("late open", True),
    ]
    assert {row["title"]: row["overdue"] for row in everything["results"]} == {
        "late open": True,
        "late in progress": True,
        "due today": False,
        "next week": False,
        "late but done": False,
        "late but abandoned": False,
        "no due date": False,
    }


@pytest.mark.parametrize(
    "owner",
    [pytest.param("stranger", id="unknown-person"), pytest.param("neighbour", id="member-elsewhere")],
)
def test_an_action_owner_must_be_a_member(
    client: APIClient, organisation: Organisation, security_officer: Membership, member_of, owner: str
) -> None:
    # The security officer also belongs to a neighbouring organisation, so sees its members.
    neighbour = OrganisationFactory()
    MembershipFactory(organisation=neighbour, user=security_officer.user, role=Role.AUDITOR)
    owners = {"stranger": UserFactory(), "neighbour": member_of(neighbour, Role.ADMIN).user}
    action = ActionFactory(organisation=organisation)
    before = action_state()

    created = client.post(
        reverse("action-list"),
        {"organisation": organisation.pk, "title": "Patch the servers", "owner": owners[owner].pk},
        format="json",
    )
    updated = client.patch(
        reverse("action-detail", kwargs={"pk": action.pk}), {"owner": owners[owner].pk}, format="json"
    )

    assert (created.status_code, updated.status_code) == (400, 400)
    assert [error["field"] for error in created.json()["errors"]] == ["owner"]
    assert [error["field"] for error in updated.json()["errors"]] == ["owner"]
    assert action_state() == before


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.AUDITOR])
def test_read_only_roles_cannot_change_the_action_plan(
    role: Role, organisation: Organisation, member_of, api_client_for: Callable[..., APIClient]
) -> None:
    action = ActionFactory(organisation=organisation, title="Back up the mayor's office")
    before = action_state()
    client = api_client_for(member_of(organisation, role).user)
    url = reverse("action-detail", kwargs={"pk": action.pk})

    statuses = (
        client.get(url).status_code,
        client.post(reverse("action-list"), {"organisation": organisation.pk, "title": "New"}).status_code,
        client.patch(url, {"status": "done"}, format="json").status_code,
        client.delete(url).status_code,
    )

    assert statuses == (200, 403, 403, 403)
    assert action_state() == before


# --- Evidence -------------------------------------------------------------------------------


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
