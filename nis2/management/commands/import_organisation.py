from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nis2.archive.importing import import_organisation
from nis2.archive.manifest import ArchiveError


class Command(BaseCommand):
    help = (
        "Restore an organisation exported by export_organisation into this instance (same content, new ids). "
        "All or nothing: a damaged archive or a missing catalogue writes nothing. Load the reference data first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="the archive folder (unzipped)")

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            summary = import_organisation(directory)
        except ArchiveError as error:
            lines = "\n".join(f"  {reason}" for reason in error.errors)
            raise CommandError(f"{directory} rejected, nothing was written:\n{lines}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.organisation.name} restored: {sum(summary.rows.values())} rows "
                f"(organisation id {summary.organisation.pk})"
            )
        )
        if summary.people_matched:
            self.stdout.write(f"  people already here: {', '.join(summary.people_matched)}")
        if summary.people_created:
            self.stdout.write(
                f"  people created without a password (send them a reset link): {', '.join(summary.people_created)}"
            )
