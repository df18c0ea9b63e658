"""Bulk loading for the national benchmark: PostgreSQL COPY from Python rows, and INSERT ... SELECT run by the
server, both driven by the models' metadata.

A field a row does not give takes the model's default (a callable default is called for each row), so a field
another engineer adds with a default never breaks the generator; a new field without a default fails loudly
with the field's name. History rows (django-simple-history) are written from the live rows by the server.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED, AutoFieldMixin
from django.utils import timezone

HISTORY_FIELDS = {"history_id", "history_date", "history_type", "history_user", "history_change_reason"}


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _defaulter(field: models.Field) -> Callable[[], Any]:
    """How a missing value is filled: the field's default (called per row when callable), else now() for
    auto_now fields, else what Django would store (an empty string for text, None otherwise)."""
    if field.has_default() and callable(field.default):
        return field.default
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        moment = timezone.now()
        return lambda: moment
    constant = field.get_default()
    return lambda: constant


def _columns(model: type[models.Model], given: Iterable[str]) -> list[models.Field]:
    fields = []
    given = set(given)
    for field in model._meta.concrete_fields:
        if field.attname not in given and (isinstance(field, AutoFieldMixin) or field.db_default is not NOT_PROVIDED):
            continue  # the database fills it (identity or database default)
        fields.append(field)
    known = {field.attname for field in model._meta.concrete_fields}
    unknown = given - known
    if unknown:
        raise ValueError(f"{model.__name__} has no field {sorted(unknown)}")
    return fields


def _converter(field: models.Field) -> Callable[[Any], Any]:
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value)
    if isinstance(field, models.FileField):
        return lambda value: str(value or "")
    return lambda value: value


def copy_rows(model: type[models.Model], rows: Iterable[Mapping[str, Any]]) -> int:
    """COPY ``rows`` (dicts keyed by attname: ``organisation_id``, not ``organisation``) into the model's table.
    The first row decides which columns are sent; a later row may leave some out (defaults apply)."""
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    fields = _columns(model, first.keys())
    plan = [(field.attname, _defaulter(field), _converter(field)) for field in fields]
    missing = object()
    sql = "COPY {} ({}) FROM STDIN".format(
        _quote(model._meta.db_table), ", ".join(_quote(field.column) for field in fields)
    )
    count = 0
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in _chain(first, iterator):
            values = []
            for attname, default, convert in plan:
                value = row.get(attname, missing)
                values.append(convert(default() if value is missing else value))
            copy.write_row(values)
            count += 1
    return count


def _chain(first: Mapping[str, Any], rest: Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    yield first
    yield from rest


def insert_select(
    model: type[models.Model], expressions: Mapping[str, str], from_sql: str, params: list[Any] | None = None
) -> int:
    """``INSERT INTO <model> (...) SELECT <expressions> FROM <from_sql>``: ``expressions`` maps attnames to SQL
    (without placeholders; ``params`` belong to ``from_sql``); the other fields get their default as a parameter."""
    fields = _columns(model, expressions.keys())
    select, default_params = [], []
    for field in fields:
        if field.attname in expressions:
            select.append(expressions[field.attname])
            continue
        if field.unique and field.has_default() and callable(field.default):
            raise ValueError(f"{model.__name__}.{field.name}: a unique per-row default cannot be filled in SQL")
        select.append("%s")
        default_params.append(field.get_db_prep_save(_defaulter(field)(), connection))
    sql = "INSERT INTO {} ({}) SELECT {} FROM {}".format(
        _quote(model._meta.db_table),
        ", ".join(_quote(field.column) for field in fields),
        ", ".join(select),
        from_sql,
    )
    with connection.cursor() as cursor:
        # The defaults' placeholders come first (in the select list), the caller's after them (FROM, WHERE).
        cursor.execute(sql, [*default_params, *(params or [])])
        return cursor.rowcount


def copy_history(
    model: type[models.Model],
    *,
    where: str = "TRUE",
    params: list[Any] | None = None,
    history_date: str = "t.created_at",
    history_type: str = "+",
    history_user: str = "NULL",
    overrides: Mapping[str, str] | None = None,
) -> int:
    """One history row per live row of ``model`` matching ``where`` (the live table is aliased ``t``), as
    django-simple-history writes it on save: the live values (or ``overrides``, SQL by attname), dated
    ``history_date``."""
    history = model.history.model  # type: ignore[attr-defined]
    live = {field.attname: field for field in model._meta.concrete_fields}
    expressions: dict[str, str] = {}
    for field in history._meta.concrete_fields:
        if field.name in HISTORY_FIELDS:
            continue
        if overrides and field.attname in overrides:
            expressions[field.attname] = overrides[field.attname]
        elif field.attname in live:
            expressions[field.attname] = f"t.{_quote(live[field.attname].column)}"
    expressions["history_date"] = history_date
    expressions["history_type"] = f"'{history_type}'"
    expressions["history_user_id"] = history_user
    return insert_select(history, expressions, f"{_quote(model._meta.db_table)} t WHERE {where}", params)


def next_id(model: type[models.Model]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {_quote(model._meta.db_table)}")
        return int(cursor.fetchone()[0])


def reset_sequences(model_list: Iterable[type[models.Model]]) -> None:
    """After rows were loaded with explicit ids, the identity sequences start after the largest id."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(model_list)):
            cursor.execute(statement)
