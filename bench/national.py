"""The national benchmark: Rempart with every French local authority, on PostgreSQL.

    .venv/bin/python bench/national.py [--scale 1.0] [--repeat 5] [--skip-generate] [--json PATH]
    .venv/bin/python bench/national.py --compare SMALLER.json LARGER.json

(Re)creates the database ``rempart_bench`` (drop, create, migrate) unless ``--skip-generate``, loads the
national data set (bench/national_generate.py; ``--scale 0.1`` for a data set ten times smaller), measures the
pages, API lists, writes, tasks and reports named in bench/README.md (median of ``--repeat`` interleaved runs),
prints a Markdown table and writes the figures with the machine they ran on as JSON. The server is
PostgreSQL on 127.0.0.1:5432 as user postgres, or ``BENCH_DATABASE_URL`` (its database is dropped and created
again). Never point it at a database you care about.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/rempart_bench"
PROTECTED_DATABASES = ("rempart", "postgres", "template0", "template1")


def configure_environment(database_url: str) -> None:
    """Production-like settings (DEBUG off, manifest-less static files), e-mails discarded, media in a
    temporary directory, Celery eager (the beat's broker is mocked where it is measured)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "national-benchmark-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ["STATIC_MANIFEST"] = "0"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["EMAIL_URL"] = "dummymail://"
    os.environ["CACHE_URL"] = "locmemcache://"
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.pop("DATABASE_HOST", None)
    os.environ.pop("DATABASE_NAME", None)
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="rempart-bench-media-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nis2.settings")
    warnings.filterwarnings("ignore", message="No directory at")  # no collectstatic here


def recreate_database(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if name in PROTECTED_DATABASES or name.startswith("test_rempart"):
        raise SystemExit(f"refusing to drop the database {name!r}")
    server = urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: the whole country; 0.1: ten times smaller")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved runs of each measurement (median)")
    parser.add_argument("--repeat-slow", type=int, default=None, help="runs of the slow tasks (default: --repeat)")
    parser.add_argument("--skip-generate", action="store_true", help="measure the data set already loaded")
    parser.add_argument("--generate-only", action="store_true", help="load the data set, measure nothing")
    parser.add_argument("--json", type=Path, default=None, help="default: bench/results/national-scale-<scale>.json")
    parser.add_argument("--compare", type=Path, nargs=2, metavar="JSON", help="print two runs side by side")
    parser.add_argument("--task", help=argparse.SUPPRESS)  # one task in a fresh process, for its peak memory
    options = parser.parse_args()
    if options.compare:
        from bench.national_report import comparison_table

        print(comparison_table(*(json.loads(path.read_text()) for path in options.compare)))
        return
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    configure_environment(database_url)
    if options.task:
        from bench.national_memory import run_task_in_this_process

        run_task_in_this_process(options.task)
        return
    started = time.time()
    generation = None
    if not options.skip_generate:
        generation = _generate(database_url, options.scale)
    if options.generate_only:
        return
    _measure(options, generation, started)


def _generate(database_url: str, scale: float) -> dict[str, object]:
    recreate_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    from bench.national_generate import generate

    print(f"Generating the national data set at scale {scale} into {urlsplit(database_url).path.lstrip('/')}")
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - start
    print(f"  {'migrate':<48} {migrated:8.1f} s", flush=True)
    result = generate(scale)
    result["phases"] = {"migrate": round(migrated, 2), **result["phases"]}
    result["seconds"] = round(time.perf_counter() - start, 1)
    print(f"  {'total':<48} {result['seconds']:8.1f} s", flush=True)
    return result


def _measure(options: argparse.Namespace, generation: dict[str, object] | None, started: float) -> None:
    import django

    if not generation:
        django.setup()
    from bench.national_measure import measure
    from bench.national_report import machine, markdown_table

    results = measure(repeat=options.repeat, repeat_slow=options.repeat_slow or options.repeat)
    document = {
        "benchmark": "national",
        "scale": options.scale if generation else results["dataset"].get("scale"),
        "repeat": options.repeat,
        "machine": machine(),
        "generation": generation,
        **results,
        "wall_clock_seconds": round(time.time() - started, 1),
    }
    path = options.json or ROOT / "bench" / "results" / _result_name(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")
    print(markdown_table(document))
    print(f"\nWritten to {path}")


def _result_name(document: dict[str, Any]) -> str:
    """national-scale-<scale>-<commit>.json: runs of different commits never overwrite each other."""
    commit = document["machine"]["git_commit"][:7]
    dirty = "-dirty" if document["machine"]["uncommitted_application_changes"] else ""
    return f"national-scale-{document['scale']}" + (f"-{commit}{dirty}" if commit else "") + ".json"


if __name__ == "__main__":
    main()
