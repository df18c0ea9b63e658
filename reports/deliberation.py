"""The draft délibération that comes with the annual report: what the assembly can adopt once its services have
adapted it, as an editable OpenDocument text (the open format of the Référentiel général d'interopérabilité) and
as the last annex of the PDF.

The draft is always in French, whatever the report's language: it is an act of a French assembly. Its legal
references are given for the services to check; Rempart fills in the figures and the decisions from the snapshot.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import formats, translation

from reports.snapshot_types import Meta, Snapshot

ODT_MIME_TYPE = "application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class Assembly:
    name: str  # "Le conseil municipal"
    executive: str  # "le maire"
    code_reference: str  # the CGCT article giving the assembly its general competence


# Code général des collectivités territoriales (CGCT): L. 2121-29 (the municipal council settles the commune's
# affairs by its deliberations), L. 5211-1 (that rule applies to the councils of the groupings of communes),
# L. 3211-1 (departmental council), L. 4221-1 (regional council).
ASSEMBLIES = {
    "commune": Assembly("Le conseil municipal", "le maire", "L. 2121-29"),
    "communaute_communes": Assembly("Le conseil communautaire", "le président", "L. 5211-1 et L. 2121-29"),
    "communaute_agglomeration": Assembly("Le conseil communautaire", "le président", "L. 5211-1 et L. 2121-29"),
    "communaute_urbaine": Assembly("Le conseil communautaire", "le président", "L. 5211-1 et L. 2121-29"),
    "metropole": Assembly("Le conseil de la métropole", "le président", "L. 5211-1 et L. 2121-29"),
    "syndicat": Assembly("Le comité syndical", "le président", "L. 5211-1 et L. 2121-29"),
    "departement": Assembly("Le conseil départemental", "le président du conseil départemental", "L. 3211-1"),
    "region": Assembly("Le conseil régional", "le président du conseil régional", "L. 4221-1"),
}
# Collectivités à statut particulier and others: their own texts apply; the services name them.
GENERIC_ASSEMBLY = Assembly("L'assemblée délibérante", "l'exécutif", "")


@dataclass(frozen=True)
class Line:
    style: str  # "title", "heading", "body", "article", "note"
    text: str


def _french_number(value: float | None) -> str:
    with translation.override("fr"):
        return formats.number_format(value, 0, use_l10n=True, force_grouping=True) if value is not None else "—"


def _french_date(value: str) -> str:
    with translation.override("fr"):
        return formats.date_format(datetime.date.fromisoformat(value[:10]), "j F Y")


def _preamble(meta: Meta, assembly: Assembly) -> list[Line]:
    """The heading of the act: the organisation, the session, the subject, the assembly."""
    year = meta["year"]
    return [
        Line("title", meta["organisation"].upper()),
        Line("note", "Projet de délibération préparé par Rempart — à relire et adapter par vos services."),
        Line("body", "Séance du …………………… — Délibération n° ……………"),
        Line(
            "heading",
            f"Objet : rapport annuel {year} sur la cybersécurité et approbation des mesures de gestion des risques "
            "(directive NIS 2)",
        ),
        Line("body", f"{assembly.name},"),
    ]


def _code_citation(assembly: Assembly) -> str:
    if not assembly.code_reference:
        return "Vu le code général des collectivités territoriales ;"
    if " et " not in assembly.code_reference:
        return f"Vu le code général des collectivités territoriales, notamment son article {assembly.code_reference} ;"
    return f"Vu le code général des collectivités territoriales, notamment ses articles {assembly.code_reference} ;"


def _citations(meta: Meta, assembly: Assembly) -> list[Line]:
    """The texts the act rests on (« Vu … »)."""
    lines = [
        Line("body", _code_citation(assembly)),
        Line(
            "body",
            "Vu la directive (UE) 2022/2555 du Parlement européen et du Conseil du 14 décembre 2022 concernant des "
            "mesures destinées à assurer un niveau élevé commun de cybersécurité dans l'ensemble de l'Union "
            "(directive NIS 2), notamment ses articles 20, 21 et 23 ;",
        ),
    ]
    basis = meta.get("legal_basis")
    if basis and basis.get("rests_on_bill"):
        lines.append(
            Line(
                "body",
                "Vu le projet de loi relatif à la résilience des infrastructures critiques et au renforcement de la "
                "cybersécurité, non promulgué à la date de la dernière vérification "
                f"({_french_date(basis['last_checked'])}) ;",
            )
        )
    lines.append(
        Line(
            "body",
            f"Vu le rapport annuel de cybersécurité pour l'année {meta['year']} présenté par {assembly.executive} et "
            "annexé à la présente délibération ;",
        )
    )
    return lines


def _recitals(snapshot: Snapshot) -> list[Line]:
    """The facts the act considers (« Considérant … »), from the snapshot's figures."""
    maturity = snapshot.get("maturity")
    stats = snapshot["incidents"]["stats"]
    lines = [
        Line(
            "body",
            "Considérant que l'article 20 de la directive (UE) 2022/2555 charge l'organe de direction d'approuver "
            "les mesures de gestion des risques en matière de cybersécurité, d'en superviser la mise en œuvre et "
            "de suivre une formation ;",
        )
    ]
    if maturity and maturity["overall"]["percent"] is not None:
        lines.append(
            Line(
                "body",
                f"Considérant que l'auto-évaluation « {maturity['label']} » établit le niveau des mesures de sécurité "
                f"à {_french_number(maturity['overall']['percent'])} % de l'objectif fixé ;",
            )
        )
    lines.append(
        Line(
            "body",
            f"Considérant que {stats['total']} incident(s) ont été enregistrés en {snapshot['meta']['year']}, dont "
            f"{stats['significant']} signalé(s) à l'autorité nationale de sécurité des systèmes d'information ;",
        )
    )
    for renewal in snapshot["dependencies"].get("renewals") or []:
        lines.append(
            Line(
                "body",
                f"Considérant que le contrat « {renewal['name']} », conclu avec un fournisseur soumis à des lois non "
                f"européennes, arrive à échéance le {_french_date(renewal['contract_end'] or '')} ;",
            )
        )
    return lines


