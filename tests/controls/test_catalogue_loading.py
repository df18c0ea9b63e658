"""Loading catalogue files: idempotent, version upgrades keep every rating, bad files are rejected whole."""

import copy
import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import CommandError, call_command

from controls import services
from controls.catalogue_format import CatalogueError
from controls.catalogue_loading import load_file, load_shipped_catalogues
from controls.models import (
    Assessment,
    ChecklistItem,
    Framework,
    Requirement,
    RequirementAssessment,
    RequirementMapping,
    Section,
)
from nis2.models import Organisation
from tests.nis2.factories import OrganisationFactory

HISTORIES = (Framework, Section, Requirement, ChecklistItem, RequirementMapping)


def history_counts() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in HISTORIES}


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in HISTORIES}


def text(label: str) -> dict[str, str]:
    return {"fr": f"{label} (fr)", "en": f"{label} (en)"}


def requirement(ref: str, *, applies_to: tuple[str, ...] = ("important", "essential"), **extra: Any) -> dict[str, Any]:
    return {
        "ref": ref,
        "title": text(f"Title {ref}"),
        "statement": text(f"Statement {ref}"),
        "applies_to": list(applies_to),
        "art21": ["a"],
        **extra,
    }


def version_one() -> dict[str, Any]:
    return {
        "framework": {
            "code": "town-rules",
            "version": "1",
            "name": text("Town rules"),
            "publisher": "Commune",
            "published_on": "2026-01-15",
        },
        "sections": [
            {
                "ref": "1",
                "title": text("Governance"),
                "requirements": [
                    requirement("1.1", items=[{"ref": "a", "text": text("1.1 a")}]),
                    requirement("1.2", applies_to=("essential",)),
                ],
            },
            {"ref": "2", "title": text("Protection"), "requirements": [requirement("2.1"), requirement("2.9")]},
        ],
    }


def version_two() -> dict[str, Any]:
    """1.1 retitled, 1.2 renamed 1.4, 2.9 removed, 2.2 added."""
    document = version_one()
    document["framework"]["version"] = "2"
    governance, protection = document["sections"]
    governance["requirements"][0]["title"] = {"fr": "Titre révisé", "en": "Revised title"}
    governance["requirements"][1] = requirement("1.4", applies_to=("essential",), replaces="1.2")
    protection["requirements"] = [requirement("2.1"), requirement("2.2")]
    return document


