"""How rows and their fields are written to, and read back from, an archive's JSON.

A row is a JSON object keyed by field name. Foreign keys are written as:
- ``null``;
- an integer: the id of a row of the same archive (``people.json`` for people);
- ``{"key": [...]}``: shared reference data named by its natural key (a catalogue requirement, a
  reporting rule, a vendor of the shared catalogue, another organisation by its SIREN).
Many-to-many fields are lists of the same. Dates and times are ISO 8601 (times in UTC), decimals
are strings, files are their storage name (the bytes are under ``files/``).
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Model

HISTORY_FIELDS = ("history_id", "history_date", "history_type", "history_change_reason", "history_user")
CHUNK = 2000  # ids per IN clause: well under SQLite's bound-parameter limit


def is_person(model: type[Model] | None) -> bool:
    return model is not None and model._meta.label == settings.AUTH_USER_MODEL


def chunks(values: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def scalar_to_json(field: models.Field[Any, Any], value: Any) -> Any:
    if isinstance(field, models.FileField):
        return value.name or "" if value else ""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def scalar_from_json(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None or isinstance(field, models.JSONField | models.FileField):
        return value
    if isinstance(field, models.DurationField):
        return datetime.timedelta(seconds=value)
    return field.to_python(value)


def concrete_fields(model: type[Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def foreign_keys(model: type[Model]) -> list[models.ForeignKey[Any, Any]]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.ForeignKey)]


def many_to_many(model: type[Model]) -> list[models.ManyToManyField[Any, Any]]:
    return [field for field in model._meta.many_to_many if isinstance(field, models.ManyToManyField)]


def through_model(m2m: models.ManyToManyField[Any, Any]) -> type[Model]:
    """The table behind a many-to-many field (set once the app registry is ready)."""
    through = m2m.remote_field.through
    assert through is not None, m2m
    return through


def history_model_of(model: type[Model]) -> type[Any] | None:
    """The django-simple-history table of a model, if it keeps one. simple-history builds these classes
    at run time, so their fields (``history_date``, ``history_user``…) are unknown to the type checker."""
    manager = getattr(model, "history", None)
    return manager.model if manager is not None else None


def historical_many_to_many(model: type[Model]) -> list[type[Model]]:
    """The tables in which django-simple-history records a model's many-to-many fields."""
    history = history_model_of(model)
    if history is None:
        return []
    return [
        relation.related_model
        for relation in history._meta.related_objects
        if relation.related_model._meta.label.startswith(history._meta.label + "_")
    ]
