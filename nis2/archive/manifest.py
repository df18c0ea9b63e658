"""The archive's description and integrity: ``manifest.json``, ``SHA256SUMS`` (checkable with
``sha256sum -c SHA256SUMS``) and a README telling a person what each file holds."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings

from nis2.models import Organisation

FORMAT = "rempart-organisation-archive"
FORMAT_VERSION = 1
SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"


class ArchiveError(Exception):
    """The archive cannot be read or restored; ``errors`` says where and why."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


README = """# Données de {name} (SIREN {siren}) exportées de Rempart

Export du {exported_at} (UTC). Format `{format}` version {version}.
Ce dossier contient tout ce que l'organisation a saisi dans Rempart, avec l'historique de chaque
modification, dans des formats ouverts :

- `data/*.json` : une table par fichier, une ligne par objet (c'est ce que lit `manage.py import_organisation`) ;
- `csv/*.csv` : les mêmes tables en CSV (UTF-8), pour un tableur ;
- `data/*historical*.json` : l'historique (qui a changé quoi et quand : `history_date`, `history_user`,
  `history_type` `+` création, `~` modification, `-` suppression) ;
- `data/people.json` : les personnes citées (nom, e-mail ; jamais de mot de passe) ;
- `files/` : les fichiers déposés (preuves, pièces jointes, justificatifs de déclaration, rapports PDF) ;
- `manifest.json` : le contenu et les tables volontairement absentes, avec la raison ;
- `SHA256SUMS` : l'empreinte de chaque fichier (`sha256sum -c SHA256SUMS` vérifie l'archive).

Une clé étrangère est un entier (l'`id` d'une ligne de cette archive) ou `{{"key": [...]}}` : une donnée
de référence partagée (exigence d'un référentiel, règle de déclaration, fournisseur du catalogue commun,
autre organisation désignée par son SIREN), que l'instance d'arrivée possède déjà. Les dates sont en
ISO 8601 (UTC).

# {name}'s data exported from Rempart

Everything the organisation recorded, with the history of every change, in open formats: JSON tables
under `data/` (read by `manage.py import_organisation`), the same tables as CSV under `csv/`, uploaded
files under `files/`, `manifest.json` and `SHA256SUMS`. A foreign key is an id of this archive or
`{{"key": [...]}}`, shared reference data named by its natural key. Times are ISO 8601, UTC.
"""


def write(
    directory: Path,
    *,
    organisation: Organisation,
    exported_at: datetime.datetime,
    summary_rows: dict[str, int],
    left_out: dict[str, str],
    missing_files: list[str],
) -> None:
    (directory / "README.md").write_text(
        README.format(
            name=organisation.name,
            siren=organisation.siren,
            exported_at=exported_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M"),
            format=FORMAT,
            version=FORMAT_VERSION,
        ),
        encoding="utf-8",
    )
    document: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": exported_at.astimezone(datetime.UTC).isoformat(),
        "organisation": {"siren": organisation.siren, "name": organisation.name},
        "language": settings.LANGUAGE_CODE,
        "tables": summary_rows,
        "left_out": left_out,
        "missing_files": missing_files,
    }
    (directory / MANIFEST).write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    lines = [
        f"{sha256_of(path)}  {path.relative_to(directory).as_posix()}"
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.name != SUMS
    ]
    (directory / SUMS).write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_verified(directory: Path) -> dict[str, Any]:
    """The manifest, once every file listed in SHA256SUMS is there with its sum and nothing is unlisted."""
    sums_file = directory / SUMS
    if not sums_file.is_file() or not (directory / MANIFEST).is_file():
        raise ArchiveError([f"{directory}: not a Rempart archive ({MANIFEST} and {SUMS} expected)"])
    errors: list[str] = []
    listed: set[str] = set()
    for number, line in enumerate(sums_file.read_text(encoding="utf-8").splitlines(), start=1):
        expected, _separator, name = line.partition("  ")
        path = (directory / name).resolve()
        if not name or not path.is_relative_to(directory.resolve()):
            errors.append(f"{SUMS} line {number}: unreadable entry")
            continue
        listed.add(name)
        if not path.is_file():
            errors.append(f"{name}: listed in {SUMS} but missing")
        elif sha256_of(path) != expected:
            errors.append(f"{name}: SHA-256 differs from {SUMS} (file altered or damaged)")
    for path in directory.rglob("*"):
        name = path.relative_to(directory).as_posix()
        if path.is_file() and name != SUMS and name not in listed:
            errors.append(f"{name}: not listed in {SUMS}")
    if errors:
        raise ArchiveError(errors)
    document: dict[str, Any] = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    if document.get("format") != FORMAT or document.get("format_version") != FORMAT_VERSION:
        raise ArchiveError([f"{MANIFEST}: format {document.get('format')} {document.get('format_version')} unknown"])
    return document
