"""Removes a person's authenticator and recovery codes, for someone who lost both (after checking who they are).

Their next sign-in asks them to set up a new authenticator when an organisation requires one."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from nis2.mfa.services import security_log
from nis2.models import RecoveryCodes


class Command(BaseCommand):
    help = "Reset the second factor (authenticator and recovery codes) of one account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCodes.objects.filter(user=user).delete()
        security_log.warning("second factor reset by an operator", extra={"user_id": user.pk})
        self.stdout.write(f"Second factor of {username} reset: the next sign-in sets up a new one when required.")
