"""Writes of the data-export download: an administrator asks, a Celery task writes the zip."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from nis2.archive.exporting import export_organisation
from nis2.history import model_create, model_update
from nis2.models import DataExport, Organisation


@transaction.atomic
def data_export_request(*, organisation: Organisation, actor: User) -> DataExport:
    from nis2.tasks import write_data_export  # import cycle: nis2.tasks imports this module

    export = model_create(DataExport(organisation=organisation, requested_by=actor), actor=actor)
    transaction.on_commit(lambda: write_data_export.delay(export.pk))
    return export


def data_export_write(*, export_id: int) -> DataExport:
    """Write the organisation's archive, zip it and store it; a failure is recorded, never lost."""
    export = DataExport.objects.select_related("organisation").get(pk=export_id)
    if export.status == DataExport.Status.DONE:
        return export  # a retried task finds its work done
    # The task's own bookkeeping (the system acts): a record of the failure must never be refused by validation.
    model_update(export, actor=None, data={"status": DataExport.Status.RUNNING}, validate=False)
    outcome: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory() as workspace:
            folder = Path(workspace) / f"rempart-{export.organisation.siren}"
            export_organisation(export.organisation, folder)
            zipped = Path(shutil.make_archive(str(folder), "zip", root_dir=workspace, base_dir=folder.name))
            digest = hashlib.sha256(zipped.read_bytes()).hexdigest()
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            with zipped.open("rb") as handle:
                export.file.save(f"rempart-{export.organisation.siren}-{stamp}.zip", File(handle), save=False)
            outcome = {"size": zipped.stat().st_size, "sha256": digest, "status": DataExport.Status.DONE}
    except Exception as error:
        outcome = {"status": DataExport.Status.FAILED, "error": f"{type(error).__name__}: {error}"}
    outcome["finished_at"] = timezone.now()
    model_update(export, actor=None, data=outcome, also_save=("file",), validate=False)
    return export
