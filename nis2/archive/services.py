"""Writes of the data-export download: an administrator asks, a Celery task writes the zip."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from nis2.archive.exporting import export_organisation
from nis2.history import save_with_author
from nis2.models import DataExport, Organisation


@transaction.atomic
def data_export_request(*, organisation: Organisation, actor: AbstractBaseUser) -> DataExport:
    from nis2.tasks import write_data_export  # imported here: the task module imports this one

    export = DataExport(organisation=organisation, requested_by=actor)
    save_with_author(export, actor)
    transaction.on_commit(lambda: write_data_export.delay(export.pk))
    return export


def data_export_write(*, export_id: int) -> DataExport:
    """Write the organisation's archive, zip it and store it; a failure is recorded, never lost."""
    export = DataExport.objects.select_related("organisation").get(pk=export_id)
    if export.status == DataExport.Status.DONE:
        return export  # a retried task finds its work done
    export.status = DataExport.Status.RUNNING
    export.save(update_fields=["status", "updated_at"])
    try:
        with tempfile.TemporaryDirectory() as workspace:
            folder = Path(workspace) / f"rempart-{export.organisation.siren}"
            export_organisation(export.organisation, folder)
            zipped = Path(shutil.make_archive(str(folder), "zip", root_dir=workspace, base_dir=folder.name))
            digest = hashlib.sha256(zipped.read_bytes()).hexdigest()
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            with zipped.open("rb") as handle:
                export.file.save(f"rempart-{export.organisation.siren}-{stamp}.zip", File(handle), save=False)
            export.size, export.sha256 = zipped.stat().st_size, digest
    except Exception as error:
        export.status, export.error = DataExport.Status.FAILED, f"{type(error).__name__}: {error}"
    else:
        export.status = DataExport.Status.DONE
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "file", "size", "sha256", "finished_at", "updated_at"])
    return export
