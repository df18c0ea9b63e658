"""Loading catalogue files into the database, idempotently: a new version of a framework adds,
renames (``replaces``) and retires requirements; nothing an assessment points at is deleted."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from controls.catalogue_format import (
    CatalogueError,
    ParsedFramework,
    ParsedMapping,
    ParsedRequirement,
    document_kind,
    parse_framework,
    parse_mapping,
)
from controls.models import (
    Assessment,
    ChecklistItem,
    Framework,
    Requirement,
    RequirementAssessment,
    RequirementMapping,
    Section,
)
from nis2.history import model_create, model_delete, model_update

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogues"
SHIPPED_CATALOGUES = ("recyf-2.5.yaml", "cir-2024-2690.yaml", "recyf-to-cir-2024-2690.yaml")

Progress = Callable[[int, int], None]
RETIRED_POSITION_OFFSET = 1_000_000


@dataclass
class LoadReport:
    framework: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: int = 0
    assessment_items_added: int = 0

    def summary(self) -> str:
        return (
            f"{self.framework}: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.renamed)} renamed, {len(self.retired)} retired, {self.unchanged} unchanged"
            + (
                f", {self.assessment_items_added} items added to open assessments"
                if self.assessment_items_added
                else ""
            )
        )


def read_document(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError([(str(path), f"cannot read the file: {error}")]) from error
    except yaml.YAMLError as error:
        raise CatalogueError([(str(path), f"not valid YAML: {error}")]) from error


def load_file(path: Path, *, actor: User | None = None, progress: Progress | None = None) -> LoadReport:
    document = read_document(path)
    if document_kind(document) == "mapping":
        return mapping_load(parse_mapping(document), actor=actor, progress=progress)
    return framework_load(parse_framework(document), actor=actor, progress=progress)


def load_shipped_catalogues(*, actor: User | None = None) -> list[LoadReport]:
    return [load_file(CATALOGUE_DIR / name, actor=actor) for name in SHIPPED_CATALOGUES]


def _upsert(instance: models.Model, values: Mapping[str, object], actor: User | None) -> bool:
    """Insert ``instance`` with ``values``, or save those of ``values`` that changed; whether anything was
    written."""
    if instance.pk is None:
        for name, value in values.items():
            setattr(instance, name, value)
        model_create(instance, actor=actor)
        return True
    return bool(model_update(instance, actor=actor, data=values))


@transaction.atomic
def framework_load(
    parsed: ParsedFramework, *, actor: User | None = None, progress: Progress | None = None
) -> LoadReport:
    now = timezone.now()
    report = LoadReport(framework=f"{parsed.code} {parsed.version}")
    framework = Framework.objects.filter(code=parsed.code).first() or Framework(code=parsed.code)
    values = {
        "version": parsed.version,
        "name_fr": parsed.name.fr,
        "name_en": parsed.name.en,
        "publisher": parsed.publisher,
        "published_on": parsed.published_on,
        "source_url": parsed.source_url,
        "notes_fr": parsed.notes.fr,
        "notes_en": parsed.notes.en,
    }
    _upsert(framework, values, actor)
    sections = _load_sections(framework, parsed, actor, now=now)
    requirements = {
        requirement.ref: requirement
        for requirement in Requirement.objects.filter(framework=framework).prefetch_related("checklist_items")
    }
    total = len(parsed.requirements)
    for index, parsed_requirement in enumerate(parsed.requirements, start=1):
        _load_requirement(framework, parsed_requirement, sections, requirements, report, actor)
        if progress:
            progress(index, total)
    kept = {parsed_requirement.ref for parsed_requirement in parsed.requirements}
    for ref, requirement in requirements.items():
        if ref not in kept and requirement.retired_at is None:
            # Retired requirements go after every active one.
            retired = {"retired_at": now, "position": requirement.position + RETIRED_POSITION_OFFSET}
            model_update(requirement, actor=actor, data=retired)
            report.retired.append(ref)
    report.assessment_items_added = _add_new_requirements_to_open_assessments(framework, actor)
    return report


def _load_sections(
    framework: Framework, parsed: ParsedFramework, actor: User | None, *, now: datetime.datetime
) -> dict[str, Section]:
    """The framework's sections by reference, as the file gives them; those it no longer lists are retired."""
    sections = {section.ref: section for section in Section.objects.filter(framework=framework)}
    for parsed_section in parsed.sections:
        section = sections.get(parsed_section.ref) or Section(framework=framework, ref=parsed_section.ref)
        values = {
            "title_fr": parsed_section.title.fr,
            "title_en": parsed_section.title.en,
            "position": parsed_section.position,
            "parent_id": sections[parsed_section.parent_ref].pk if parsed_section.parent_ref else None,
            "retired_at": None,
        }
        _upsert(section, values, actor)
        sections[parsed_section.ref] = section
    kept_sections = {parsed_section.ref for parsed_section in parsed.sections}
    for ref, section in sections.items():
        if ref not in kept_sections and section.retired_at is None:
            model_update(section, actor=actor, data={"retired_at": now})
    return sections


