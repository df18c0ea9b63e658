"""Speed benchmark: time the busiest pages and endpoints on a generated data set.

    .venv/bin/python bench/run.py [--components 1000] [--incidents 300] [--repeat 5]

Uses a throw-away SQLite database (or DATABASE_URL if set). Prints the median time of each request;
these figures, not timed assertions in tests, are how speed targets are followed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--components", type=int, default=1000)
    parser.add_argument("--incidents", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{database}")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nis2.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from bench.generate import generate

    organisation, user, assessment = generate(components=options.components, incidents=options.incidents)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    base = f"/o/{organisation.pk}"
    targets = [
        ("home dashboard", f"{base}/"),
        ("incident register", f"{base}/incidents/"),
        ("API incidents (500)", "/api/v1/incidents/?page_size=500"),
        ("assessment grid (objective 10)", f"{base}/assessments/{assessment.pk}/?section=10"),
        ("assessment scores", f"{base}/assessments/{assessment.pk}/scores/"),
        ("dependency map", f"{base}/dependencies/"),
        ("API components (500)", "/api/v1/components/?page_size=500"),
        ("API dependency index", f"/api/v1/dependency-index/?organisation={organisation.pk}"),
    ]
    print(f"{options.components} components, {options.incidents} incidents, ReCyF 152 measures")
    for label, url in targets:
        timings = []
        for _index in range(options.repeat):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{label:<34} median {statistics.median(timings):8.1f} ms")


if __name__ == "__main__":
    main()
