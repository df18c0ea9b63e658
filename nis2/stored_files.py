"""Uploaded files (evidence, attachments, filing proofs, reports, archives) live as long as a row refers to
them, the history included: a deleted piece of evidence stays on record. Files no row refers to any more
(an upload whose transaction rolled back, a file left by an older version) are swept."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.db import models

# A file written in the last hour may belong to an upload whose row is not committed yet: left alone.
SWEEP_GRACE = datetime.timedelta(hours=1)


def referenced_files() -> set[str]:
    """Every storage name a row of any model (live or historical) refers to: one query per file field."""
    names: set[str] = set()
    for model in apps.get_models():
        history = getattr(model, "history", None)  # django-simple-history keeps file names as text
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.FileField):
                continue
            for table in (model, history.model if history is not None else None):
                if table is not None:
                    names.update(
                        table._default_manager.exclude(**{field.attname: ""})
                        .values_list(field.attname, flat=True)
                        .distinct()
                    )
    return names


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}" if folder else directory)


def sweep_orphan_files(*, now: datetime.datetime, storage: Storage = default_storage) -> list[str]:
    """Delete the stored files no row refers to, older than ``SWEEP_GRACE``; returns their names."""
    if not storage.exists(""):
        return []
    referenced = referenced_files()
    swept = []
    for name in _walk(storage):
        if name in referenced or storage.get_modified_time(name) > now - SWEEP_GRACE:
            continue
        storage.delete(name)
        swept.append(name)
    return swept
