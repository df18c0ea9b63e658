"""Reading catalogue files (see controls/catalogues/FORMAT.md) into plain data, with every error
reported by its path in the file. No database access here."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

ART21_LETTERS = frozenset("abcdefghij")
CATEGORIES = frozenset({"important", "essential"})
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
STRENGTHS = frozenset({"high", "medium", "low"})


@dataclass(frozen=True)
class Text:
    fr: str
    en: str


@dataclass(frozen=True)
class ParsedItem:
    ref: str
    text: Text


@dataclass(frozen=True)
class ParsedSection:
    ref: str
    title: Text
    parent_ref: str | None
    position: int


@dataclass(frozen=True)
class ParsedRequirement:
    ref: str
    section_ref: str
    title: Text
    statement: Text
    applies_to: frozenset[str]
    art21: str
    weight: int
    position: int
    items: tuple[ParsedItem, ...] = ()
    replaces: str | None = None


@dataclass
class ParsedFramework:
    code: str
    version: str
    name: Text
    publisher: str
    published_on: datetime.date | None
    source_url: str
    notes: Text
    sections: list[ParsedSection] = field(default_factory=list)
    requirements: list[ParsedRequirement] = field(default_factory=list)


@dataclass(frozen=True)
class ParsedLink:
    source_ref: str
    target_ref: str
    strength: str


@dataclass
class ParsedMapping:
    source_code: str
    target_code: str
    links: list[ParsedLink]


class CatalogueError(Exception):
    """The file is rejected whole; ``errors`` lists ``(path, reason)`` pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{path}: {reason}" for path, reason in errors))


