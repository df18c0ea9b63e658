"""The encodings a component CSV arrives in (UTF-8 with or without a BOM, Windows-1252 as Excel in French
saves it) and the language of every message an import can produce (issue 14)."""

import csv
import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from dependencies import tabular
from dependencies.models import Component
from nis2.models import Membership, Organisation
from tests.dependencies.component_files import snapshot, upload
from tests.dependencies.factories import LegalEntityFactory
from tests.french_text import visible_text

pytestmark = pytest.mark.django_db

TOWN_HALL = {
    "name": "Mairie – Hôtel de ville, Téléphonie",
    "domain": "D01",
    "product": "Standard téléphonique",
    "vendor": "Éditions Garonne",
    "deployment": "on_premises",
    "criticality": "2",
    "annual_cost_eur": "1 200 €",
    "notes": "Forfait de 1 200 € par an, révisé à l’échéance",
}


def semicolon_csv(rows: list[dict[str, Any]]) -> str:
    """The text of a CSV as Excel in French writes it: semicolons, quotes only where needed."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(tabular.COLUMNS), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode("cp1252"), id="Windows-1252 (Excel, CSV separated by semicolons)"),
        pytest.param(lambda text: text.encode("utf-8-sig"), id="UTF-8 with a BOM (Excel, CSV UTF-8)"),
        pytest.param(lambda text: text.encode("utf-8"), id="UTF-8 without a BOM"),
    ],
)
def test_a_csv_in_each_accepted_encoding_imports_with_the_right_text(
    api: APIClient, organisation: Organisation, encode: Any
) -> None:
    LegalEntityFactory(name="Éditions Garonne", country="FR")

    response = upload(api, organisation, encode(semicolon_csv([TOWN_HALL])))

    assert response.status_code == 200, response.content
    component = Component.objects.get(organisation=organisation)
    assert (component.name, component.notes, component.product.name, str(component.annual_cost_eur)) == (
        "Mairie – Hôtel de ville, Téléphonie",
        "Forfait de 1 200 € par an, révisé à l’échéance",
        "Standard téléphonique",
        "1200.00",
    )


def test_bytes_neither_utf8_nor_windows_1252_are_rejected_naming_the_row(
    api: APIClient, organisation: Organisation
) -> None:
    # 0x81 is undefined in Windows-1252: the file is in neither encoding.
    content = semicolon_csv([TOWN_HALL, {**TOWN_HALL, "name": "Parc"}]).encode("cp1252").replace(b"Parc", b"P\x81rc")
    before = snapshot()

    response = upload(api, organisation, content)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "row": 3,
            "field": None,
            "code": "invalid",
            "message": "the byte 0x81 is neither UTF-8 nor Windows-1252: save the file as CSV UTF-8",
        }
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(
            semicolon_csv([TOWN_HALL, {**TOWN_HALL, "name": "Parc"}]).encode("utf-8").replace(b"Parc", b"P\xe9rc"),
            id="UTF-8 with a stray byte after valid accented letters",
        ),
        pytest.param(
            semicolon_csv([TOWN_HALL, {**TOWN_HALL, "name": "Parc"}]).encode("utf-8-sig").replace(b"Parc", b"P\xe9rc"),
            id="UTF-8 BOM with a stray byte",
        ),
    ],
)
def test_a_utf8_file_with_an_invalid_byte_is_rejected_naming_the_row_not_read_as_windows_1252(
    api: APIClient, organisation: Organisation, content: bytes
) -> None:
    before = snapshot()

    response = upload(api, organisation, content)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "row": 3,
            "field": None,
            "code": "invalid",
            "message": "the byte 0xe9 is not valid UTF-8: save the file as CSV UTF-8",
        }
    ]
    assert snapshot() == before


# Words of the English messages that must not reach a French reader of the import page.
ENGLISH_WORDS = re.compile(
    r"\b(row|rows|column|columns|expected|must|required|unknown|file|the|is|not|encoded|whole|number|"
    r"amount|give|same|name|one|of|yes|no|least|byte)\b",
    re.IGNORECASE,
)
# Every error _parse_row and the duplicate check can find, one row at a time.
EVERY_ROW_ERROR = [
    {"name": "Parc", "domain": "D42", "product": "Postes", "vendor": "Éditions Garonne", "criticality": "9"},
    {**TOWN_HALL, "name": "Parc", "deployment": "cloud", "hosting_country": "France", "users": "-3"},
    {**TOWN_HALL, "name": "Archives", "data_sensitivity": "secret", "annual_cost_eur": "beaucoup"},
    {**TOWN_HALL, "name": "GED", "contract_end": "31/12/2027", "reversibility": "peut-être", "strategy": "wait"},
    {**TOWN_HALL, "name": "Voirie", "contract_end": "2300-01-01", "legal_obligation": "oui"},
    {**TOWN_HALL, "name": "Site", "vendor": "Inconnu SA", "product": "Site Web", "operator": "Autre SAS"},
]


def error_rows(html: str) -> list[list[str]]:
    """The cells of the error table, as the screen shows them."""
    table = html.split('role="alert"', 1)[1].split("</table>", 1)[0]
    return [
        [visible_text(cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1])
    ]


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [
        pytest.param(
            "composants.csv",
            semicolon_csv(EVERY_ROW_ERROR).encode("cp1252"),
            [
                ["2", "deployment", "obligatoire"],
                ["2", "domain", "domaine « D42 » inconnu : utilisez un code de D01 à D18"],
                ["2", "criticality", "nombre entier de 1 à 4 attendu"],
            ],
            id="bad cells",
        ),
        pytest.param(
            "composants.csv",
            b"name;domaine;product\r\nParc;D01;P\x81\r\n",
            None,
            id="bytes in no accepted encoding",
        ),
        pytest.param("composants.ods", b"PK", None, id="another format"),
        pytest.param("composants.xlsx", b"PK", None, id="corrupt workbook"),
        pytest.param(
            "composants.csv",
            ";".join(f"c{number}" for number in range(tabular.MAX_COLUMNS + 1)).encode(),
            None,
            id="too many columns",
        ),
        pytest.param("composants.csv", b"nom;domaine\r\n", None, id="unknown columns"),
        pytest.param("composants.csv", b"\r\n\r\n", None, id="blank header"),
    ],
)
def test_every_import_error_is_french_on_the_french_page(
    client: Client, it_member: Membership, filename: str, content: bytes, expected: list[list[str]] | None
) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    client.force_login(it_member.user)
    LegalEntityFactory(name="Éditions Garonne", country="FR")
    before = snapshot()

    response = client.post(
        reverse("dependency-import", args=[it_member.organisation_id]),
        {"file": SimpleUploadedFile(filename, content)},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Le fichier a été refusé" in html
    rows = error_rows(html)
    assert rows
    if expected is not None:
        assert rows[: len(expected)] == expected
    messages = [message for _row, _column, message in rows]
    assert [message for message in messages if ENGLISH_WORDS.search(message)] == []
    assert snapshot() == before
