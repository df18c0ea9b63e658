"""An authority's data leaves Rempart in open formats and comes back whole (export_organisation /
import_organisation): Rempart passes the reversibility test it applies to vendors."""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from controls.models import ActionItem, RequirementAssessment
from dependencies.models import DependencySharing, Domain, Product
from incidents.models import CalendarFeed, Incident, Obligation, ReminderSent
from nis2.archive.declarations import portability_plan
from nis2.archive.exporting import export_organisation
from nis2.archive.importing import import_organisation
from nis2.archive.manifest import ArchiveError
from nis2.archive.rows import historical_many_to_many, history_model_of
from nis2.demo import INTERCOMMUNALITY_SIREN
from nis2.models import Organisation
from nis2.roles import Role
from tests.controls.factories import ActionFactory, FileEvidenceFactory
from tests.dependencies.factories import ComponentFactory, LegalEntityFactory, ProductFactory
from tests.incidents.factories import AttachmentFactory, CalendarFeedFactory, significant_incident
from tests.nis2.factories import MembershipFactory, OrganisationFactory

DOMAIN_APPS = ("nis2", "controls", "dependencies", "incidents", "reports")


def _accounted_models() -> set[type[models.Model]]:
    plan = portability_plan()
    accounted: set[type[models.Model]] = set(plan.left_out) | set(plan.references)
    for model in [*plan.owned_models(), *plan.references, *plan.left_out]:
        accounted.add(model)
        history = history_model_of(model)
        if history is not None:
            accounted.add(history)
        accounted.update(historical_many_to_many(model))
        accounted.update(field.remote_field.through for field in model._meta.many_to_many)
    return accounted


def test_every_model_is_exported_or_deliberately_left_out() -> None:
    """A model added later fails here until its app's portability.py says what the archive does with it."""
    domain_models = {
        model for model in apps.get_models(include_auto_created=True) if model._meta.app_label in DOMAIN_APPS
    }
    assert sorted(model._meta.label for model in domain_models - _accounted_models()) == []
    assert all(reason.strip() for reason in portability_plan().left_out.values())


# The round trip ---------------------------------------------------------------------------------


def _enrich(organisation: Organisation) -> None:
    """What the demo lacks: files, the organisation's own vendors, a feed, a reminder, a deletion."""
    item = RequirementAssessment.objects.filter(assessment__organisation=organisation).order_by("pk").first()
    FileEvidenceFactory(item=item, title="PSSI signée")
    incident = Incident.objects.filter(organisation=organisation).order_by("pk").first()
    AttachmentFactory(incident=incident, title="Analyse du prestataire")
    CalendarFeedFactory(organisation=organisation)
    vendor = LegalEntityFactory(organisation=organisation, key="hebergeur-local", name="Hébergeur local", country="FR")
    own_product = ProductFactory(
        organisation=organisation, key="logiciel-maison", name="Logiciel maison", publisher=vendor
    )
    own_product.domains.set(Domain.objects.order_by("pk")[:2])
    own_product.alternatives.set(Product.objects.filter(organisation__isnull=True).order_by("pk")[:1])
    DependencySharing.objects.create(organisation=organisation, share_with_parent=True)
    ReminderSent.objects.create(
        obligation=Obligation.objects.filter(incident__organisation=organisation).order_by("pk").first(),
        threshold=24,
        sent_at=datetime.datetime(2026, 9, 1, 8, tzinfo=datetime.UTC),
    )
    ActionFactory(organisation=organisation, title="Action abandonnée").delete()


def _ranks(values: set[int]) -> dict[int, int]:
    return {value: rank for rank, value in enumerate(sorted(values))}


