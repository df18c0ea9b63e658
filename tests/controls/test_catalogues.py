"""The shipped catalogues against the reference tables (ReCyF 2.5, the annex of 2024/2690, ANSSI's mapping).

Most checks read the YAML files without a database; one test loads them and checks what was stored.
"""

from collections import Counter

import pytest
from django.db.models import Q

from controls.catalogue_format import ParsedFramework, ParsedMapping, parse_framework, parse_mapping
from controls.catalogue_loading import CATALOGUE_DIR, load_shipped_catalogues, read_document
from controls.models import ChecklistItem, Framework, Requirement, RequirementMapping, Section

ART21_LETTERS = set("abcdefghij")
BOTH = frozenset({"important", "essential"})
ESSENTIAL_ONLY = frozenset({"essential"})
APPLICABILITY = {"EI/EE": BOTH, "EE": ESSENTIAL_ONLY}

# Main Art. 21(2) point(s) of each ReCyF objective, for the measures ANSSI's table does not map
# (a rule of the project's research notes, recorded in the notes of controls/catalogues/recyf-2.5.yaml).
OBJECTIVE_POINTS = {
    "1": "i", "2": "a", "3": "d", "4": "gi", "5": "e", "6": "ci", "7": "e", "8": "ej", "9": "e", "10": "ij",
    "11": "ij", "12": "b", "13": "c", "14": "c", "15": "cf", "16": "a", "17": "f", "18": "e", "19": "i", "20": "b",
}  # fmt: skip


@pytest.fixture(scope="module")
def recyf() -> ParsedFramework:
    return parse_framework(read_document(CATALOGUE_DIR / "recyf-2.5.yaml"))


@pytest.fixture(scope="module")
def cir() -> ParsedFramework:
    return parse_framework(read_document(CATALOGUE_DIR / "cir-2024-2690.yaml"))


@pytest.fixture(scope="module")
def mapping() -> ParsedMapping:
    return parse_mapping(read_document(CATALOGUE_DIR / "recyf-to-cir-2024-2690.yaml"))


