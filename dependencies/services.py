"""Writes of the dependency map: components, the all-or-nothing import, the shared catalogue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, Unpack, cast

import yaml
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dependencies import columns, selectors, tabular
from dependencies.columns import ImportCatalogue, ParsedRow
from dependencies.fields import ComponentFields
from dependencies.models import Component, DependencySharing, Domain, LegalEntity, Product
from nis2.history import model_create, model_delete, model_update, model_upsert
from nis2.models import Organisation

DATA_DIR = Path(__file__).resolve().parent / "data"
CatalogueEntry = TypeVar("CatalogueEntry", LegalEntity, Product, Domain)


@transaction.atomic
def component_create(*, organisation: Organisation, actor: User | None, **fields: Unpack[ComponentFields]) -> Component:
    """A new component; ``fields`` are the keyword arguments ``ComponentFields`` declares, typed."""
    _check_catalogue_visible(
        organisation,
        product=fields.get("product"),
        operator=fields.get("operator"),
        hosting_provider=fields.get("hosting_provider"),
    )
    return model_create(Component(organisation=organisation, **fields), actor=actor)


@transaction.atomic
def component_update(*, component: Component, actor: User | None, **changes: Unpack[ComponentFields]) -> Component:
    """Save what changed among ``changes`` (keyword arguments ``ComponentFields`` declares, typed)."""
    _check_catalogue_visible(
        component.organisation,
        product=changes.get("product", component.product),
        operator=changes.get("operator", component.operator),
        hosting_provider=changes.get("hosting_provider", component.hosting_provider),
    )
    model_update(component, actor=actor, data=changes)
    return component


@transaction.atomic
def component_delete(*, component: Component, actor: User | None) -> None:
    model_delete(component, actor=actor)


def _check_catalogue_visible(
    organisation: Organisation,
    *,
    product: Product | None,
    operator: LegalEntity | None,
    hosting_provider: LegalEntity | None,
) -> None:
    """Products and entities must come from the shared catalogue or the organisation's own additions."""

    def visible(entry: Product | LegalEntity | None) -> bool:
        return entry is None or entry.organisation_id is None or entry.organisation_id == organisation.pk

    errors = {}
    if not visible(product):
        errors["product"] = _("Unknown product.")
    for name, entity in (("operator", operator), ("hosting_provider", hosting_provider)):
        if not visible(entity):
            errors[name] = _("Unknown legal entity.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def sharing_set(*, organisation: Organisation, share_with_parent: bool, actor: User | None) -> DependencySharing:
    sharing = selectors.sharing_of(organisation)
    if sharing is None:
        return model_create(
            DependencySharing(organisation=organisation, share_with_parent=share_with_parent), actor=actor
        )
    model_update(sharing, actor=actor, data={"share_with_parent": share_with_parent})
    return sharing


# --- Import -------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    catalogue_added: list[str] = field(default_factory=list)  # products and vendors added for the organisation


@dataclass
class _Import:
    """One import under way: what it can refer to, who makes it, what it did so far."""

    organisation: Organisation
    actor: User | None
    catalogue: ImportCatalogue
    existing: dict[str, Component]
    report: ImportReport = field(default_factory=ImportReport)


def _free_key(model: type[LegalEntity | Product], name: str, organisation: Organisation) -> str:
    """A slug of the name not yet used by the organisation's own additions ("acme", "acme-2"...)."""
    base = slugify(name)[:90] or "entry"
    taken = set(model.objects.filter(organisation=organisation, key__startswith=base).values_list("key", flat=True))
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


def _entity(run: _Import, name: str, country: str) -> LegalEntity:
    found = run.catalogue.entities.get(name.casefold())
    if found is not None:
        return found
    entity = LegalEntity(
        key=_free_key(LegalEntity, name, run.organisation),
        name=name,
        country=country,
        verified=False,
        organisation=run.organisation,
    )
    model_create(entity, actor=run.actor)
    run.catalogue.entities[name.casefold()] = entity
    run.report.catalogue_added.append(_("vendor “%(name)s”") % {"name": name})
    return entity


def _product(run: _Import, row: ParsedRow) -> Product:
    name = row.text("product")
    found = run.catalogue.products.get(name.casefold())
    if found is not None:
        return found
    product = Product(
        key=_free_key(Product, name, run.organisation),
        name=name,
        publisher=_entity(run, row.text("vendor"), row.text("vendor_country")),
        licence_model=Product.LicenceModel.PROPRIETARY,
        verified=False,
        organisation=run.organisation,
    )
    model_create(product, actor=run.actor)
    product.domains.add(cast(Domain, row.values["domain"]))  # a required column, read as a Domain
    run.catalogue.products[name.casefold()] = product
    run.report.catalogue_added.append(_("product “%(name)s”") % {"name": name})
    return product


def _parse_rows(rows: list[dict[str, str]], catalogue: ImportCatalogue) -> list[tuple[int, ParsedRow]]:
    """Every row read and checked against the columns' declarations; one error rejects the file."""
    parsed, errors = [], []
    seen_names: dict[str, int] = {}
    for number, cells in enumerate(rows, start=2):  # the header is row 1
        row = columns.parse_row(cells, catalogue)
        errors += [tabular.RowError(number, column, message) for column, message in row.errors]
        key = row.text("name").casefold()
        if key and key in seen_names:
            errors.append(tabular.RowError(number, "name", _("same name as row %(row)s") % {"row": seen_names[key]}))
        seen_names.setdefault(key, number)
        parsed.append((number, row))
    if errors:
        raise tabular.FileRejected(errors)
    return parsed


@transaction.atomic
def components_import(*, organisation: Organisation, actor: User | None, content: bytes, filename: str) -> ImportReport:
    """All or nothing: every row is checked first; one bad row rejects the file, listing every error
    by row and column, and nothing is written. A valid file upserts components by name."""
    catalogue = selectors.import_catalogue(organisation)
    parsed = _parse_rows(tabular.read(content, filename), catalogue)
    existing = {
        component.name.casefold(): component for component in Component.objects.filter(organisation=organisation)
    }
    run = _Import(organisation, actor, catalogue, existing)
    for number, row in parsed:
        try:
            _import_row(run, row)
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            raise tabular.FileRejected(
                [
                    tabular.RowError(number, column if column != "__all__" else None, " ".join(texts))
                    for column, texts in messages.items()
                ]
            ) from error
    return run.report


def _operator(run: _Import, row: ParsedRow, role: str) -> LegalEntity | None:
    name = row.text(role)
    if not name:
        return None
    if name.casefold() == row.text("vendor").casefold():  # the vendor runs it: add the vendor if new
        return _entity(run, row.text("vendor"), row.text("vendor_country"))
    return run.catalogue.entities[name.casefold()]


def _import_row(run: _Import, row: ParsedRow) -> None:
    wanted: dict[str, Any] = {name: row.values[name] for name in columns.PLAIN_FIELDS}
    wanted["product"] = _product(run, row)
    wanted["operator"] = _operator(run, row, "operator")
    wanted["hosting_provider"] = _operator(run, row, "hosting_provider")
    name = row.text("name")
    component = run.existing.get(name.casefold())
    # The columns' readers give each field its type (dependencies/columns.py).
    if component is None:
        new = cast(ComponentFields, {**wanted, "name": name})
        run.existing[name.casefold()] = component_create(organisation=run.organisation, actor=run.actor, **new)
        run.report.created.append(name)
    elif any(getattr(component, field_name) != value for field_name, value in wanted.items()):
        component_update(component=component, actor=run.actor, **cast(ComponentFields, wanted))
        run.report.updated.append(name)
    else:
        run.report.unchanged.append(name)


def component_rows(components: list[Component]) -> list[dict[str, object]]:
    """Components in the import format (export gives back what import takes)."""
    return [columns.export_row(component) for component in components]


# --- Shared catalogue ---------------------------------------------------------------------------


@transaction.atomic
def load_domains(path: Path = DATA_DIR / "domains.yaml") -> int:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in document["domains"]:
        _upsert(
            Domain,
            code=entry["code"],
            defaults={
                "block": entry["block"],
                "name_fr": entry["name"]["fr"],
                "name_en": entry["name"]["en"],
                "description_fr": entry.get("description", {}).get("fr", ""),
                "description_en": entry.get("description", {}).get("en", ""),
            },
        )
    return len(document["domains"])


def _partial_date(value: object) -> datetime.date | None:
    """ "2014" or "2025-08" (the precision the sources give) as the first day of that year or month."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    parts = [int(part) for part in str(value).split("-")]
    return datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _upsert(model: type[CatalogueEntry], *, defaults: dict[str, Any], **lookup: Any) -> CatalogueEntry:
    """The system loads the catalogue: no author, and the data file is trusted as it stands (no validation)."""
    return model_upsert(model, actor=None, defaults=defaults, validate=False, **lookup)


def _shared_entry(model: type[CatalogueEntry], entry: dict[str, Any], **defaults: Any) -> CatalogueEntry:
    """A shared catalogue entry from the seed file: what every entry has, plus ``defaults``."""
    common = {"name": entry["name"], "verified": entry.get("verified", True), "notes": entry.get("notes") or ""}
    return _upsert(model, key=entry["key"], organisation=None, defaults={**common, **defaults})


def _load_entities(document: dict[str, Any]) -> dict[str, LegalEntity]:
    entities: dict[str, LegalEntity] = {}
    for entry in document["legal_entities"]:
        entity = _shared_entry(
            LegalEntity,
            entry,
            identifier=entry.get("identifier") or "",
            country=entry["country"],
            source=entry.get("source") or "",
            as_of=document.get("as_of"),
            parent_since=_partial_date(entry.get("parent_since")),
        )
        entities[entity.key] = entity
    for entry in document["legal_entities"]:  # parents once every entity exists
        entity = entities[entry["key"]]
        parent = entities.get(entry["parent"]) if entry.get("parent") else None
        if entity.parent_id != (parent.pk if parent else None):
            model_update(entity, actor=None, data={"parent": parent}, validate=False)
    return entities


def _load_products(document: dict[str, Any], entities: dict[str, LegalEntity]) -> dict[str, Product]:
    domains = {domain.code: domain for domain in Domain.objects.all()}
    products: dict[str, Product] = {}
    for entry in document["products"]:
        product = _shared_entry(
            Product,
            entry,
            publisher=entities[entry["publisher"]],
            licence_model=entry["licence_model"],
            spdx=entry.get("spdx") or "",
            sill_id=str(entry.get("sill_id") or ""),
            wikidata=entry.get("wikidata") or "",
            comptoir_id=str(entry.get("comptoir_id") or ""),
        )
        product.domains.set([domains[code] for code in entry.get("domains", []) if code in domains])
        products[product.key] = product
    for entry in document["products"]:  # alternatives once every product exists
        products[entry["key"]].alternatives.set(
            [products[key] for key in entry.get("alternatives", []) if key in products]
        )
    return products


@transaction.atomic
def load_seed_catalogue(path: Path = DATA_DIR / "seed-catalogue.yaml") -> tuple[int, int]:
    """Load or update the shared catalogue of legal entities and products, idempotently."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    entities = _load_entities(document)
    products = _load_products(document, entities)
    return len(entities), len(products)
