"""An archive requested from the web is written by a real Celery worker on Redis (PostgreSQL run only)."""

import hashlib
import time

import pytest
from django.test import Client
from django.urls import reverse

from nis2.models import DataExport, Organisation
from nis2.roles import Role
from tests.incidents.factories import significant_incident
from tests.nis2.factories import MembershipFactory

TIMEOUT_SECONDS = 60


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("worker_media")
def test_the_worker_writes_the_requested_archive(client: Client, organisation: Organisation) -> None:
    significant_incident(organisation, title="Rançongiciel à la médiathèque")
    client.force_login(MembershipFactory(organisation=organisation, role=Role.ADMIN).user)

    client.post(reverse("data-export", args=[organisation.pk]))

    deadline = time.monotonic() + TIMEOUT_SECONDS
    export = DataExport.objects.get(organisation=organisation)
    while export.status not in (DataExport.Status.DONE, DataExport.Status.FAILED) and time.monotonic() < deadline:
        time.sleep(0.5)
        export.refresh_from_db()
    assert (export.status, export.error) == (DataExport.Status.DONE, "")
    download = client.get(reverse("data-export-download", args=[organisation.pk, export.pk]))
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == export.sha256