def cir_requirement_rows(cir_rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """160 ``requirement`` rows and 5.2, a subsection without numbered points (``subsection+requirement``)."""
    return [row for row in cir_rows if "requirement" in row["level"]]


def art21_letters(cell: str) -> str:
    """``"c/e/i"`` → ``"cei"``."""
    return "".join(sorted(cell.split("/")))


def requirements_under(framework: ParsedFramework) -> dict[str, set[str]]:
    """Every reference (requirement or section) → the requirement references it designates."""
    parents = {section.ref: section.parent_ref for section in framework.sections}
    designated: dict[str, set[str]] = {}
    for requirement in framework.requirements:
        designated.setdefault(requirement.ref, set()).add(requirement.ref)
        section_ref: str | None = requirement.section_ref
        while section_ref is not None:
            designated.setdefault(section_ref, set()).add(requirement.ref)
            section_ref = parents[section_ref]
    return designated


def test_every_recyf_measure_is_there_with_its_applicability(
    recyf: ParsedFramework, recyf_rows: list[dict[str, str]]
) -> None:
    expected = {row["ref"]: APPLICABILITY[row["applies_to"]] for row in recyf_rows}

    found = {requirement.ref: requirement.applies_to for requirement in recyf.requirements}

    assert len(expected) == 152
    assert found == expected
    assert [requirement.ref for requirement in recyf.requirements] == [row["ref"] for row in recyf_rows]
    assert Counter(found.values()) == {BOTH: 76, ESSENTIAL_ONLY: 76}


def test_recyf_objectives_and_sub_objectives_match_anssi(
    recyf: ParsedFramework, recyf_rows: list[dict[str, str]]
) -> None:
    top = [section.ref for section in recyf.sections if section.parent_ref is None]
    nested = {section.ref: section.parent_ref for section in recyf.sections if section.parent_ref is not None}

    assert top == [str(number) for number in range(1, 21)]
    assert nested == {row["sub_objective"]: row["objective"] for row in recyf_rows if row["sub_objective"]}
    assert {requirement.ref: requirement.section_ref for requirement in recyf.requirements} == {
        row["ref"]: row["sub_objective"] or row["objective"] for row in recyf_rows
    }


def test_every_recyf_measure_serves_art21_points_derived_from_the_mapping(
    recyf: ParsedFramework, recyf_rows: list[dict[str, str]], cir_rows: list[dict[str, str]], mapping_rows
) -> None:
    """The catalogue's rule: the union of the points of the annex elements a measure is mapped to,
    else its objective's main point(s)."""
    points_of_annex = {row["ref"]: set(art21_letters(row["art21"])) for row in cir_rows}
    mapped: dict[str, set[str]] = {}
    for link in mapping_rows:
        mapped.setdefault(link["recyf_ref"], set()).update(points_of_annex[link["cir_ref"]])
    objective = {row["ref"]: row["objective"] for row in recyf_rows}
    expected = {ref: "".join(sorted(mapped.get(ref) or OBJECTIVE_POINTS[objective[ref]])) for ref in objective}

    found = {requirement.ref: requirement.art21 for requirement in recyf.requirements}

    assert all(points and set(points) <= ART21_LETTERS for points in found.values())
    assert found == expected
    assert sum(1 for ref in objective if ref not in mapped) == 30


def test_every_annex_requirement_is_there_with_its_art21_points(
    cir: ParsedFramework, cir_rows: list[dict[str, str]]
) -> None:
    rows = cir_requirement_rows(cir_rows)

    found = {
        requirement.ref: (requirement.art21, requirement.section_ref, requirement.applies_to)
        for requirement in cir.requirements
    }

    assert Counter(row["level"] for row in rows) == {"requirement": 160, "subsection+requirement": 1}
    assert found == {row["ref"]: (art21_letters(row["art21"]), row["parent"], BOTH) for row in rows}
    assert found["5.2"] == ("d", "5", BOTH)


def test_every_annex_point_of_a_requirement_is_a_checklist_item(
    cir: ParsedFramework, cir_rows: list[dict[str, str]]
) -> None:
    """Lettered points (1.1.1.a) become checklist items; 9.2.c.i–xii, points of a point, stay in its text.
    The reference table leaves the parent of 5.2.a and 5.2.b empty: their reference names it."""
    level = {row["ref"]: row["level"] for row in cir_rows}
    expected: dict[str, list[str]] = {}
    for row in cir_rows:
        parent = row["parent"] or row["ref"].rsplit(".", 1)[0]
        if row["level"] == "item" and "requirement" in level[parent]:
            expected.setdefault(parent, []).append(row["ref"].rsplit(".", 1)[1])

    found = {requirement.ref: [item.ref for item in requirement.items] for requirement in cir.requirements}

    assert sum(len(refs) for refs in expected.values()) == 205
    assert {ref: refs for ref, refs in found.items() if refs} == expected
    assert found["5.2"] == ["a", "b"]
    assert found["9.2"] == ["a", "b", "c"]


def test_annex_sections_match_the_regulation(cir: ParsedFramework, cir_rows: list[dict[str, str]]) -> None:
    top = [section.ref for section in cir.sections if section.parent_ref is None]
    nested = {section.ref: section.parent_ref for section in cir.sections if section.parent_ref is not None}

    assert top == [str(number) for number in range(1, 14)]
    assert nested == {row["ref"]: row["parent"] for row in cir_rows if row["level"] == "subsection"}


def test_the_mapping_file_holds_anssi_links(mapping: ParsedMapping, mapping_rows: list[dict[str, str]]) -> None:
    assert (mapping.source_code, mapping.target_code) == ("recyf", "cir-2024-2690")
    assert [(link.source_ref, link.target_ref, link.strength) for link in mapping.links] == [
        (row["recyf_ref"], row["cir_ref"], row["strength"]) for row in mapping_rows
    ]
    assert len(mapping.links) == 223


@pytest.mark.parametrize("fixture_name", ["recyf", "cir"])
def test_every_text_is_in_french_and_english(fixture_name: str, request: pytest.FixtureRequest) -> None:
    framework: ParsedFramework = request.getfixturevalue(fixture_name)
    texts = [("framework.name", framework.name), ("framework.notes", framework.notes)]
    texts += [(f"section {section.ref}", section.title) for section in framework.sections]
    for requirement in framework.requirements:
        texts += [
            (f"{requirement.ref} title", requirement.title),
            (f"{requirement.ref} statement", requirement.statement),
        ]
        texts += [(f"{requirement.ref} ({item.ref})", item.text) for item in requirement.items]

    missing = [where for where, text in texts if not text.fr.strip() or not text.en.strip()]

    assert len(texts) > 2 * len(framework.requirements)
    assert missing == []


@pytest.mark.slow  # large data: every shipped requirement, row by row (tests/fixtures/catalogues.py loads them once)
@pytest.mark.django_db
def test_loading_the_shipped_catalogues_stores_them_whole(
    recyf_rows: list[dict[str, str]],
    cir_rows: list[dict[str, str]],
    mapping_rows: list[dict[str, str]],
    cir: ParsedFramework,
) -> None:
    reports = load_shipped_catalogues()

    assert [(report.framework, len(report.created), report.updated, report.retired) for report in reports] == [
        ("recyf 2.5", 152, [], []),
        ("cir-2024-2690 2024-10-17", 161, [], []),
        ("recyf → cir-2024-2690", 223, [], []),
    ]
    recyf_stored = {
        requirement.ref: (requirement.applies_to_important, requirement.applies_to_essential)
        for requirement in Requirement.objects.filter(framework__code="recyf", retired_at__isnull=True)
    }
    assert recyf_stored == {row["ref"]: (row["applies_to"] == "EI/EE", True) for row in recyf_rows}
    assert dict(
        Requirement.objects.filter(framework__code="cir-2024-2690", retired_at__isnull=True).values_list(
            "ref", "art21_points"
        )
    ) == {row["ref"]: art21_letters(row["art21"]) for row in cir_requirement_rows(cir_rows)}
    assert Requirement.objects.exclude(art21_points__regex=r"^[a-j]+$").count() == 0
    assert ChecklistItem.objects.filter(requirement__framework__code="cir-2024-2690").count() == 205
    top_sections = Section.objects.filter(parent__isnull=True).values_list("framework__code", flat=True)
    assert Counter(top_sections) == {"recyf": 20, "cir-2024-2690": 13}

    # A link to a subsection (4.4 → 12.5) designates every requirement under it.
    designated = requirements_under(cir)
    expected_links = {
        (row["recyf_ref"], target, row["strength"]) for row in mapping_rows for target in designated[row["cir_ref"]]
    }
    stored_links = set(RequirementMapping.objects.values_list("source__ref", "target__ref", "strength"))
    assert stored_links == expected_links
    assert ("4.4", "12.5.1", "high") in stored_links
    assert ("3.A.2", "5.2", "high") in stored_links
    assert {row["recyf_ref"] for row in mapping_rows} == set(
        RequirementMapping.objects.values_list("source__ref", flat=True)
    )
    assert not RequirementMapping.objects.exclude(
        source__framework__code="recyf", target__framework__code="cir-2024-2690"
    ).exists()

    empty_text = Q(title_fr="") | Q(title_en="") | Q(statement_fr="") | Q(statement_en="")
    assert Requirement.objects.filter(empty_text).count() == 0
    assert Section.objects.filter(Q(title_fr="") | Q(title_en="")).count() == 0
    assert ChecklistItem.objects.filter(Q(text_fr="") | Q(text_en="")).count() == 0
    assert Framework.objects.filter(Q(name_fr="") | Q(name_en="")).count() == 0