def write(tmp_path: Path, name: str, document: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def create_assessment(organisation: Organisation, label: str, *, status: str = Assessment.Status.DRAFT) -> Assessment:
    assessment = services.assessment_create(
        organisation=organisation,
        framework=Framework.objects.get(code="town-rules"),
        label=label,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        actor=None,
    )
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    return assessment


def item_snapshot() -> set[tuple[Any, ...]]:
    return set(
        RequirementAssessment.objects.values_list(
            "pk", "assessment_id", "requirement_id", "current_level", "target_level", "comment", "version"
        )
    )


def refs_of(assessment: Assessment) -> list[str]:
    # Compared by reference, whatever the display order.
    return sorted(assessment.items.values_list("requirement__ref", flat=True))


@pytest.mark.slow  # large data: every shipped requirement, row by row (tests/fixtures/catalogues.py loads them once)
@pytest.mark.django_db
def test_loading_the_shipped_catalogues_twice_changes_nothing() -> None:
    load_shipped_catalogues()
    histories, rows = history_counts(), row_counts()

    second = load_shipped_catalogues()

    assert [
        (report.created, report.updated, report.renamed, report.retired, report.unchanged) for report in second
    ] == [([], [], [], [], 152), ([], [], [], [], 161), ([], [], [], [], 223)]
    assert [report.summary() for report in second] == [
        "recyf 2.5: 0 created, 0 updated, 0 renamed, 0 retired, 152 unchanged",
        "cir-2024-2690 2024-10-17: 0 created, 0 updated, 0 renamed, 0 retired, 161 unchanged",
        "recyf → cir-2024-2690: 0 created, 0 updated, 0 renamed, 0 retired, 223 unchanged",
    ]
    assert history_counts() == histories
    assert row_counts() == rows


@pytest.mark.django_db
def test_a_new_version_keeps_every_rating_and_extends_only_open_assessments(tmp_path: Path) -> None:
    load_file(write(tmp_path, "v1.yaml", version_one()))
    essential = OrganisationFactory(nis2_status=Organisation.Nis2StatusChoices.ESSENTIAL)
    important = OrganisationFactory(nis2_status=Organisation.Nis2StatusChoices.IMPORTANT)
    draft = create_assessment(essential, "2026-T1")
    in_progress = create_assessment(important, "2026-T1", status=Assessment.Status.IN_PROGRESS)
    validated = create_assessment(essential, "2025-T4", status=Assessment.Status.VALIDATED)
    RequirementAssessment.objects.filter(requirement__ref="1.1").update(current_level=2, comment="PSSI draft")
    RequirementAssessment.objects.filter(requirement__ref="1.2").update(current_level=3, target_level=4)
    RequirementAssessment.objects.filter(requirement__ref="2.9").update(current_level=1)
    before = item_snapshot()
    renamed_pk = Requirement.objects.get(ref="1.2").pk
    removed_pk = Requirement.objects.get(ref="2.9").pk
    assert refs_of(draft) == ["1.1", "1.2", "2.1", "2.9"]
    assert refs_of(in_progress) == ["1.1", "2.1", "2.9"]

    report = load_file(write(tmp_path, "v2.yaml", version_two()))

    assert (report.created, report.updated, report.renamed, report.retired, report.unchanged) == (
        ["2.2"],
        ["1.1", "1.4"],
        ["1.2 → 1.4"],
        ["2.9"],
        1,
    )
    assert report.assessment_items_added == 2
    assert Framework.objects.get(code="town-rules").version == "2"
    # Every item, rating and comment is still there, on the same requirement rows.
    assert before <= item_snapshot()
    renamed = Requirement.objects.get(pk=renamed_pk)
    assert (renamed.ref, renamed.retired_at) == ("1.4", None)
    removed = Requirement.objects.get(pk=removed_pk)
    assert removed.ref == "2.9"
    assert removed.retired_at is not None
    assert Requirement.objects.get(ref="1.1").title_en == "Revised title"
    assert refs_of(draft) == ["1.1", "1.4", "2.1", "2.2", "2.9"]
    assert refs_of(in_progress) == ["1.1", "2.1", "2.2", "2.9"]
    assert refs_of(validated) == ["1.1", "1.4", "2.1", "2.9"]
    new_item = draft.items.get(requirement__ref="2.2")
    assert (new_item.current_level, new_item.target_level, new_item.version) == (None, 3, 1)
    # A new assessment leaves the retired requirement out.
    assert refs_of(create_assessment(essential, "2026-T2")) == ["1.1", "1.4", "2.1", "2.2"]


@pytest.mark.django_db
def test_loading_the_same_version_twice_adds_nothing_to_assessments(tmp_path: Path) -> None:
    path = write(tmp_path, "v1.yaml", version_one())
    load_file(path)
    draft = create_assessment(OrganisationFactory(), "2026-T1")
    histories = history_counts()

    report = load_file(path)

    assert (report.created, report.updated, report.unchanged, report.assessment_items_added) == ([], [], 4, 0)
    assert history_counts() == histories
    assert draft.items.count() == 4


def with_bad_art21_letter(document: dict[str, Any]) -> None:
    document["sections"][0]["requirements"][1]["art21"] = ["a", "k"]


def without_english_title(document: dict[str, Any]) -> None:
    del document["sections"][1]["requirements"][0]["title"]["en"]


def with_duplicate_ref(document: dict[str, Any]) -> None:
    document["sections"][1]["requirements"][1]["ref"] = "1.1"


def with_blank_french_item(document: dict[str, Any]) -> None:
    document["sections"][0]["requirements"][0]["items"][0]["text"]["fr"] = "  "


MALFORMED = [
    pytest.param(
        with_bad_art21_letter,
        (
            "sections[0].requirements[1].art21",
            "expected a non-empty list of Article 21(2) points, letters a to j",
        ),
        id="art21-letter-k",
    ),
    pytest.param(
        without_english_title,
        ("sections[1].requirements[0].title.en", "expected a non-empty text"),
        id="missing-english-text",
    ),
    pytest.param(
        with_duplicate_ref, ("requirements[1.1]", "duplicate requirement reference “1.1”"), id="duplicate-ref"
    ),
    pytest.param(
        with_blank_french_item,
        ("sections[0].requirements[0].items[0].text.fr", "expected a non-empty text"),
        id="blank-french-item",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("break_it", "error"), MALFORMED)
def test_a_malformed_file_is_rejected_whole(tmp_path: Path, break_it: Any, error: tuple[str, str]) -> None:
    load_file(write(tmp_path, "v1.yaml", version_one()))
    rows, histories = row_counts(), history_counts()
    titles = dict(Requirement.objects.values_list("ref", "title_en"))
    document = version_two()  # would rename, add and retire, were it valid
    break_it(document)
    path = write(tmp_path, "broken.yaml", document)

    with pytest.raises(CatalogueError) as rejected:
        load_file(path)

    assert rejected.value.errors == [error]
    assert row_counts() == rows
    assert history_counts() == histories
    assert dict(Requirement.objects.values_list("ref", "title_en")) == titles
    assert Framework.objects.get(code="town-rules").version == "1"
    assert not Requirement.objects.filter(retired_at__isnull=False).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("break_it", "error"), MALFORMED)
def test_the_command_names_the_file_and_the_place_of_each_error(
    tmp_path: Path, break_it: Any, error: tuple[str, str]
) -> None:
    document = version_one()
    break_it(document)
    path = write(tmp_path, "broken.yaml", document)

    with pytest.raises(CommandError) as rejected:
        call_command("load_catalogue", str(path))

    message = str(rejected.value)
    assert message.startswith(f"{path} rejected, nothing was loaded:")
    assert f"  {error[0]}: {error[1]}" in message
    assert row_counts() == dict.fromkeys(row_counts(), 0)


@pytest.mark.django_db
def test_the_command_loads_a_valid_file(tmp_path: Path) -> None:
    path = write(tmp_path, "v1.yaml", version_one())

    call_command("load_catalogue", str(path), verbosity=0)

    assert list(Requirement.objects.order_by("position").values_list("ref", flat=True)) == ["1.1", "1.2", "2.1", "2.9"]


def mapping_document(links: list[list[str]]) -> dict[str, Any]:
    return {"mapping": {"source_framework": "town-rules", "target_framework": "region-rules", "links": links}}


def target_framework() -> dict[str, Any]:
    document = copy.deepcopy(version_one())
    document["framework"]["code"] = "region-rules"
    document["sections"] = [
        {
            "ref": "R",
            "title": text("Region"),
            "sections": [
                {"ref": "R.1", "title": text("Sub"), "requirements": [requirement("R.1.1"), requirement("R.1.2")]}
            ],
        }
    ]
    return document


@pytest.mark.django_db
def test_a_link_to_a_section_maps_every_requirement_in_it(tmp_path: Path) -> None:
    load_file(write(tmp_path, "town.yaml", version_one()))
    load_file(write(tmp_path, "region.yaml", target_framework()))

    report = load_file(
        write(tmp_path, "map.yaml", mapping_document([["1.1", "R.1", "high"], ["2.1", "R.1.2", "medium"]]))
    )

    assert len(report.created) == 3
    assert set(RequirementMapping.objects.values_list("source__ref", "target__ref", "strength")) == {
        ("1.1", "R.1.1", "high"),
        ("1.1", "R.1.2", "high"),
        ("2.1", "R.1.2", "medium"),
    }


@pytest.mark.django_db
def test_a_mapping_naming_an_unknown_requirement_is_rejected_whole(tmp_path: Path) -> None:
    load_file(write(tmp_path, "town.yaml", version_one()))
    load_file(write(tmp_path, "region.yaml", target_framework()))
    load_file(write(tmp_path, "map.yaml", mapping_document([["1.1", "R.1.1", "high"]])))
    mappings = set(RequirementMapping.objects.values_list("source__ref", "target__ref", "strength"))
    histories = history_counts()
    # Valid, this file would change 1.1's link, add one and drop none.
    path = write(
        tmp_path,
        "bad-map.yaml",
        mapping_document(
            [["1.1", "R.1.1", "medium"], ["2.1", "R.1.2", "high"], ["9.9", "R.1.1", "low"], ["1.2", "R.7", "low"]]
        ),
    )

    with pytest.raises(CatalogueError) as rejected:
        load_file(path)

    assert rejected.value.errors == [
        ("mapping.links[2][0]", "unknown requirement “9.9”"),
        ("mapping.links[3][1]", "unknown requirement “R.7”"),
    ]
    assert set(RequirementMapping.objects.values_list("source__ref", "target__ref", "strength")) == mappings
    assert mappings == {("1.1", "R.1.1", "high")}
    assert history_counts() == histories


@pytest.mark.django_db
def test_a_mapping_between_frameworks_not_loaded_is_rejected(tmp_path: Path) -> None:
    load_file(write(tmp_path, "town.yaml", version_one()))

    with pytest.raises(CatalogueError) as rejected:
        load_file(write(tmp_path, "map.yaml", mapping_document([["1.1", "R.1.1", "high"]])))

    assert rejected.value.errors == [("mapping", "framework “region-rules” is not loaded; load it first")]
    assert RequirementMapping.objects.count() == 0