class _Reader:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def fail(self, path: str, reason: str) -> None:
        self.errors.append((path, reason))

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, "expected a mapping")
            return {}
        return value

    def string(self, value: Any, path: str, *, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(path, "expected a non-empty text")
            return ""
        return value.strip()

    def text(self, value: Any, path: str, *, required: bool = True) -> Text:
        if value is None and not required:
            return Text("", "")
        data = self.mapping(value, path)
        return Text(
            fr=self.string(data.get("fr"), f"{path}.fr", required=required),
            en=self.string(data.get("en"), f"{path}.en", required=required),
        )

    def items(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, "expected a list")
            return []
        return value


def parse_framework(document: Any) -> ParsedFramework:
    reader = _Reader()
    root = reader.mapping(document, "$")
    header = reader.mapping(root.get("framework"), "framework")
    code = reader.string(header.get("code"), "framework.code")
    if code and not CODE_PATTERN.match(code):
        reader.fail("framework.code", "use lowercase letters, digits and hyphens")
    published_on = header.get("published_on")
    if published_on is not None and not isinstance(published_on, datetime.date):
        try:
            published_on = datetime.date.fromisoformat(str(published_on))
        except ValueError:
            reader.fail("framework.published_on", "expected an ISO date (YYYY-MM-DD)")
            published_on = None
    framework = ParsedFramework(
        code=code,
        version=reader.string(header.get("version"), "framework.version"),
        name=reader.text(header.get("name"), "framework.name"),
        publisher=reader.string(header.get("publisher"), "framework.publisher"),
        published_on=published_on,
        source_url=reader.string(header.get("source_url"), "framework.source_url", required=False),
        notes=reader.text(header.get("notes"), "framework.notes", required=False),
    )
    sections = reader.items(root.get("sections"), "sections")
    if not sections:
        reader.fail("sections", "a framework needs at least one section")
    _read_sections(reader, framework, sections, "sections", parent_ref=None)
    _check_unique(reader, [(f"sections[{s.ref}]", s.ref) for s in framework.sections], "section")
    _check_unique(reader, [(f"requirements[{r.ref}]", r.ref) for r in framework.requirements], "requirement")
    if not framework.requirements:
        reader.fail("sections", "a framework needs at least one requirement")
    if reader.errors:
        raise CatalogueError(reader.errors)
    return framework


def _read_sections(
    reader: _Reader, framework: ParsedFramework, sections: list[Any], path: str, parent_ref: str | None
) -> None:
    for index, raw in enumerate(sections):
        section_path = f"{path}[{index}]"
        data = reader.mapping(raw, section_path)
        ref = reader.string(data.get("ref"), f"{section_path}.ref")
        framework.sections.append(
            ParsedSection(
                ref=ref,
                title=reader.text(data.get("title"), f"{section_path}.title"),
                parent_ref=parent_ref,
                position=len(framework.sections),
            )
        )
        _read_sections(
            reader,
            framework,
            reader.items(data.get("sections"), f"{section_path}.sections"),
            f"{section_path}.sections",
            parent_ref=ref,
        )
        for requirement_index, raw_requirement in enumerate(
            reader.items(data.get("requirements"), f"{section_path}.requirements")
        ):
            framework.requirements.append(
                _read_requirement(
                    reader,
                    raw_requirement,
                    f"{section_path}.requirements[{requirement_index}]",
                    ref,
                    position=len(framework.requirements),
                )
            )


def _read_requirement(reader: _Reader, raw: Any, path: str, section_ref: str, position: int) -> ParsedRequirement:
    data = reader.mapping(raw, path)
    applies_to = data.get("applies_to")
    if not isinstance(applies_to, list) or not applies_to or not set(applies_to) <= CATEGORIES:
        reader.fail(f"{path}.applies_to", "expected a non-empty list of: important, essential")
        applies_to = []
    art21 = data.get("art21")
    if not isinstance(art21, list) or not art21 or not {str(point) for point in art21} <= ART21_LETTERS:
        reader.fail(f"{path}.art21", "expected a non-empty list of Article 21(2) points, letters a to j")
        art21 = []
    weight = data.get("weight", 1)
    if not isinstance(weight, int) or isinstance(weight, bool) or weight < 1:
        reader.fail(f"{path}.weight", "expected a positive whole number")
        weight = 1
    items = []
    for item_index, raw_item in enumerate(reader.items(data.get("items"), f"{path}.items")):
        item_path = f"{path}.items[{item_index}]"
        item = reader.mapping(raw_item, item_path)
        items.append(
            ParsedItem(
                ref=reader.string(item.get("ref"), f"{item_path}.ref"),
                text=reader.text(item.get("text"), f"{item_path}.text"),
            )
        )
    _check_unique(reader, [(f"{path}.items", item.ref) for item in items], "item")
    replaces = data.get("replaces")
    return ParsedRequirement(
        ref=reader.string(data.get("ref"), f"{path}.ref"),
        section_ref=section_ref,
        title=reader.text(data.get("title"), f"{path}.title"),
        statement=reader.text(data.get("statement"), f"{path}.statement"),
        applies_to=frozenset(applies_to),
        art21="".join(sorted({str(point) for point in art21})),
        weight=weight,
        position=position,
        items=tuple(items),
        replaces=reader.string(replaces, f"{path}.replaces") if replaces is not None else None,
    )


def _check_unique(reader: _Reader, entries: list[tuple[str, str]], what: str) -> None:
    seen: set[str] = set()
    for path, ref in entries:
        if ref and ref in seen:
            reader.fail(path, f"duplicate {what} reference “{ref}”")
        seen.add(ref)


def parse_mapping(document: Any) -> ParsedMapping:
    reader = _Reader()
    root = reader.mapping(reader.mapping(document, "$").get("mapping"), "mapping")
    links = []
    for index, raw in enumerate(reader.items(root.get("links"), "mapping.links")):
        path = f"mapping.links[{index}]"
        if not isinstance(raw, list) or len(raw) != 3:
            reader.fail(path, "expected [source_ref, target_ref, strength]")
            continue
        source_ref, target_ref, strength = (str(value) for value in raw)
        if strength not in STRENGTHS:
            reader.fail(f"{path}[2]", "strength must be high, medium or low")
        links.append(ParsedLink(source_ref, target_ref, strength))
    mapping = ParsedMapping(
        source_code=reader.string(root.get("source_framework"), "mapping.source_framework"),
        target_code=reader.string(root.get("target_framework"), "mapping.target_framework"),
        links=links,
    )
    if not links:
        reader.fail("mapping.links", "a mapping needs at least one link")
    if reader.errors:
        raise CatalogueError(reader.errors)
    return mapping


def document_kind(document: Any) -> str:
    if isinstance(document, dict) and "mapping" in document:
        return "mapping"
    return "framework"
