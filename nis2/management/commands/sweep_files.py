from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from nis2.stored_files import sweep_orphan_files


class Command(BaseCommand):
    help = "Delete uploaded files that no row (history included) refers to any more, older than one hour."

    def handle(self, *args: Any, **options: Any) -> None:
        swept = sweep_orphan_files(now=timezone.now())
        for name in swept:
            self.stdout.write(f"  deleted {name}")
        self.stdout.write(self.style.SUCCESS(f"{len(swept)} orphan file(s) deleted."))
