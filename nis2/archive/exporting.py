"""Write everything an organisation owns to a folder: JSON (what the import reads), CSV (for a
spreadsheet), the files, a README and the SHA-256 of every file."""

from __future__ import annotations

import csv
import json
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Model
from django.utils import timezone

from nis2.archive import manifest
from nis2.archive.declarations import Owned, Plan, portability_plan
from nis2.archive.rows import (
    chunks,
    concrete_fields,
    foreign_keys,
    historical_many_to_many,
    history_model_of,
    is_person,
    many_to_many,
    scalar_to_json,
    through_model,
)
from nis2.models import Organisation

PERSON_FIELDS = ("id", "username", "email", "first_name", "last_name", "is_active")


@dataclass
class ExportSummary:
    directory: Path
    rows: dict[str, int] = field(default_factory=dict)
    history_rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    missing_files: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(path.stat().st_size for path in self.directory.rglob("*") if path.is_file())


class _Collected:
    """Rows read for the export: live rows and history rows per owned model, and every id each
    model has ever had in this organisation (live, or known from its history)."""

    def __init__(self) -> None:
        self.live: dict[type[Model], list[Model]] = {}
        self.history: dict[type[Model], list[Model]] = {}
        self.ids: dict[type[Model], set[int]] = {}


def _collect(plan: Plan, organisation: Organisation) -> _Collected:
    collected = _Collected()
    for owned in plan.owned:
        model, history_model = owned.model, history_model_of(owned.model)
        live, history = [], []
        if owned.parent is None:
            live = list(model._default_manager.filter(pk=organisation.pk))
            if history_model is not None:
                history = list(history_model._default_manager.filter(id=organisation.pk).order_by("history_id"))
        else:
            attname = model._meta.get_field(owned.parent).attname  # type: ignore[union-attr]
            for batch in chunks(sorted(collected.ids[owned.parent_model])):  # type: ignore[index]
                live.extend(model._default_manager.filter(**{f"{attname}__in": batch}))
                if history_model is not None:
                    history.extend(history_model._default_manager.filter(**{f"{attname}__in": batch}))
            live.sort(key=lambda row: row.pk)
            history.sort(key=lambda row: row.pk)  # a history row's primary key is its history_id
        collected.live[model] = live
        collected.history[model] = history
        collected.ids[model] = {row.pk for row in live} | {row.serializable_value("id") for row in history}
    return collected


class _Encoder:
    """Turns foreign-key values into archive values, noting the people and reference rows met."""

    def __init__(self, plan: Plan, collected: _Collected) -> None:
        self.plan = plan
        self.collected = collected
        self.people: set[int] = set()
        self.reference_keys: dict[type[Model], dict[int, list[Any]]] = {}
        self.history_models = {history_model_of(owned.model) for owned in plan.owned} - {None}

    def prepare(self, model: type[Model], values: set[int]) -> None:
        """Read the natural keys of the reference rows about to be named (one query per model)."""
        reference = self.plan.references.get(model)
        if reference is None or not values:
            return
        keys = self.reference_keys.setdefault(model, {})
        missing = values - set(keys) - self.collected.ids.get(model, set())
        for batch in chunks(sorted(missing)):
            rows = model._default_manager.filter(reference.shared, pk__in=batch).values_list("pk", *reference.key)
            keys.update({pk: list(key) for pk, *key in rows})

    def encode(self, target: type[Model], value: int | None) -> Any:
        if value is None:
            return None
        if is_person(target):
            self.people.add(value)
            return value
        if value in self.collected.ids.get(target, ()) or target in self.history_models:
            return value
        key = self.reference_keys.get(target, {}).get(value)
        # A history row may name a row since deleted that the archive cannot name: left empty.
        return {"key": key} if key is not None else None


def _prepare_references(encoder: _Encoder, models_to_rows: dict[type[Model], list[Model]]) -> None:
    wanted: dict[type[Model], set[int]] = defaultdict(set)
    for model, rows in models_to_rows.items():
        for fk in foreign_keys(model):
            target = fk.related_model
            if is_person(target) or target not in encoder.plan.references:
                continue
            wanted[target].update(value for row in rows if (value := getattr(row, fk.attname)) is not None)
    for target, values in wanted.items():
        encoder.prepare(target, values)


def _encode_row(row: Model, owned: Owned, encoder: _Encoder) -> dict[str, Any]:
    encoded: dict[str, Any] = {}
    for model_field in concrete_fields(type(row)):
        if model_field.name in owned.secret_fields:
            continue
        if isinstance(model_field, models.ForeignKey):
            encoded[model_field.name] = encoder.encode(model_field.related_model, getattr(row, model_field.attname))
        else:
            encoded[model_field.name] = scalar_to_json(model_field, model_field.value_from_object(row))
    return encoded


def _many_to_many_values(owned: Owned, collected: _Collected, encoder: _Encoder) -> dict[int, dict[str, list[Any]]]:
    """``{row id: {field name: [encoded targets]}}`` read from the through tables."""
    values: dict[int, dict[str, list[Any]]] = defaultdict(dict)
    ids = [row.pk for row in collected.live[owned.model]]
    for m2m in many_to_many(owned.model):
        through = through_model(m2m)
        source = m2m.m2m_field_name()
        target = m2m.m2m_reverse_field_name()
        pairs: list[tuple[int, int]] = []
        for batch in chunks(ids):
            pairs.extend(
                through._default_manager.filter(**{f"{source}_id__in": batch})
                .order_by("pk")
                .values_list(f"{source}_id", f"{target}_id")
            )
        encoder.prepare(m2m.related_model, {target_id for _source, target_id in pairs})
        for row_id in ids:
            values[row_id][m2m.name] = []
        for source_id, target_id in pairs:
            values[source_id][m2m.name].append(encoder.encode(m2m.related_model, target_id))
    return values