def canonical(directory: Path) -> dict[str, list[dict[str, Any]]]:
    """Every table of an archive with ids replaced by their rank (live objects, objects known only from
    their history, history rows) and people by their username: two archives of the same content compare equal."""
    tables = {path.stem: json.loads(path.read_text()) for path in (directory / "data").glob("*.json")}
    people = {row["id"]: row["username"] for row in tables["people"]}
    live_rank: dict[type[models.Model], dict[int, Any]] = {}
    history_rank: dict[type[models.Model], dict[int, int]] = {}
    for model in portability_plan().owned_models():
        live = {row["id"] for row in tables[model._meta.label_lower]}
        history_model = history_model_of(model)
        history_rows = tables[history_model._meta.label_lower] if history_model else []
        gone = {row["id"] for row in history_rows} - live
        live_rank[model] = {**{k: ("live", v) for k, v in _ranks(live).items()}}
        live_rank[model].update({k: ("gone", v) for k, v in _ranks(gone).items()})
        if history_model:
            history_rank[history_model] = _ranks({row["history_id"] for row in history_rows})

    def value(model_field: models.Field[Any, Any], raw: Any) -> Any:
        target = model_field.related_model
        if raw is None or isinstance(raw, dict):
            return raw
        if target is get_user_model():
            return people[raw]
        if target in history_rank:
            return history_rank[target][raw]
        return live_rank[target][raw]

    result: dict[str, list[dict[str, Any]]] = {"people": sorted(people.values())}  # type: ignore[dict-item]
    for name, rows in tables.items():
        if name == "people":
            continue
        model = apps.get_model(name)
        base = next((m for m in live_rank if history_model_of(m) is model), model)
        converted = []
        for row in rows:
            out = {}
            for key, raw in row.items():
                if key == "m2m_history_id":
                    continue
                if key == "id":
                    out[key] = live_rank[base][raw]
                elif key == "history_id":
                    out[key] = history_rank[model][raw]
                else:
                    model_field = (
                        model._meta.get_field(key)
                        if key in {f.name for f in model._meta.get_fields()}
                        else base._meta.get_field(key)
                    )
                    if model_field.many_to_many:
                        out[key] = sorted(map(str, (value(model_field, item) for item in raw)))
                    elif model_field.is_relation:
                        out[key] = value(model_field, raw)
                    else:
                        out[key] = raw
            converted.append(out)
        result[name] = converted
    return result


def _files(directory: Path) -> dict[str, str]:
    return {
        path.relative_to(directory / "files").as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in (directory / "files").rglob("*")
        if path.is_file()
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_demo_organisation_round_trips_into_another_instance(tmp_path: Path, settings: Any) -> None:
    # Given the demo intercommunality, with files, its own vendor, a feed, a reminder and a deleted action
    call_command("demo", password="round-trip-password-1", stdout=open("/dev/null", "w"))  # noqa: SIM115
    organisation = Organisation.objects.get(siren=INTERCOMMUNALITY_SIREN)
    _enrich(organisation)
    first = tmp_path / "first"
    export_organisation(organisation, first)

    # When another, empty instance loads the reference data and imports the archive, then exports it again
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)  # another instance, with its own file storage
    call_command("load_reference_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Organisation.objects.exists()
    summary = import_organisation(first)
    second = tmp_path / "second"
    export_organisation(summary.organisation, second)

    # Then every record, every history row and every file is the same, ids aside
    before, after = canonical(first), canonical(second)
    assert sorted(before) == sorted(after)
    for table in before:
        assert after[table] == before[table], table
    assert _files(second) == _files(first) != {}
    assert len(before["controls.historicalactionitem"]) > len(before["controls.actionitem"])  # the deletion is there
    assert {row["history_type"] for row in before["controls.historicalactionitem"]} == {"+", "~", "-"}
    # and the restored organisation is usable: its people exist, without a usable password
    admin = get_user_model().objects.get(username="admin")
    assert admin.memberships.get().organisation == summary.organisation
    assert not admin.has_usable_password()
    # and the parent intercommunality of a commune is named by SIREN, not copied
    assert summary.organisation.parent is None


@pytest.fixture
def commune() -> Organisation:
    """A commune of an intercommunality, with a member, an incident, a component and a calendar feed."""
    parent = OrganisationFactory(name="Agglomération du Val")
    commune = OrganisationFactory(name="Saint-Aubin", parent=parent)
    member = MembershipFactory(organisation=commune, role=Role.SECURITY_OFFICER).user
    significant_incident(commune, actor=member, title="Rançongiciel à la médiathèque")
    ComponentFactory(organisation=commune, name="Messagerie de la mairie")
    CalendarFeedFactory(organisation=commune)
    return commune


@pytest.mark.django_db
def test_an_archive_holds_only_its_organisation_and_no_secret(tmp_path: Path, commune: Organisation) -> None:
    neighbour = OrganisationFactory(name="Villeneuve")
    significant_incident(neighbour, title="Fuite de données à Villeneuve")
    feed = CalendarFeed.objects.get(organisation=commune)

    summary = export_organisation(commune, tmp_path / "archive")

    text = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (tmp_path / "archive").rglob("*.*")
        if path.suffix in {".json", ".csv"}
    )
    assert "Rançongiciel à la médiathèque" in text
    assert "Fuite de données à Villeneuve" not in text
    assert "Villeneuve" not in text
    assert feed.token not in text
    assert summary.rows["nis2.organisation"] == 1
    assert summary.rows["incidents.calendarfeed"] == 1
    assert summary.rows["incidents.obligation"] == commune.incidents_incident_set.get().obligations.count() > 0
    organisation_row = json.loads((tmp_path / "archive" / "data" / "nis2.organisation.json").read_text())[0]
    assert organisation_row["parent"] == {"key": [commune.parent.siren]}
    # the CSV twin of every JSON table has the same rows
    with (tmp_path / "archive" / "csv" / "incidents.incident.csv").open(encoding="utf-8") as handle:
        csv_rows = list(csv.DictReader(handle))
    json_rows = json.loads((tmp_path / "archive" / "data" / "incidents.incident.json").read_text())
    assert (
        [row["title"] for row in csv_rows] == [row["title"] for row in json_rows] == ["Rançongiciel à la médiathèque"]
    )
    # and SHA256SUMS lists every file with its sum
    lines = (tmp_path / "archive" / "SHA256SUMS").read_text().splitlines()
    sums = {name: digest for digest, name in (line.split("  ", 1) for line in lines)}
    files = [p for p in (tmp_path / "archive").rglob("*") if p.is_file() and p.name != "SHA256SUMS"]
    assert sums == {
        p.relative_to(tmp_path / "archive").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files
    }


