import importlib
import secrets
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from nis2.demo import DEMO_PEOPLE, build_tenancy


class Command(BaseCommand):
    help = "Create (idempotently) the demo organisations, people and content, and print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="Password for every demo user (default: a new random one).")

    def handle(self, *args: Any, password: str | None = None, **options: Any) -> None:
        password = password or secrets.token_urlsafe(12)
        tenancy = build_tenancy(password=password)
        for app_config in apps.get_app_configs():
            if app_config.name == "nis2":
                continue
            try:
                module = importlib.import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app_config.name}.demo":
                    raise
                continue
            for line in module.populate(tenancy):
                self.stdout.write(f"  {line}")

        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"Open {settings.SITE_URL}/ and log in with one of (password: {password}):")
        for username, _first, _last, organisation_key, role in DEMO_PEOPLE:
            organisation = tenancy.organisation(organisation_key)
            self.stdout.write(f"  {username:<9} {role.label} — {organisation.name}")
