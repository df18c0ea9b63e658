"""``python -m tests.oidc_provider <command>``: Django's manage.py for the provider, whatever the caller's settings."""

import os
import sys


def main() -> None:
    # Forced, not defaulted: the test run's own environment names Rempart's settings.
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    from django.core.management import execute_from_command_line

    execute_from_command_line(["python -m tests.oidc_provider", *sys.argv[1:]])


if __name__ == "__main__":
    main()
