import smtplib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from nis2.bootstrap import Bootstrap, organisation_bootstrap, organisation_bootstrap_new_link
from nis2.models import Organisation
from nis2.password_links import password_set_link_send


class Command(BaseCommand):
    help = (
        "First run of a deployment: create the first organisation (NIS 2 status from the scoping rule), load "
        "the reference data, create its administrator without a password, and print (and e-mail, when e-mail "
        "is configured) a one-time link where they choose it. With --new-link, only issue a fresh link."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--siren", required=True, help="SIREN of the organisation (9 digits).")
        parser.add_argument("--name", help="Name of the organisation, e.g. “Commune de X” (required to create it).")
        parser.add_argument(
            "--kind", choices=Organisation.Kind.values, default=Organisation.Kind.COMMUNE, help="Default: commune."
        )
        parser.add_argument("--population", type=int, help="INSEE legal population.")
        parser.add_argument("--population-year", type=int, help="Reference year of the population.")
        parser.add_argument("--admin-email", required=True, help="E-mail address of the administrator.")
        parser.add_argument("--admin-username", default="", help="Default: the e-mail address.")
        parser.add_argument("--first-name", default="", help="Administrator's first name.")
        parser.add_argument("--last-name", default="", help="Administrator's last name.")
        parser.add_argument(
            "--new-link",
            action="store_true",
            help="The organisation exists: only issue a fresh password link for its administrator.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Labels and validation messages in the site's language, whatever the shell's.
        with translation.override(settings.LANGUAGE_CODE):
            self._bootstrap(options)

    def _bootstrap(self, options: dict[str, Any]) -> None:
        try:
            if options["new_link"]:
                result = organisation_bootstrap_new_link(siren=options["siren"], admin_email=options["admin_email"])
            else:
                if not options["name"]:
                    raise CommandError("Nothing was written:\n  --name: required to create the organisation.")
                result = organisation_bootstrap(
                    siren=options["siren"],
                    name=options["name"],
                    kind=options["kind"],
                    population=options["population"],
                    population_year=options["population_year"],
                    admin_email=options["admin_email"],
                    admin_username=options["admin_username"],
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                )
        except ValidationError as error:
            raise CommandError(self._explain(error)) from error
        self._report(result, created=not options["new_link"])

    def _explain(self, error: ValidationError) -> str:
        """One line per refused option, named as typed on the command line; nothing was written."""
        if not hasattr(error, "error_dict"):
            return f"Nothing was written: {' '.join(error.messages)}"
        lines = ["Nothing was written:"]
        for field, errors in error.error_dict.items():
            option = "--" + field.replace("_", "-")
            lines.extend(f"  {option}: {message}" for entry in errors for message in entry.messages)
            if any(entry.code == "exists" for entry in errors):
                lines.append("  Run again with --new-link to issue a new password link for its administrator.")
        return "\n".join(lines)

    def _report(self, result: Bootstrap, *, created: bool) -> None:
        organisation = result.organisation
        if created:
            self.stdout.write(
                self.style.SUCCESS(f"Organisation “{organisation.name}” (SIREN {organisation.siren}) created.")
            )
            self.stdout.write(f"NIS 2 status: {organisation.get_nis2_status_display()} (suggested by the scoping rule)")
            self.stdout.write("Reference data:")
            for line in result.reference_data:
                self.stdout.write(f"  {line}")
            self.stdout.write(f"Administrator: {result.admin.get_username()} (no password yet)")
        link = settings.SITE_URL.rstrip("/") + result.password_set_path
        self.stdout.write("One-time link to choose the administrator's password:")
        self.stdout.write(f"  {link}")
        try:
            sent = password_set_link_send(user=result.admin, organisation=organisation, link=link)
        except (smtplib.SMTPException, OSError) as error:
            self.stderr.write(f"The e-mail could not be sent ({error}): give the link to the administrator.")
            return
        if sent:
            self.stdout.write(f"E-mail with the link sent to {result.admin.email}.")
        else:
            self.stdout.write("No e-mail was sent (e-mail is not configured): give the link to the administrator.")
