"""The one write path for domain data: every service creates, updates and deletes through these three
functions, so each change is validated, saved column by column and recorded by django-simple-history
with its author.

``actor`` is the person making the change (``None`` for the system: a scheduled task, a migration).
django-simple-history reads the author from the instance's ``_history_user``; nothing else in the
code base sets it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal, TypeVar

from django.contrib.auth.models import User
from django.db import models

Model = TypeVar("Model", bound=models.Model)


class _Unchanged(enum.Enum):
    UNCHANGED = "unchanged"


#: The default of an update service's argument the caller did not give: the field keeps its value
#: (``None`` is a value: "nobody", "unrated").
UNCHANGED: Final = _Unchanged.UNCHANGED
Unchanged = Literal[_Unchanged.UNCHANGED]


def given(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` without the arguments left ``UNCHANGED``: the ``data`` of ``model_update``."""
    return {name: value for name, value in values.items() if value is not UNCHANGED}


#: Fields of a model that are never "changed" by a caller: Django fills them on save.
_AUTOMATIC_FIELDS = ("updated_at",)


def _attach_author(instance: models.Model, actor: User | None) -> None:
    instance._history_user = actor  # type: ignore[attr-defined]


def model_create(instance: Model, *, actor: User | None, validate: bool = True) -> Model:
    """Validate and insert a new instance; its history row names ``actor``."""
    if validate:
        instance.full_clean()
    _attach_author(instance, actor)
    instance.save()
    return instance


def model_update(
    instance: Model,
    *,
    actor: User | None,
    data: Mapping[str, Any] | None = None,
    also_save: Iterable[str] = (),
    validate: bool = True,
) -> list[str]:
    """Set ``data`` on ``instance``, validate, and save only the fields whose value changed, plus
    ``also_save`` (fields the service itself set, such as a version counter). Returns the names saved;
    when nothing changed nothing is written and no history row is added."""
    changed = [name for name, value in (data or {}).items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, (data or {})[name])
    fields = list(dict.fromkeys([*changed, *also_save]))
    if not fields:
        return []
    if validate:
        instance.full_clean()
    concrete = {field.name for field in instance._meta.concrete_fields}
    fields += [name for name in _AUTOMATIC_FIELDS if name in concrete and name not in fields]
    _attach_author(instance, actor)
    instance.save(update_fields=fields)
    return fields


def model_upsert(
    model: type[Model], *, actor: User | None, defaults: Mapping[str, Any], validate: bool = True, **lookup: Any
) -> Model:
    """Like ``update_or_create``, but writes (and so adds a history row) only when a value changed:
    reference data reloaded after every ``migrate`` stays as it is when its file has not changed."""
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        return model_create(model(**lookup, **defaults), actor=actor, validate=validate)
    model_update(instance, actor=actor, data=defaults, validate=validate)
    return instance


def model_delete(instance: models.Model, *, actor: User | None) -> None:
    """Delete ``instance``; its history keeps a deletion row naming ``actor``."""
    _attach_author(instance, actor)
    instance.delete()
