from typing import Any

from django.core.management.base import BaseCommand

from dependencies import services


class Command(BaseCommand):
    help = "Load or update the 18 domains and the shared catalogue of vendors and products (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        domains = services.load_domains()
        entities, products = services.load_seed_catalogue()
        self.stdout.write(self.style.SUCCESS(f"{domains} domains, {entities} legal entities, {products} products"))
