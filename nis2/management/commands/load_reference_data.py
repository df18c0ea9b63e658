from typing import Any

from django.core.management.base import BaseCommand

from nis2.bootstrap import reference_data_load


class Command(BaseCommand):
    help = (
        "Load or update, idempotently, the reference data every database shares: the control catalogues, "
        "the dependency domains and seed catalogue, the incident reporting rules (each app's reference_data "
        "module). Run after migrate."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for line in reference_data_load():
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