@pytest.fixture
def exported_commune(tmp_path: Path, commune: Organisation) -> Path:
    export_organisation(commune, tmp_path / "archive")
    # The same organisation cannot be imported twice into one instance: free its SIREN.
    Organisation.objects.filter(pk=commune.pk).update(siren="123456782")
    return tmp_path / "archive"


@pytest.mark.django_db
def test_an_archive_imports_into_the_same_instance_under_new_ids(exported_commune: Path, commune: Organisation) -> None:
    summary = import_organisation(exported_commune)

    restored = summary.organisation
    assert restored.pk != commune.pk
    assert restored.name == "Saint-Aubin"
    assert restored.parent == commune.parent  # the parent is here: named by SIREN, found again
    incident = restored.incidents_incident_set.get()
    assert incident.title == "Rançongiciel à la médiathèque"
    assert incident.obligations.count() == commune.incidents_incident_set.get().obligations.count()
    assert incident.history.count() == commune.incidents_incident_set.get().history.count()
    assert CalendarFeed.objects.get(organisation=restored).token != CalendarFeed.objects.get(organisation=commune).token
    assert summary.people_matched  # the same people, matched by e-mail
    assert not summary.people_created


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in (Organisation, Incident, ActionItem)}


@pytest.mark.django_db
def test_an_altered_archive_is_refused_and_writes_nothing(exported_commune: Path) -> None:
    path = exported_commune / "data" / "incidents.incident.json"
    path.write_text(path.read_text().replace("médiathèque", "piscine"))
    before = _row_counts()

    with pytest.raises(ArchiveError) as refused:
        import_organisation(exported_commune)

    assert refused.value.errors == [
        "data/incidents.incident.json: SHA-256 differs from SHA256SUMS (file altered or damaged)"
    ]
    assert _row_counts() == before


@pytest.mark.django_db
def test_an_organisation_already_here_is_refused(exported_commune: Path, commune: Organisation) -> None:
    Organisation.objects.filter(pk=commune.pk).update(
        siren=json.loads((exported_commune / "manifest.json").read_text())["organisation"]["siren"]
    )
    with pytest.raises(CommandError, match=r"an organisation with SIREN [0-9]{9} already exists"):
        call_command("import_organisation", str(exported_commune))


@pytest.mark.django_db
def test_a_missing_catalogue_is_named_and_nothing_is_written(exported_commune: Path, settings: Any) -> None:
    # This instance lacks the dependency domains the archive's components name.
    Domain.objects.update(code=models.functions.Concat(models.F("code"), models.Value("-old")))
    before = _row_counts()
    media_before = sorted(Path(settings.MEDIA_ROOT).rglob("*"))

    with pytest.raises(ArchiveError) as refused:
        import_organisation(exported_commune)

    assert len(refused.value.errors) == 1
    assert refused.value.errors[0].startswith(
        "data/dependencies.component.json row 1, domain: dependencies.domain D02 "
    )
    assert refused.value.errors[0].endswith(
        "does not exist in this instance (load the reference data first: manage.py load_reference_data)"
    )
    assert _row_counts() == before
    assert sorted(Path(settings.MEDIA_ROOT).rglob("*")) == media_before


@pytest.mark.django_db
def test_export_command_refuses_an_unknown_siren_and_a_used_folder(tmp_path: Path, organisation: Organisation) -> None:
    with pytest.raises(CommandError, match="No organisation with SIREN 123456782"):
        call_command("export_organisation", "123456782", "--out", str(tmp_path / "a"))
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "note.txt").write_text("déjà là")
    with pytest.raises(CommandError, match=r"--out: .* is not empty"):
        call_command("export_organisation", organisation.siren, "--out", str(tmp_path / "used"))
    assert not CalendarFeed.objects.exists()
