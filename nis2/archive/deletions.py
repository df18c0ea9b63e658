"""What was deleted in an organisation, by whom and when: the history's deletion rows of every model the
organisation owns, found through the same declarations as its archive (``<app>/portability.py``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from nis2.archive.declarations import portability_plan
from nis2.archive.rows import chunks, history_model_of
from nis2.models import Organisation


@dataclass(frozen=True)
class DeletedRecord:
    model: str  # app_label.model_name
    kind: str  # the model's verbose name, in the reader's language
    object_id: int
    label: str
    deleted_at: datetime.datetime
    deleted_by: str | None


def deleted_records(organisation: Organisation) -> list[DeletedRecord]:
    """Newest first. One query per owned model (and one per model for the ids of its parents), whatever the
    number of records."""
    plan = portability_plan()
    ids: dict[type[Model], set[int]] = {}
    records: list[DeletedRecord] = []
    for owned in plan.owned:
        model, history_model = owned.model, history_model_of(owned.model)
        if owned.parent is None:
            ids[model] = {organisation.pk}
            scopes: list[dict[str, Any]] = [{"id": organisation.pk}]
        else:
            attname = model._meta.get_field(owned.parent).attname  # type: ignore[union-attr]
            parents = sorted(ids.get(owned.parent_model, set()))  # type: ignore[arg-type]
            scopes = [{f"{attname}__in": batch} for batch in chunks(parents)]
        own_ids: set[int] = set()
        for scope in scopes:
            own_ids.update(model._default_manager.filter(**scope).values_list("pk", flat=True))
            if history_model is None:
                continue
            own_ids.update(history_model._default_manager.filter(**scope).values_list("id", flat=True))
            deletions = history_model._default_manager.filter(history_type="-", **scope).select_related("history_user")
            records.extend(
                DeletedRecord(
                    model=model._meta.label_lower,
                    kind=str(model._meta.verbose_name),
                    object_id=row.id,
                    label=_label(row),
                    deleted_at=row.history_date,
                    deleted_by=row.history_user.get_username() if row.history_user else None,
                )
                for row in deletions
            )
        ids[model] = own_ids
    return sorted(records, key=lambda record: (record.deleted_at, record.object_id), reverse=True)


def _label(row: Model) -> str:
    """The deleted object's title or name as its last history row has it (no query per row)."""
    for name in ("title", "name", "label"):
        value = getattr(row, name, None)
        if value:
            return str(value)
    return ""