def _write_table(directory: Path, name: str, rows: list[dict[str, Any]], columns: list[str]) -> None:
    (directory / "data").mkdir(exist_ok=True)
    (directory / "csv").mkdir(exist_ok=True)
    with (directory / "data" / f"{name}.json").open("w", encoding="utf-8") as handle:
        json.dump(rows, handle, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    with (directory / "csv" / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_cell(row.get(column)) for column in columns])


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def table_name(model: type[Model]) -> str:
    return model._meta.label_lower


def _write_owned(
    directory: Path, owned: Owned, collected: _Collected, encoder: _Encoder, summary: ExportSummary
) -> set[str]:
    """Write the live and history tables of one owned model; returns the stored files its rows name."""
    model = owned.model
    history_model = history_model_of(model)
    m2m_values = _many_to_many_values(owned, collected, encoder)
    live_rows = []
    for row in collected.live[model]:
        encoded = _encode_row(row, owned, encoder)
        encoded.update(m2m_values.get(row.pk, {}))
        live_rows.append(encoded)
    history_rows = [_encode_row(row, owned, encoder) for row in collected.history[model]]
    files: set[str] = set()
    for file_field in (f for f in concrete_fields(model) if isinstance(f, models.FileField)):
        files.update(row[file_field.name] for row in live_rows + history_rows if row[file_field.name])

    columns = [f.name for f in concrete_fields(model) if f.name not in owned.secret_fields]
    columns += [m2m.name for m2m in many_to_many(model)]
    _write_table(directory, table_name(model), live_rows, columns)
    summary.rows[table_name(model)] = len(live_rows)
    if history_model is not None:
        history_columns = [f.name for f in concrete_fields(history_model) if f.name not in owned.secret_fields]
        _write_table(directory, table_name(history_model), history_rows, history_columns)
        summary.history_rows[table_name(history_model)] = len(history_rows)
        _write_many_to_many_history(directory, owned, collected, encoder, summary)
    return files


def _write_many_to_many_history(
    directory: Path, owned: Owned, collected: _Collected, encoder: _Encoder, summary: ExportSummary
) -> None:
    """The history of the model's many-to-many links, one table per link."""
    history_ids = [row.pk for row in collected.history[owned.model]]
    for m2m_history_model in historical_many_to_many(owned.model):
        m2m_rows: list[Model] = []
        for batch in chunks(history_ids):
            m2m_rows.extend(m2m_history_model._default_manager.filter(history_id__in=batch))
        m2m_rows.sort(key=lambda row: row.pk)
        _prepare_references(encoder, {m2m_history_model: m2m_rows})
        encoded_m2m = [_encode_row(row, owned, encoder) for row in m2m_rows]
        for encoded in encoded_m2m:
            encoded.pop("id")  # the id of a through row: meaningless outside this instance
        columns = [f.name for f in concrete_fields(m2m_history_model) if f.name != "id"]
        _write_table(directory, table_name(m2m_history_model), encoded_m2m, columns)
        summary.history_rows[table_name(m2m_history_model)] = len(encoded_m2m)


def _write_people(directory: Path, encoder: _Encoder, summary: ExportSummary) -> None:
    people = list(
        get_user_model()._default_manager.filter(pk__in=sorted(encoder.people)).order_by("pk").values(*PERSON_FIELDS)
    )
    _write_table(directory, "people", people, list(PERSON_FIELDS))
    summary.rows["people"] = len(people)


def _copy_files(directory: Path, files: set[str], summary: ExportSummary) -> None:
    for name in sorted(files):
        target = directory / "files" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if not default_storage.exists(name):
            summary.missing_files.append(name)
            continue
        with default_storage.open(name, "rb") as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy)
        summary.files += 1


def export_organisation(organisation: Organisation, directory: Path) -> ExportSummary:
    """Write the organisation's archive into ``directory`` (created; must be empty)."""
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise FileExistsError(f"{directory} is not empty")
    plan = portability_plan()
    collected = _collect(plan, organisation)
    encoder = _Encoder(plan, collected)
    summary = ExportSummary(directory=directory)

    everything: dict[type[Model], list[Model]] = {}
    for owned in plan.owned:
        everything[owned.model] = collected.live[owned.model]
        history_model = history_model_of(owned.model)
        if history_model is not None:
            everything[history_model] = collected.history[owned.model]
    _prepare_references(encoder, everything)

    files: set[str] = set()
    for owned in plan.owned:
        files |= _write_owned(directory, owned, collected, encoder, summary)
    _write_people(directory, encoder, summary)
    _copy_files(directory, files, summary)

    manifest.write(
        directory,
        organisation=organisation,
        exported_at=timezone.now(),
        summary_rows={**summary.rows, **summary.history_rows},
        left_out={model._meta.label_lower: reason for model, reason in plan.left_out.items()},
        missing_files=summary.missing_files,
    )
    return summary
