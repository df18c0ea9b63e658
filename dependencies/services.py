"""Writes of the dependency map: components, the all-or-nothing import, the shared catalogue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dependencies import tabular
from dependencies.models import Component, DependencySharing, Deployment, Domain, LegalEntity, Product
from nis2.history import save_with_author as _save
from nis2.models import Organisation

DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def component_create(*, organisation: Organisation, actor: AbstractBaseUser, **fields: Any) -> Component:
    component = Component(organisation=organisation, **fields)
    _check_catalogue_visible(component, organisation)
    _save(component, actor)
    return component


@transaction.atomic
def component_update(*, component: Component, actor: AbstractBaseUser, **fields: Any) -> Component:
    for name, value in fields.items():
        setattr(component, name, value)
    _check_catalogue_visible(component, component.organisation)
    _save(component, actor)
    return component


@transaction.atomic
def component_delete(*, component: Component, actor: AbstractBaseUser) -> None:
    component._history_user = actor  # type: ignore[attr-defined]
    component.delete()


def _check_catalogue_visible(component: Component, organisation: Organisation) -> None:
    """Products and entities must come from the shared catalogue or the organisation's own additions."""

    def visible(organisation_id: int | None) -> bool:
        return organisation_id is None or organisation_id == organisation.pk

    errors = {}
    if component.product_id and not visible(component.product.organisation_id):
        errors["product"] = _("Unknown product.")
    for name in ("operator", "hosting_provider"):
        entity = getattr(component, name)
        if entity is not None and not visible(entity.organisation_id):
            errors[name] = _("Unknown legal entity.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def sharing_set(*, organisation: Organisation, share_with_parent: bool, actor: AbstractBaseUser) -> DependencySharing:
    sharing, _created = DependencySharing.objects.get_or_create(organisation=organisation)
    sharing.share_with_parent = share_with_parent
    _save(sharing, actor)
    return sharing


# --- Import -------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    catalogue_added: list[str] = field(default_factory=list)  # products and vendors added for the organisation


BOOLEAN_COLUMNS = (
    "legal_obligation",
    "full_export_open_formats",
    "open_standards_apis",
    "alternative_exists",
    "reversibility",
)


class _Catalogue:
    """What an import can refer to, looked up by name, plus what the import adds."""

    def __init__(self, organisation: Organisation) -> None:
        visible = Q(organisation__isnull=True) | Q(organisation=organisation)
        self.organisation = organisation
        self.domains = {domain.code.upper(): domain for domain in Domain.objects.all()}
        self.entities = {entity.name.casefold(): entity for entity in LegalEntity.objects.filter(visible)}
        self.products = {
            product.name.casefold(): product for product in Product.objects.filter(visible).select_related("publisher")
        }


def _parse_row(
    row: dict[str, str], number: int, catalogue: _Catalogue
) -> tuple[dict[str, Any], list[tabular.RowError]]:
    errors: list[tabular.RowError] = []
    values: dict[str, Any] = {}

    def fail(column: str, message: str) -> None:
        errors.append(tabular.RowError(number, column, message))

    for column in tabular.REQUIRED:
        if not row.get(column, "").strip():
            fail(column, _("required"))
    values["name"] = row.get("name", "").strip()[:200]
    domain_code = row.get("domain", "").strip().upper()
    if domain_code and domain_code not in catalogue.domains:
        fail("domain", _("unknown domain “%(code)s”: use a code D01 to D18") % {"code": domain_code})
    values["domain"] = catalogue.domains.get(domain_code)
    deployment = row.get("deployment", "").strip()
    if deployment and deployment not in Deployment.values:
        fail("deployment", _("expected one of: %(values)s") % {"values": ", ".join(Deployment.values)})
    values["deployment"] = deployment
    for column in ("hosting_country", "data_country", "vendor_country"):
        code = row.get(column, "").strip().upper()
        if code and (len(code) != 2 or not code.isalpha()):
            fail(column, _("expected an ISO 3166-1 alpha-2 country code, e.g. FR"))
        values[column] = code
    criticality = tabular.parse_int(row.get("criticality", "") or "x")
    if row.get("criticality", "").strip() and (criticality is None or not 1 <= criticality <= 4):
        fail("criticality", _("expected a whole number from 1 to 4"))
    values["criticality"] = criticality
    sensitivity = row.get("data_sensitivity", "").strip() or Component.Sensitivity.INTERNAL
    if sensitivity not in Component.Sensitivity.values:
        fail("data_sensitivity", _("expected one of: %(values)s") % {"values": ", ".join(Component.Sensitivity.values)})
    values["data_sensitivity"] = sensitivity
    for column in ("users", "dependent_components"):
        text = row.get(column, "").strip()
        number_value = tabular.parse_int(text) if text else (0 if column == "dependent_components" else None)
        if text and (number_value is None or number_value < 0):
            fail(column, _("expected a whole number"))
        values[column] = number_value
    cost = tabular.parse_decimal(row.get("annual_cost_eur", ""))
    if cost is None or cost < 0:
        fail("annual_cost_eur", _("expected an amount in euros, e.g. 12500.00"))
    values["annual_cost_eur"] = cost
    contract_end = row.get("contract_end", "").strip()
    values["contract_end"] = tabular.parse_date(contract_end) if contract_end else None
    if contract_end and values["contract_end"] is None:
        fail("contract_end", _("expected a date as YYYY-MM-DD"))
    elif values["contract_end"] and not tabular.EARLIEST_DATE <= values["contract_end"] <= tabular.LATEST_DATE:
        fail(
            "contract_end",
            _("expected a date from %(earliest)s to %(latest)s")
            % {"earliest": tabular.EARLIEST_DATE.isoformat(), "latest": tabular.LATEST_DATE.isoformat()},
        )
    for column in BOOLEAN_COLUMNS:
        flag = tabular.parse_bool(row.get(column, ""))
        if flag is None:
            fail(column, _("expected yes or no"))
        values[column] = bool(flag)
    if values["legal_obligation"] and criticality is not None and criticality < 3:
        fail("criticality", _("a component supporting a legal obligation has a criticality of 3 at least"))
    strategy = row.get("strategy", "").strip()
    if strategy and strategy not in Component.Strategy.values:
        fail("strategy", _("expected one of: %(values)s") % {"values": ", ".join(Component.Strategy.values)})
    values["strategy"] = strategy
    values["notes"] = row.get("notes", "").strip()
    values["product_name"], values["vendor_name"] = row.get("product", "").strip(), row.get("vendor", "").strip()
    values["operator_name"], values["hosting_name"] = (
        row.get("operator", "").strip(),
        row.get("hosting_provider", "").strip(),
    )
    vendor_known = values["vendor_name"].casefold() in catalogue.entities
    product_known = values["product_name"].casefold() in catalogue.products
    vendor_runs_it = values["vendor_name"].casefold() in {
        values["operator_name"].casefold(),
        values["hosting_name"].casefold(),
    }
    if (
        values["vendor_name"]
        and not vendor_known
        and (not product_known or vendor_runs_it)
        and not values["vendor_country"]
    ):
        fail(
            "vendor_country",
            _("“%(vendor)s” is not in the catalogue: give its head-office country to add it")
            % {"vendor": values["vendor_name"]},
        )
    for column, key in (("operator", "operator_name"), ("hosting_provider", "hosting_name")):
        if (
            values[key]
            and values[key].casefold() not in catalogue.entities
            and values[key].casefold() != values["vendor_name"].casefold()
        ):
            fail(column, _("“%(entity)s” is not in the catalogue of legal entities") % {"entity": values[key]})
    return values, errors


def _free_key(model: Any, name: str, organisation: Organisation) -> str:
    """A slug of the name not yet used by the organisation's own additions ("acme", "acme-2"...)."""
    base = slugify(name)[:90] or "entry"
    taken = set(model.objects.filter(organisation=organisation, key__startswith=base).values_list("key", flat=True))
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


def _entity(
    catalogue: _Catalogue, name: str, country: str, report: ImportReport, actor: AbstractBaseUser
) -> LegalEntity:
    found = catalogue.entities.get(name.casefold())
    if found is not None:
        return found
    entity = LegalEntity(
        key=_free_key(LegalEntity, name, catalogue.organisation),
        name=name,
        country=country,
        verified=False,
        organisation=catalogue.organisation,
    )
    _save(entity, actor)
    catalogue.entities[name.casefold()] = entity
    report.catalogue_added.append(_("vendor “%(name)s”") % {"name": name})
    return entity


def _product(catalogue: _Catalogue, values: dict[str, Any], report: ImportReport, actor: AbstractBaseUser) -> Product:
    found = catalogue.products.get(values["product_name"].casefold())
    if found is not None:
        return found
    publisher = _entity(catalogue, values["vendor_name"], values["vendor_country"], report, actor)
    product = Product(
        key=_free_key(Product, values["product_name"], catalogue.organisation),
        name=values["product_name"],
        publisher=publisher,
        licence_model=Product.LicenceModel.PROPRIETARY,
        verified=False,
        organisation=catalogue.organisation,
    )
    _save(product, actor)
    product.domains.add(values["domain"])
    catalogue.products[values["product_name"].casefold()] = product
    report.catalogue_added.append(_("product “%(name)s”") % {"name": values["product_name"]})
    return product


# The file's columns that are plain fields of the component (the others name catalogue entries).
COMPONENT_FIELDS = tuple(
    column
    for column in tabular.COLUMNS
    if column not in {"name", "product", "vendor", "vendor_country", "operator", "hosting_provider"}
)


@transaction.atomic
def components_import(
    *, organisation: Organisation, actor: AbstractBaseUser, content: bytes, filename: str
) -> ImportReport:
    """All or nothing: every row is checked first; one bad row rejects the file, listing every error
    by row and column, and nothing is written. A valid file upserts components by name."""
    rows = tabular.read(content, filename)
    catalogue = _Catalogue(organisation)
    parsed, errors = [], []
    seen_names: dict[str, int] = {}
    for offset, row in enumerate(rows):
        number = offset + 2  # the header is row 1
        values, row_errors = _parse_row(row, number, catalogue)
        key = values["name"].casefold()
        if key and key in seen_names:
            row_errors.append(
                tabular.RowError(number, "name", _("same name as row %(row)s") % {"row": seen_names[key]})
            )
        seen_names.setdefault(key, number)
        errors += row_errors
        parsed.append((number, values))
    if errors:
        raise tabular.FileRejected(errors)
    report = ImportReport()
    existing = {
        component.name.casefold(): component for component in Component.objects.filter(organisation=organisation)
    }
    for number, values in parsed:
        try:
            _import_row(organisation, catalogue, existing, values, report, actor)
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            raise tabular.FileRejected(
                [
                    tabular.RowError(number, column if column != "__all__" else None, " ".join(texts))
                    for column, texts in messages.items()
                ]
            ) from error
    return report


def _import_row(
    organisation: Organisation,
    catalogue: _Catalogue,
    existing: dict[str, Component],
    values: dict[str, Any],
    report: ImportReport,
    actor: AbstractBaseUser,
) -> None:
    product = _product(catalogue, values, report, actor)
    wanted = {name: values[name] for name in COMPONENT_FIELDS}
    wanted["product"] = product
    for role, key in (("operator", "operator_name"), ("hosting_provider", "hosting_name")):
        name = values[key]
        if not name:
            wanted[role] = None
        elif name.casefold() == values["vendor_name"].casefold():  # the vendor runs it: add the vendor if new
            wanted[role] = _entity(catalogue, values["vendor_name"], values["vendor_country"], report, actor)
        else:
            wanted[role] = catalogue.entities[name.casefold()]
    component = existing.get(values["name"].casefold())
    if component is None:
        existing[values["name"].casefold()] = component_create(
            organisation=organisation, actor=actor, name=values["name"], **wanted
        )
        report.created.append(values["name"])
    elif any(getattr(component, name) != value for name, value in wanted.items()):
        component_update(component=component, actor=actor, **wanted)
        report.updated.append(values["name"])
    else:
        report.unchanged.append(values["name"])


def component_rows(components: list[Component]) -> list[dict[str, object]]:
    """Components in the import format (export gives back what import takes)."""
    return [
        {
            "name": component.name,
            "domain": component.domain.code,
            "product": component.product.name,
            "vendor": component.product.publisher.name,
            "vendor_country": component.product.publisher.country,
            "deployment": component.deployment,
            "operator": component.operator.name if component.operator else "",
            "hosting_provider": component.hosting_provider.name if component.hosting_provider else "",
            **{name: getattr(component, name) for name in COMPONENT_FIELDS if name != "domain"},
        }
        for component in components
    ]


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


def _upsert(model: Any, *, defaults: dict[str, Any], **lookup: Any) -> Any:
    """Like update_or_create, but saves (and writes history) only when something changed."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **defaults)
    changed = [name for name, value in defaults.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, defaults[name])
        instance.save(update_fields=[*changed, "updated_at"])
    return instance


@transaction.atomic
def load_seed_catalogue(path: Path = DATA_DIR / "seed-catalogue.yaml") -> tuple[int, int]:
    """Load or update the shared catalogue of legal entities and products, idempotently."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    as_of = document.get("as_of")
    entities: dict[str, LegalEntity] = {}
    for entry in document["legal_entities"]:
        entity = _upsert(
            LegalEntity,
            key=entry["key"],
            organisation=None,
            defaults={
                "name": entry["name"],
                "identifier": entry.get("identifier") or "",
                "country": entry["country"],
                "source": entry.get("source") or "",
                "verified": entry.get("verified", True),
                "notes": entry.get("notes") or "",
                "as_of": as_of,
                "parent_since": _partial_date(entry.get("parent_since")),
            },
        )
        entities[entity.key] = entity
    for entry in document["legal_entities"]:
        entity = entities[entry["key"]]
        parent = entities.get(entry["parent"]) if entry.get("parent") else None
        if entity.parent_id != (parent.pk if parent else None):
            entity.parent = parent
            entity.save(update_fields=["parent", "updated_at"])
    domains = {domain.code: domain for domain in Domain.objects.all()}
    products: dict[str, Product] = {}
    for entry in document["products"]:
        product = _upsert(
            Product,
            key=entry["key"],
            organisation=None,
            defaults={
                "name": entry["name"],
                "publisher": entities[entry["publisher"]],
                "licence_model": entry["licence_model"],
                "spdx": entry.get("spdx") or "",
                "sill_id": str(entry.get("sill_id") or ""),
                "wikidata": entry.get("wikidata") or "",
                "comptoir_id": str(entry.get("comptoir_id") or ""),
                "verified": entry.get("verified", True),
                "notes": entry.get("notes") or "",
            },
        )
        product.domains.set([domains[code] for code in entry.get("domains", []) if code in domains])
        products[product.key] = product
    for entry in document["products"]:
        products[entry["key"]].alternatives.set(
            [products[key] for key in entry.get("alternatives", []) if key in products]
        )
    return len(entities), len(products)
