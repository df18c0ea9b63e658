"""Restore an organisation's archive into this Rempart instance: same content, new ids.

All or nothing: the archive's sums are checked first, then every row is written in one
transaction; any problem (an altered file, a catalogue this instance lacks, a SIREN already
here) rolls everything back and is reported with the table and row it concerns.

Objects deleted before the export still have their history in the archive. Their history is
restored under negative ids, which no live object ever takes, so that it stays readable
without ever being confused with a live row.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Min, Model

from nis2.archive.declarations import Owned, Plan, portability_plan
from nis2.archive.exporting import table_name
from nis2.archive.manifest import ArchiveError, read_verified
from nis2.archive.rows import (
    concrete_fields,
    historical_many_to_many,
    history_model_of,
    is_person,
    many_to_many,
    scalar_from_json,
    through_model,
)
from nis2.models import Organisation


@dataclass
class ImportSummary:
    organisation: Organisation
    rows: dict[str, int] = field(default_factory=dict)
    people_created: list[str] = field(default_factory=list)
    people_matched: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@contextlib.contextmanager
def _timestamps_as_recorded(plan: Plan) -> Iterator[None]:
    """``auto_now``/``auto_now_add`` would stamp every restored row with today: keep the archive's times."""
    switched: list[tuple[models.DateField[Any, Any], bool, bool]] = []
    for owned in plan.owned:
        for model in (owned.model, history_model_of(owned.model)):
            if model is None:
                continue
            for model_field in model._meta.concrete_fields:
                if isinstance(model_field, models.DateField) and (model_field.auto_now or model_field.auto_now_add):
                    switched.append((model_field, model_field.auto_now, model_field.auto_now_add))
                    model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in switched:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


def _read_table(directory: Path, name: str) -> list[dict[str, Any]]:
    path = directory / "data" / f"{name}.json"
    if not path.is_file():
        raise ArchiveError([f"data/{name}.json: missing"])
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ArchiveError([f"data/{name}.json: not JSON ({error})"]) from error
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ArchiveError([f"data/{name}.json: a list of objects is expected"])
    return rows


