"""The ENISA / CSIRTs-network Reference Security Incident Taxonomy (RSIT v1003), read once from the
shipped data file. Incidents store the class and type machine tags."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from nis2.bilingual import current_language

TAXONOMY_FILE = Path(__file__).resolve().parent / "data" / "rsit-taxonomy.yaml"


@dataclass(frozen=True)
class TaxonomyType:
    tag: str
    name: dict[str, str]
    description: dict[str, str]


@dataclass(frozen=True)
class TaxonomyClass:
    tag: str
    name: dict[str, str]
    description: dict[str, str]
    types: tuple[TaxonomyType, ...]


@cache
def classes() -> tuple[TaxonomyClass, ...]:
    document = yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))
    return tuple(
        TaxonomyClass(
            tag=entry["tag"],
            name=entry["name"],
            description=entry["description"],
            types=tuple(TaxonomyType(t["tag"], t["name"], t["description"]) for t in entry["types"]),
        )
        for entry in document["classes"]
    )


def class_by_tag(tag: str) -> TaxonomyClass | None:
    return next((entry for entry in classes() if entry.tag == tag), None)


def type_belongs_to(class_tag: str, type_tag: str) -> bool:
    entry = class_by_tag(class_tag)
    return entry is not None and any(item.tag == type_tag for item in entry.types)


def subcategory_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    language = current_language()
    return [(entry.name[language], [(item.tag, item.name[language]) for item in entry.types]) for entry in classes()]


def label(class_tag: str, type_tag: str = "") -> str:
    language = current_language()
    entry = class_by_tag(class_tag)
    if entry is None:
        return class_tag
    if not type_tag:
        return entry.name[language]
    item = next((item for item in entry.types if item.tag == type_tag), None)
    return f"{entry.name[language]} — {item.name[language] if item else type_tag}"