def _articles(snapshot: Snapshot, assembly: Assembly) -> list[str]:
    """What the assembly decides, article by article."""
    maturity = snapshot.get("maturity")
    articles = [f"Prend acte du rapport annuel de cybersécurité pour l'année {snapshot['meta']['year']}."]
    if maturity:
        articles.append(
            "Approuve les mesures de gestion des risques en matière de cybersécurité décrites dans "
            f"l'auto-évaluation « {maturity['label']} » et le plan d'action annexés au rapport."
        )
        if any(not requirement["applicable"] for requirement in maturity.get("requirements", [])):
            articles.append(
                "Approuve la déclaration d'applicabilité annexée au rapport (mesures jugées non applicables et "
                "leurs justifications)."
            )
    articles.append(
        f"Charge {assembly.executive} de la mise en œuvre du plan d'action et de présenter à l'assemblée un "
        "rapport de suivi au moins une fois par an."
    )
    governance = snapshot.get("governance")
    if governance and (governance.get("training") or {}).get("not_trained"):
        articles.append(
            "Décide que les membres de l'organe de direction qui n'ont pas suivi de formation à la cybersécurité "
            "au cours des vingt-quatre derniers mois en suivront une dans l'année."
        )
    articles.append(
        "La présente délibération peut faire l'objet d'un recours devant le tribunal administratif compétent dans "
        "un délai de deux mois à compter de sa publication."
    )
    return articles


def deliberation_lines(snapshot: Snapshot) -> list[Line]:
    """The draft, paragraph by paragraph, from an annual report's snapshot."""
    meta = snapshot["meta"]
    assembly = ASSEMBLIES.get(meta.get("organisation_kind", ""), GENERIC_ASSEMBLY)
    lines = [*_preamble(meta, assembly), *_citations(meta, assembly), *_recitals(snapshot)]
    lines += [Line("body", "Après en avoir délibéré,"), Line("heading", "DÉCIDE :")]
    for number, article in enumerate(_articles(snapshot, assembly), start=1):
        lines.append(Line("article", f"Article {'1er' if number == 1 else number} : {article}"))
    lines.append(Line("body", "Fait et délibéré les jour, mois et an susdits."))
    return lines


def xml_text(value: str) -> str:
    """Escaped for XML, without the control characters XML 1.0 cannot hold (a name pasted from elsewhere may)."""
    return escape("".join(character for character in value if character >= " " or character in "\t\n\r"))


def odt_document(lines: list[Line], *, title: str) -> bytes:
    """A minimal, valid OpenDocument text: the mimetype first and stored, a manifest, the content with its styles."""
    paragraphs = "".join(f'<text:p text:style-name="{line.style}">{xml_text(line.text)}</text:p>' for line in lines)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3">'
        "<office:automatic-styles>"
        '<style:style style:name="title" style:family="paragraph"><style:paragraph-properties '
        'fo:text-align="center" fo:margin-bottom="0.4cm"/><style:text-properties fo:font-size="14pt" '
        'fo:font-weight="bold"/></style:style>'
        '<style:style style:name="heading" style:family="paragraph"><style:paragraph-properties '
        'fo:margin-top="0.4cm" fo:margin-bottom="0.2cm"/><style:text-properties fo:font-weight="bold"/>'
        "</style:style>"
        '<style:style style:name="body" style:family="paragraph"><style:paragraph-properties '
        'fo:text-align="justify" fo:margin-bottom="0.2cm"/></style:style>'
        '<style:style style:name="article" style:family="paragraph"><style:paragraph-properties '
        'fo:text-align="justify" fo:margin-bottom="0.2cm"/></style:style>'
        '<style:style style:name="note" style:family="paragraph"><style:text-properties fo:font-style="italic" '
        'fo:font-size="9pt"/></style:style>'
        "</office:automatic-styles>"
        f"<office:body><office:text>{paragraphs}</office:text></office:body></office:document-content>"
    )
    meta = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta>'
        f"<dc:title>{xml_text(title)}</dc:title><dc:language>fr-FR</dc:language>"
        "</office:meta></office:document-meta>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODT_MIME_TYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    # Fixed timestamps: the same snapshot gives the same bytes (reports are reproducible).
    moment = (1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", moment), ODT_MIME_TYPE, compress_type=zipfile.ZIP_STORED)
        for name, data in (("content.xml", content), ("meta.xml", meta), ("META-INF/manifest.xml", manifest)):
            archive.writestr(zipfile.ZipInfo(name, moment), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
