"""Component files (CSV, XLSX) and their rows, the import endpoint and what an import may write,
shared by the import and export tests."""

import csv
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from dependencies import tabular
from dependencies.models import Component, LegalEntity, Product
from nis2.models import Organisation
from tests.dependencies.component_rows import MAIL, OFFICE, PAYROLL

IMPORT_URL = "/api/v1/components/import/"  # route name component-import-file
REJECTED = "The file was rejected; nothing was imported."


def csv_bytes(rows: list[dict[str, Any]], columns: tuple[str, ...] | list[str] = tabular.COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def upload(client: APIClient, organisation: Organisation, content: bytes, filename: str = "components.csv") -> Any:
    return client.post(
        IMPORT_URL,
        {"organisation": organisation.pk, "file": SimpleUploadedFile(filename, content)},
        format="multipart",
    )


def snapshot() -> dict[str, int]:
    """What an import may write: components, catalogue entries and their history."""
    return {
        "components": Component.objects.count(),
        "entities": LegalEntity.objects.count(),
        "products": Product.objects.count(),
        "component history": Component.history.count(),
        "entity history": LegalEntity.history.count(),
        "product history": Product.history.count(),
    }


VALID_ROWS = [MAIL, PAYROLL, OFFICE]
