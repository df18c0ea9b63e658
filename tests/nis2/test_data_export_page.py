"""The organisation's administrators download its whole archive from the web (a Celery task writes the zip)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from nis2.archive.manifest import read_verified
from nis2.models import DataExport, Membership, Organisation
from nis2.roles import Role
from tests.incidents.factories import significant_incident
from tests.nis2.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_admin(client: Client, organisation: Organisation, member_of: Callable[..., Membership]) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    client.force_login(member_of(organisation, Role.ADMIN, first_name="Anne", last_name="Admin").user)
    return client


def test_an_admin_writes_and_downloads_the_archive(
    french_admin: Client, organisation: Organisation, tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    significant_incident(organisation, title="Rançongiciel à la médiathèque")
    page = reverse("data-export", args=[organisation.pk])

    empty = french_admin.get(page)
    assert empty.status_code == 200
    assert "Exporter les données de l'organisation" in empty.content.decode()
    assert "Aucune archive pour l'instant." in empty.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        french_admin.post(page)  # Celery runs eagerly here
    response = french_admin.get(page)

    export = DataExport.objects.get(organisation=organisation)
    assert export.status == DataExport.Status.DONE
    assert export.history.count() >= 1
    body = response.content.decode()
    assert "Prêt" in body
    assert "Anne Admin" in body
    download = french_admin.get(reverse("data-export-download", args=[organisation.pk, export.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    content = b"".join(download.streaming_content)
    assert download["X-Content-SHA256"] == hashlib.sha256(content).hexdigest() == export.sha256
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(tmp_path)
    folder = tmp_path / f"rempart-{organisation.siren}"
    assert read_verified(folder)["organisation"]["siren"] == organisation.siren  # every sum checks out
    assert "Rançongiciel à la médiathèque" in (folder / "data" / "incidents.incident.json").read_text()


@pytest.mark.parametrize("role", [Role.SECURITY_OFFICER, Role.IT, Role.EXECUTIVE, Role.AUDITOR])
def test_other_roles_are_refused(client: Client, organisation: Organisation, member_of, role: str) -> None:
    client.force_login(member_of(organisation, role).user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    page = reverse("data-export", args=[organisation.pk])
    assert client.get(page).status_code == 403
    assert client.post(page).status_code == 403
    assert not DataExport.objects.exists()


def test_another_organisations_admin_gets_not_found(client: Client, organisation: Organisation) -> None:
    export = DataExport.objects.create(organisation=organisation, status=DataExport.Status.DONE)
    intruder = MembershipFactory(organisation=OrganisationFactory(), role=Role.ADMIN).user
    client.force_login(intruder)
    assert client.get(reverse("data-export", args=[organisation.pk])).status_code == 404
    assert client.post(reverse("data-export", args=[organisation.pk])).status_code == 404
    assert client.get(reverse("data-export-download", args=[organisation.pk, export.pk])).status_code == 404
    assert DataExport.objects.count() == 1


def test_a_failed_archive_says_why(
    french_admin: Client, organisation: Organisation, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disque plein")

    monkeypatch.setattr("nis2.archive.services.export_organisation", broken)
    with django_capture_on_commit_callbacks(execute=True):
        french_admin.post(reverse("data-export", args=[organisation.pk]))
    response = french_admin.get(reverse("data-export", args=[organisation.pk]))

    export = DataExport.objects.get()
    assert export.status == DataExport.Status.FAILED
    assert export.error == "OSError: disque plein"
    assert "Échec" in response.content.decode()
    assert french_admin.get(reverse("data-export-download", args=[organisation.pk, export.pk])).status_code == 404
