import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nis2.models import Organisation
from reports import services


class Command(BaseCommand):
    help = "Generate an organisation's quarterly NIS 2 report (the same as the web and API), with a progress bar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", type=int, required=True)
        parser.add_argument("--period", required=True, help="e.g. 2026-Q3")
        parser.add_argument("--language", default="fr", choices=["fr", "en"])
        parser.add_argument("--consolidated", action="store_true")
        parser.add_argument("--output", type=Path, help="Also write the PDF to this file.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(pk=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['organisation']}.")
        try:
            report = services.report_request(
                organisation=organisation,
                period=options["period"],
                language=options["language"],
                consolidated=options["consolidated"],
                actor=None,
                enqueue=False,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        try:
            report = services.report_generate(report_id=report.pk, progress=self._bar)
        except Exception as error:  # recorded on the report, never left "running"
            services.report_fail(report_id=report.pk, error=f"{type(error).__name__}: {error}")
            raise CommandError(f"The report could not be generated: {error}") from error
        self._bar(100)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Report {report.pk} ({report.period} v{report.version}) SHA-256 {report.sha256}")
        )
        if options["output"]:
            options["output"].write_bytes(report.pdf.open("rb").read())
            self.stdout.write(f"Written to {options['output']}")

    def _bar(self, percent: int) -> None:
        if sys.stdout.isatty():
            filled = percent * 30 // 100
            self.stdout.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {percent} %")