def _load_requirement(
    framework: Framework,
    parsed: ParsedRequirement,
    sections: dict[str, Section],
    requirements: dict[str, Requirement],
    report: LoadReport,
    actor: User | None,
) -> None:
    requirement = requirements.get(parsed.ref)
    if requirement is None and parsed.replaces and parsed.replaces in requirements:
        requirement = requirements.pop(parsed.replaces)
        report.renamed.append(f"{parsed.replaces} → {parsed.ref}")
    is_new = requirement is None
    requirement = requirement or Requirement(framework=framework)
    changed = _upsert(
        requirement,
        {
            "ref": parsed.ref,
            "section_id": sections[parsed.section_ref].pk,
            "title_fr": parsed.title.fr,
            "title_en": parsed.title.en,
            "statement_fr": parsed.statement.fr,
            "statement_en": parsed.statement.en,
            "applies_to_important": "important" in parsed.applies_to,
            "applies_to_essential": "essential" in parsed.applies_to,
            "art21_points": parsed.art21,
            "weight": parsed.weight,
            "position": parsed.position,
            "retired_at": None,
        },
        actor,
    )
    requirements[parsed.ref] = requirement

    existing_items = [] if is_new else list(requirement.checklist_items.all())
    wanted = [(item.ref, item.text.fr, item.text.en) for item in parsed.items]
    if [(item.ref, item.text_fr, item.text_en) for item in existing_items] != wanted:
        changed = True
        for item in existing_items:
            model_delete(item, actor=actor)
        for position, (ref, text_fr, text_en) in enumerate(wanted):
            model_create(
                ChecklistItem(requirement=requirement, ref=ref, text_fr=text_fr, text_en=text_en, position=position),
                actor=actor,
            )
    if is_new:
        report.created.append(parsed.ref)
    elif changed:
        report.updated.append(parsed.ref)
    else:
        report.unchanged += 1


def _add_new_requirements_to_open_assessments(framework: Framework, actor: User | None) -> int:
    """Draft and in-progress assessments gain the requirements a new version adds;
    validated assessments stay as they were validated."""
    added = 0
    open_assessments = Assessment.objects.filter(framework=framework).exclude(status=Assessment.Status.VALIDATED)
    for assessment in open_assessments:
        present = set(assessment.items.values_list("requirement_id", flat=True))
        missing = (
            Requirement.objects.filter(framework=framework)
            .active()
            .applicable_to(assessment.entity_category)
            .exclude(pk__in=present)
        )
        new_items = [RequirementAssessment(assessment=assessment, requirement=requirement) for requirement in missing]
        bulk_create_with_history(new_items, RequirementAssessment, default_user=actor)
        added += len(new_items)
    return added


@transaction.atomic
def mapping_load(parsed: ParsedMapping, *, actor: User | None = None, progress: Progress | None = None) -> LoadReport:
    """Load a correspondence table. A link to a section (e.g. annex 12.5) links every requirement in it."""
    report = LoadReport(framework=f"{parsed.source_code} → {parsed.target_code}")
    wanted = _wanted_links(parsed)
    existing = {
        (mapping.source_id, mapping.target_id): mapping
        for mapping in RequirementMapping.objects.filter(
            source__framework__code=parsed.source_code, target__framework__code=parsed.target_code
        )
    }
    for position, (pair, strength) in enumerate(wanted.items(), start=1):
        mapping = existing.pop(pair, None)
        if mapping is None:
            model_create(RequirementMapping(source_id=pair[0], target_id=pair[1], strength=strength), actor=actor)
            report.created.append(f"{pair[0]}→{pair[1]}")
        elif model_update(mapping, actor=actor, data={"strength": strength}):
            report.updated.append(f"{pair[0]}→{pair[1]}")
        else:
            report.unchanged += 1
        if progress:
            progress(position, len(wanted))
    for mapping in existing.values():
        model_delete(mapping, actor=actor)
        report.retired.append(f"{mapping.source_id}→{mapping.target_id}")
    return report


def _wanted_links(parsed: ParsedMapping) -> dict[tuple[int, int], str]:
    """The strength of each (source requirement id, target requirement id) pair the table links."""
    endpoints, errors = _mapping_endpoints(parsed)
    if errors:
        raise CatalogueError(errors)
    wanted: dict[tuple[int, int], str] = {}
    for index, link in enumerate(parsed.links):
        sources = endpoints[parsed.source_code].get(link.source_ref)
        targets = endpoints[parsed.target_code].get(link.target_ref)
        if not sources:
            errors.append((f"mapping.links[{index}][0]", f"unknown requirement “{link.source_ref}”"))
        if not targets:
            errors.append((f"mapping.links[{index}][1]", f"unknown requirement “{link.target_ref}”"))
        for source in sources or []:
            for target in targets or []:
                wanted[(source.pk, target.pk)] = link.strength
    if errors:
        raise CatalogueError(errors)
    return wanted


def _mapping_endpoints(
    parsed: ParsedMapping,
) -> tuple[dict[str, dict[str, list[Requirement]]], list[tuple[str, str]]]:
    """For both frameworks, the active requirements each reference names: a requirement's own, and each of its
    sections' (a link to a section links every requirement in it); and the frameworks not loaded."""
    errors: list[tuple[str, str]] = []
    endpoints = {}
    for code in (parsed.source_code, parsed.target_code):
        framework = Framework.objects.filter(code=code).first()
        if framework is None:
            errors.append(("mapping", f"framework “{code}” is not loaded; load it first"))
            continue
        by_ref: dict[str, list[Requirement]] = {}
        active = Requirement.objects.filter(framework=framework).active().select_related("section__parent__parent")
        for requirement in active:
            by_ref.setdefault(requirement.ref, []).append(requirement)
            section: Section | None = requirement.section
            while section is not None:
                if section.ref != requirement.ref:
                    by_ref.setdefault(section.ref, []).append(requirement)
                section = section.parent
        endpoints[code] = by_ref
    return endpoints, errors
