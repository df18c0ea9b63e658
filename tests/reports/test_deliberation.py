"""The draft délibération of the annual report: French legal wording filled from the snapshot, delivered as a
valid OpenDocument text whose user-written parts are escaped."""

import io
import zipfile

import defusedxml.ElementTree as ElementTree
import pytest

from reports.deliberation import ODT_MIME_TYPE, deliberation_lines, odt_document
from tests.reports.snapshots import known_snapshot

TEXT_NAMESPACE = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def annual_snapshot(kind: str = "commune") -> dict:
    snapshot = known_snapshot("en")
    snapshot["meta"].update(kind="annual", year=2026, quarter_number=None, organisation_kind=kind)
    snapshot["meta"]["legal_basis"] = {"rests_on_bill": True, "last_checked": "2026-11-30"}
    snapshot["governance"] = {"approvals": [], "changes": [], "training": {"not_trained": ["Jeanne Voisin"]}}
    return snapshot


def texts(snapshot: dict) -> list[str]:
    return [line.text for line in deliberation_lines(snapshot)]


@pytest.mark.parametrize(
    ("kind", "assembly", "article"),
    [
        ("commune", "Le conseil municipal,", "notamment son article L. 2121-29 ;"),
        ("communaute_agglomeration", "Le conseil communautaire,", "notamment ses articles L. 5211-1 et L. 2121-29 ;"),
        ("departement", "Le conseil départemental,", "notamment son article L. 3211-1 ;"),
        ("region", "Le conseil régional,", "notamment son article L. 4221-1 ;"),
    ],
)
def test_the_assembly_and_its_code_article_follow_the_kind_of_authority(kind, assembly, article) -> None:
    lines = texts(annual_snapshot(kind))

    assert assembly in lines
    assert any(line.endswith(article) for line in lines)


def test_the_draft_cites_the_directive_the_bill_and_decides_in_numbered_articles() -> None:
    lines = texts(annual_snapshot())

    assert any("directive (UE) 2022/2555" in line and "articles 20, 21 et 23" in line for line in lines)
    assert any("non promulgué à la date de la dernière vérification (30 novembre 2026)" in line for line in lines)
    assert "Objet : rapport annuel 2026 sur la cybersécurité" in next(
        line for line in lines if line.startswith("Objet")
    )
    assert any("66 % de l'objectif fixé" in line for line in lines)
    assert any("le contrat « Messagerie »" in line and "31 mars 2027" in line for line in lines)
    articles = [line for line in lines if line.startswith("Article ")]
    assert articles[0] == "Article 1er : Prend acte du rapport annuel de cybersécurité pour l'année 2026."
    assert articles[1].startswith("Article 2 : Approuve les mesures de gestion des risques")
    assert any("formation à la cybersécurité" in article for article in articles)
    assert articles[-1].startswith(
        f"Article {len(articles)} : La présente délibération peut faire l'objet d'un recours"
    )


def test_the_odt_is_a_valid_opendocument_text_with_every_line_and_nothing_unescaped() -> None:
    snapshot = annual_snapshot()
    snapshot["meta"]["organisation"] = "Commune <de> « Test » & \x01co"
    lines = deliberation_lines(snapshot)

    document = odt_document(lines, title="Projet & <délibération>")

    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype").decode() == ODT_MIME_TYPE
        manifest = ElementTree.fromstring(archive.read("META-INF/manifest.xml"))
        assert ElementTree.fromstring(archive.read("meta.xml")) is not None
        content = ElementTree.fromstring(archive.read("content.xml"))
    assert manifest is not None
    paragraphs = ["".join(paragraph.itertext()) for paragraph in content.iter(f"{TEXT_NAMESPACE}p")]
    assert paragraphs[0] == "COMMUNE <DE> « TEST » & CO"
    assert paragraphs == [line.text.replace("\x01", "") for line in lines]


def test_the_same_snapshot_gives_the_same_document() -> None:
    lines = deliberation_lines(annual_snapshot())
    assert odt_document(lines, title="t") == odt_document(lines, title="t")
