"""The component file's columns, declared once: for each column its header, how a cell is read and
checked, and what export writes back. The file format (``tabular.COLUMNS``, ``tabular.REQUIRED``),
the import's per-row errors and the export all derive from ``COLUMNS``; the rules spanning several
columns of a row follow in ``ROW_RULES``.

A reader turns a cell's text into the value the import uses, or raises ``CellError`` with the
message shown next to the row and the column."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext as _

from dependencies.choices import Deployment, Sensitivity, Strategy
from dependencies.models import Component, Domain, LegalEntity, Product

# Dates a contract can plausibly end on; outside, the cell is a typing or conversion error.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2199, 12, 31)
TRUE_WORDS = {"yes", "oui", "true", "vrai", "1", "y", "o"}
FALSE_WORDS = {"no", "non", "false", "faux", "0", "n", ""}


class CellError(ValueError):
    """A cell the import cannot take; the message names what was expected."""


@dataclass
class ImportCatalogue:
    """What an import can refer to, looked up by name (domains by code), plus what the import adds."""

    domains: dict[str, Domain]
    entities: dict[str, LegalEntity]
    products: dict[str, Product]


Reader = Callable[[str, ImportCatalogue], object]
Writer = Callable[[Component], object]


@dataclass(frozen=True)
class Column:
    """One column of the file. ``plain``: the value is the component's field of the same name, as
    read; the other columns name catalogue entries the import resolves (product, vendor...)."""

    name: str
    read: Reader
    write: Writer | None = None  # default: the component's field of the same name
    required: bool = False
    plain: bool = True

    def value_of(self, component: Component) -> object:
        return self.write(component) if self.write is not None else getattr(component, self.name)


@dataclass
class ParsedRow:
    cells: Mapping[str, str]
    values: dict[str, object] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)

    def text(self, column: str) -> str:
        return str(self.values.get(column, ""))


# --- Cell readers -------------------------------------------------------------------------------


def parse_bool(text: str) -> bool | None:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def parse_int(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


def parse_decimal(text: str) -> Decimal | None:
    """A finite amount, or None (NaN and infinities are not amounts)."""
    cleaned = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "").replace(",", ".")
    try:
        amount = Decimal(cleaned) if cleaned else Decimal(0)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def parse_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        return None


def text(limit: int | None = None) -> Reader:
    def read(cell: str, _catalogue: ImportCatalogue) -> str:
        return cell.strip()[:limit]

    return read


def one_of(choices: type[models.TextChoices], default: str = "") -> Reader:
    def read(cell: str, _catalogue: ImportCatalogue) -> str:
        value = cell.strip() or default
        if value and value not in choices.values:
            raise CellError(_("expected one of: %(values)s") % {"values": ", ".join(choices.values)})
        return value

    return read


def whole_number(*, empty: int | None) -> Reader:
    """A whole number from 0 up; ``empty`` for a blank cell."""

    def read(cell: str, _catalogue: ImportCatalogue) -> int | None:
        if not cell.strip():
            return empty
        number = parse_int(cell)
        if number is None or number < 0:
            raise CellError(_("expected a whole number"))
        return number

    return read


def read_criticality(cell: str, _catalogue: ImportCatalogue) -> int | None:
    if not cell.strip():
        return None  # reported as a required cell
    number = parse_int(cell)
    if number is None or not 1 <= number <= 4:
        raise CellError(_("expected a whole number from 1 to 4"))
    return number


def read_domain(cell: str, catalogue: ImportCatalogue) -> Domain | None:
    code = cell.strip().upper()
    if code and code not in catalogue.domains:
        raise CellError(_("unknown domain “%(code)s”: use a code D01 to D18") % {"code": code})
    return catalogue.domains.get(code)


def read_country(cell: str, _catalogue: ImportCatalogue) -> str:
    code = cell.strip().upper()
    if code and (len(code) != 2 or not code.isalpha()):
        raise CellError(_("expected an ISO 3166-1 alpha-2 country code, e.g. FR"))
    return code


def read_amount(cell: str, _catalogue: ImportCatalogue) -> Decimal:
    amount = parse_decimal(cell)
    if amount is None or amount < 0:
        raise CellError(_("expected an amount in euros, e.g. 12500.00"))
    return amount


def read_date(cell: str, _catalogue: ImportCatalogue) -> datetime.date | None:
    if not cell.strip():
        return None
    day = parse_date(cell)
    if day is None:
        raise CellError(_("expected a date as YYYY-MM-DD"))
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise CellError(
            _("expected a date from %(earliest)s to %(latest)s")
            % {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()}
        )
    return day


def read_yes_no(cell: str, _catalogue: ImportCatalogue) -> bool:
    answer = parse_bool(cell)
    if answer is None:
        raise CellError(_("expected yes or no"))
    return answer


def _name_of(entity: LegalEntity | None) -> str:
    return entity.name if entity is not None else ""


# --- The table ----------------------------------------------------------------------------------

COLUMNS: tuple[Column, ...] = (
    Column("name", text(200), required=True),
    Column("domain", read_domain, write=lambda component: component.domain.code, required=True),
    Column("product", text(), write=lambda component: component.product.name, required=True, plain=False),
    Column("vendor", text(), write=lambda component: component.product.publisher.name, required=True, plain=False),
    Column("vendor_country", read_country, write=lambda component: component.product.publisher.country, plain=False),
    Column("deployment", one_of(Deployment), required=True),
    Column("operator", text(), write=lambda component: _name_of(component.operator), plain=False),
    Column("hosting_provider", text(), write=lambda component: _name_of(component.hosting_provider), plain=False),
    Column("hosting_country", read_country),
    Column("data_country", read_country),
    Column("criticality", read_criticality, required=True),
    Column("legal_obligation", read_yes_no),
    Column("data_sensitivity", one_of(Sensitivity, default=Sensitivity.INTERNAL)),
    Column("users", whole_number(empty=None)),
    Column("annual_cost_eur", read_amount),
    Column("contract_end", read_date),
    Column("full_export_open_formats", read_yes_no),
    Column("open_standards_apis", read_yes_no),
    Column("alternative_exists", read_yes_no),
    Column("dependent_components", whole_number(empty=0)),
    Column("reversibility", read_yes_no),
    Column("strategy", one_of(Strategy)),
    Column("notes", text()),
)
NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)
REQUIRED: tuple[str, ...] = tuple(column.name for column in COLUMNS if column.required)
# The columns that are plain fields of the component, the name aside (the key rows are matched by).
PLAIN_FIELDS: tuple[str, ...] = tuple(column.name for column in COLUMNS if column.plain and column.name != "name")


# --- Rules spanning columns ---------------------------------------------------------------------


def _legal_obligation_is_critical(row: ParsedRow, _catalogue: ImportCatalogue) -> None:
    # The cell as a number, even one out of range (0 is reported twice: out of range, and too low).
    criticality = parse_int(row.cells.get("criticality", "") or "x")
    if row.values.get("legal_obligation") and criticality is not None and criticality < 3:
        row.errors.append(
            ("criticality", _("a component supporting a legal obligation has a criticality of 3 at least"))
        )


def _new_vendor_has_a_country(row: ParsedRow, catalogue: ImportCatalogue) -> None:
    """A vendor the catalogue lacks is added with its country, unless only its product was unknown:
    a known product brings its publisher (but not when the vendor also runs or hosts it)."""
    vendor = row.text("vendor").casefold()
    vendor_runs_it = vendor in {row.text("operator").casefold(), row.text("hosting_provider").casefold()}
    product_known = row.text("product").casefold() in catalogue.products
    if (
        vendor
        and vendor not in catalogue.entities
        and (not product_known or vendor_runs_it)
        and row.values.get("vendor_country", "x") == ""
    ):
        row.errors.append(
            (
                "vendor_country",
                _("“%(vendor)s” is not in the catalogue: give its head-office country to add it")
                % {"vendor": row.text("vendor")},
            )
        )


def _operators_are_known(row: ParsedRow, catalogue: ImportCatalogue) -> None:
    for column in ("operator", "hosting_provider"):
        name = row.text(column)
        if name and name.casefold() not in catalogue.entities and name.casefold() != row.text("vendor").casefold():
            row.errors.append((column, _("“%(entity)s” is not in the catalogue of legal entities") % {"entity": name}))


ROW_RULES: tuple[Callable[[ParsedRow, ImportCatalogue], None], ...] = (
    _legal_obligation_is_critical,
    _new_vendor_has_a_country,
    _operators_are_known,
)


def parse_row(cells: Mapping[str, str], catalogue: ImportCatalogue) -> ParsedRow:
    """Every column read, every problem listed: missing required cells first, then each column's
    own check in file order, then the rules spanning columns (on the cells that could be read)."""
    row = ParsedRow(cells)
    row.errors += [(column, _("required")) for column in REQUIRED if not cells.get(column, "").strip()]
    for column in COLUMNS:
        try:
            row.values[column.name] = column.read(cells.get(column.name, ""), catalogue)
        except CellError as error:
            row.errors.append((column.name, str(error)))
    for rule in ROW_RULES:
        rule(row, catalogue)
    return row


def export_row(component: Component) -> dict[str, object]:
    return {column.name: column.value_of(component) for column in COLUMNS}
