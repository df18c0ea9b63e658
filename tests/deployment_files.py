"""The deployment files (docker-compose.yml, Dockerfile, Caddyfile), read once, and the settings
they give, loaded in a subprocess: shared by the deployment tests."""

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import yaml
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
DOCKERFILE = (BASE_DIR / "Dockerfile").read_text()
CADDYFILE = (BASE_DIR / "deploy" / "Caddyfile").read_text()
# "@", "/" and ":" break a URL; a leading "$" makes django-environ look up another variable.
TRICKY_PASSWORD = "$p@ss/w:rd#1"


def run_settings(environment: Mapping[str, str], code: str) -> subprocess.CompletedProcess[str]:
    """Python code run with the settings loaded from ``environment``, as in a container (plus a .env
    file in the project directory, if a developer has one: the settings read it, without overriding)."""
    setup = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'nis2.settings'; django.setup()\n"
    return subprocess.run(
        [sys.executable, "-c", setup + code],
        env={"PATH": os.environ["PATH"], **environment},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