class _Restorer:
    def __init__(self, plan: Plan, directory: Path) -> None:
        self.plan = plan
        self.directory = directory
        self.ids: dict[type[Model], dict[int, int]] = {}
        self.history_ids: dict[type[Model], dict[int, int]] = {}
        self.people: dict[int, int] = {}
        self.files: dict[str, str] = {}
        self.reference_pks: dict[type[Model], dict[tuple[Any, ...], int]] = {}

    # Values --------------------------------------------------------------------------------

    def reference(self, model: type[Model], key: list[Any], where: str) -> int:
        reference = self.plan.references.get(model)
        if reference is None:
            raise ArchiveError([f"{where}: {model._meta.label} is not reference data"])
        if model not in self.reference_pks:
            rows = model._default_manager.filter(reference.shared).values_list("pk", *reference.key)
            self.reference_pks[model] = {tuple(key): pk for pk, *key in rows}
        found = self.reference_pks[model].get(tuple(key))
        if found is None:
            raise ArchiveError(
                [
                    f"{where}: {model._meta.label_lower} {' / '.join(map(str, key))} does not exist in this "
                    "instance (load the reference data first: manage.py load_reference_data)"
                ]
            )
        return found

    def foreign_key(self, model_field: models.ForeignKey[Any, Any], value: Any, where: str) -> int | None:
        target = model_field.related_model
        if value is None:
            return None
        if isinstance(value, dict):
            if target is Organisation:  # another authority (the parent): kept only if it is here too
                pk = Organisation.objects.filter(siren=value.get("key", [""])[0]).values_list("pk", flat=True).first()
                return pk
            return self.reference(target, value.get("key", []), where)
        if not isinstance(value, int):
            raise ArchiveError([f"{where}: an id or a key is expected, not {value!r}"])
        if is_person(target):
            return self.people[value]
        if target in self.history_ids:
            return self.history_ids[target][value]
        try:
            return self.ids[target][value]
        except KeyError:
            raise ArchiveError([f"{where}: no {target._meta.label_lower} with id {value} in the archive"]) from None

    def instance(self, model: type[Model], row: dict[str, Any], owned: Owned, where: str, *, skip: set[str]) -> Any:
        """An unsaved row of ``model`` (a history model included: hence ``Any``, its fields are built at run time)."""
        values: dict[str, Any] = {}
        for model_field in concrete_fields(model):
            name = model_field.name
            if model_field.primary_key or name in skip or name in owned.secret_fields:
                continue
            if name not in row:
                raise ArchiveError([f"{where}: field {name} missing"])
            value = row[name]
            if isinstance(model_field, models.ForeignKey):
                values[model_field.attname] = self.foreign_key(model_field, value, f"{where}, {name}")
            elif isinstance(model_field, models.FileField):
                values[model_field.attname] = self.files.get(value, value) if value else value
            else:
                try:
                    values[model_field.attname] = scalar_from_json(model_field, value)
                except Exception as error:
                    raise ArchiveError([f"{where}, {name}: {value!r} unreadable ({error})"]) from error
        return model(**values)

    # Steps ---------------------------------------------------------------------------------

    def restore_people(self, summary: ImportSummary) -> None:
        """Match each person by e-mail (else create them, without a usable password: they set one
        through the password-reset link)."""
        user_model = get_user_model()
        for row in _read_table(self.directory, "people"):
            email = (row.get("email") or "").strip()
            existing = user_model._default_manager.filter(email__iexact=email).order_by("pk") if email else None
            if existing is not None and existing.count() == 1:
                user = existing.get()
                summary.people_matched.append(user.get_username())
            else:
                username = row["username"]
                suffix = 1
                while user_model._default_manager.filter(username=username).exists():
                    suffix += 1
                    username = f"{row['username']}-{suffix}"
                user = user_model._default_manager.create(
                    username=username,
                    email=email,
                    first_name=row.get("first_name", ""),
                    last_name=row.get("last_name", ""),
                    is_active=row.get("is_active", True),
                )
                user.set_unusable_password()
                user.save(update_fields=["password"])
                summary.people_created.append(username)
            self.people[row["id"]] = user.pk

    def restore_files(self) -> None:
        root = self.directory / "files"
        if not root.is_dir():
            return
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix()
            with path.open("rb") as handle:
                self.files[name] = default_storage.save(name, File(handle, name=path.name))

    def restore_owned(self, owned: Owned, summary: ImportSummary) -> None:
        model = owned.model
        name = table_name(model)
        rows = _read_table(self.directory, name)
        self_references = {f.name for f in concrete_fields(model) if getattr(f, "related_model", None) is model}
        instances = [
            self.instance(model, row, owned, f"data/{name}.json row {number}", skip=self_references)
            for number, row in enumerate(rows, start=1)
        ]
        created = model._default_manager.bulk_create(instances)
        self.ids[model] = {row["id"]: instance.pk for row, instance in zip(rows, created, strict=True)}
        if self_references:
            for row, instance in zip(rows, created, strict=True):
                for field_name in self_references:
                    model_field = model._meta.get_field(field_name)
                    assert isinstance(model_field, models.ForeignKey), field_name
                    setattr(instance, model_field.attname, self.foreign_key(model_field, row[field_name], name))
            model._default_manager.bulk_update(created, fields=sorted(self_references))
        for m2m in many_to_many(model):
            through = through_model(m2m)
            source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            links = []
            for row in rows:
                for value in row.get(m2m.name, []):
                    target_pk = self._m2m_target(m2m, value, f"data/{name}.json, {m2m.name}")
                    links.append(through(**{f"{source}_id": self.ids[model][row["id"]], f"{target}_id": target_pk}))
            through._default_manager.bulk_create(links)
        summary.rows[name] = len(created)

    def _m2m_target(self, m2m: models.ManyToManyField[Any, Any], value: Any, where: str) -> int:
        fake = models.ForeignKey(m2m.related_model, on_delete=models.CASCADE)
        target = self.foreign_key(fake, value, where)
        if target is None:
            raise ArchiveError([f"{where}: {value!r} names nothing"])
        return target

    def reserve_deleted_ids(self, owned: Owned) -> None:
        """Objects known only from their history get negative ids (in the order of their old ids)."""
        model = owned.model
        history_model = history_model_of(model)
        if history_model is None:
            return
        rows = _read_table(self.directory, table_name(history_model))
        gone = sorted({row["id"] for row in rows} - set(self.ids[model]))
        lowest = history_model.objects.aggregate(lowest=Min("id"))["lowest"] or 0
        start = min(lowest, 0) - len(gone)
        self.ids[model].update({old: start + index for index, old in enumerate(gone)})

    def restore_history(self, owned: Owned, summary: ImportSummary) -> None:
        model = owned.model
        history_model = history_model_of(model)
        if history_model is None:
            return
        name = table_name(history_model)
        rows = _read_table(self.directory, name)
        instances = []
        for number, row in enumerate(rows, start=1):
            where = f"data/{name}.json row {number}"
            instance = self.instance(history_model, row, owned, where, skip={"id"})
            instance.id = self.ids[model][row["id"]]
            for secret in owned.secret_fields:  # the live row's new value, or a fresh one
                setattr(instance, secret, history_model._meta.get_field(secret).get_default())
            instances.append(instance)
        created = history_model._default_manager.bulk_create(instances)
        self.history_ids[history_model] = {
            row["history_id"]: instance.pk for row, instance in zip(rows, created, strict=True)
        }
        summary.rows[name] = len(created)
        for m2m_history_model in historical_many_to_many(model):
            m2m_name = table_name(m2m_history_model)
            m2m_rows = _read_table(self.directory, m2m_name)
            m2m_instances = []
            for number, row in enumerate(m2m_rows, start=1):
                instance = self.instance(
                    m2m_history_model, row, owned, f"data/{m2m_name}.json row {number}", skip={"id"}
                )
                instance.id = 0  # the through row's id in the old instance: meaningless here
                m2m_instances.append(instance)
            m2m_history_model._default_manager.bulk_create(m2m_instances)
            summary.rows[m2m_name] = len(m2m_instances)


def import_organisation(directory: Path) -> ImportSummary:
    """Restore the archive in ``directory``; raises :class:`ArchiveError` and writes nothing on any problem."""
    document = read_verified(directory)
    siren = document["organisation"]["siren"]
    if Organisation.objects.filter(siren=siren).exists():
        raise ArchiveError([f"an organisation with SIREN {siren} already exists in this instance"])
    plan = portability_plan()
    restorer = _Restorer(plan, directory)
    stored_files: list[str] = []
    try:
        with transaction.atomic(), _timestamps_as_recorded(plan):
            restorer.restore_files()
            stored_files = list(restorer.files.values())
            summary = ImportSummary(organisation=Organisation(siren=siren))
            restorer.restore_people(summary)
            for owned in plan.owned:
                restorer.restore_owned(owned, summary)
            for owned in plan.owned:
                restorer.reserve_deleted_ids(owned)
            for owned in plan.owned:
                restorer.restore_history(owned, summary)
            summary.organisation = Organisation.objects.get(siren=siren)
    except Exception:
        for name in stored_files:  # the rows are rolled back: so are the files
            default_storage.delete(name)
        raise
    return summary
