import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from controls.catalogue_format import CatalogueError
from controls.catalogue_loading import CATALOGUE_DIR, SHIPPED_CATALOGUES, Progress, load_file


class Command(BaseCommand):
    help = (
        "Load or update a framework or mapping file idempotently (default: the catalogues shipped "
        "with Rempart). A malformed file is rejected whole, with the path and the reason of each error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="*", type=Path, help="YAML catalogue files (see controls/catalogues/FORMAT.md)"
        )

    def handle(self, *args: Any, files: list[Path], verbosity: int, **options: Any) -> None:
        for path in files or [CATALOGUE_DIR / name for name in SHIPPED_CATALOGUES]:
            try:
                report = load_file(path, progress=self._progress_bar(path.name, verbosity=verbosity))
            except CatalogueError as error:
                lines = "\n".join(f"  {where}: {reason}" for where, reason in error.errors)
                raise CommandError(f"{path} rejected, nothing was loaded:\n{lines}") from error
            self.stdout.write(self.style.SUCCESS(report.summary()))

    def _progress_bar(self, label: str, *, verbosity: int) -> Progress:
        interactive = sys.stdout.isatty() and int(verbosity) > 0

        def show(done: int, total: int) -> None:
            if not interactive:
                return
            width = 30
            filled = width * done // total
            self.stdout.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
            if done == total:
                self.stdout.write("")

        return show
