from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nis2.archive.exporting import export_organisation
from nis2.models import Organisation
from nis2.siren import normalise_siren


class Command(BaseCommand):
    help = (
        "Write everything an organisation owns (settings, members' roles, assessments, evidence, actions, "
        "incidents, components, reports, history) to a folder as JSON and CSV, with the files, a README "
        "and the SHA-256 of every file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("siren", help="SIREN of the organisation")
        parser.add_argument("--out", type=Path, required=True, help="folder to create (must not exist or be empty)")

    def handle(self, *args: Any, siren: str, out: Path, **options: Any) -> None:
        organisation = Organisation.objects.filter(siren=normalise_siren(siren)).first()
        if organisation is None:
            raise CommandError(f"No organisation with SIREN {siren}.")
        try:
            summary = export_organisation(organisation, out)
        except FileExistsError as error:
            raise CommandError(f"--out: {error}; choose a new folder.") from error
        rows = sum(summary.rows.values())
        history = sum(summary.history_rows.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"{organisation.name}: {rows} rows, {history} history rows, {summary.files} files, "
                f"{summary.size / 1_000_000:.1f} MB written to {out}"
            )
        )
        for name in summary.missing_files:
            self.stderr.write(f"  file missing from storage, not exported: {name}")
