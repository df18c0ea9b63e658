"""Export benchmark: the time and size of an organisation's archive, and the time to restore it.

    .venv/bin/python bench/export.py [--components 1000] [--incidents 200] [--repeat 3]

One organisation with the given components and incidents and two assessments of ReCyF (152
measures each), on a throw-away SQLite database (or DATABASE_URL if set). The restore runs
against a second, empty database loaded with the reference data. Prints medians; these figures,
not timed assertions in tests, are how the export's cost is followed (recorded in the README).
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
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
    parser.add_argument("--incidents", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    workspace = Path(tempfile.mkdtemp())
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workspace / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["MEDIA_ROOT"] = str(workspace / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nis2.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.generate import generate
    from controls import services as controls
    from nis2.archive.exporting import export_organisation
    from nis2.archive.importing import import_organisation
    from nis2.models import Organisation

    call_command("migrate", verbosity=0)
    organisation, user, assessment = generate(components=options.components, incidents=options.incidents)
    controls.assessment_copy(
        assessment=assessment,
        label="2027-T1",
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 3, 31),
        actor=user,
    )

    export_times, archive = [], workspace / "archive"
    for _index in range(options.repeat):
        shutil.rmtree(archive, ignore_errors=True)
        start = time.perf_counter()
        summary = export_organisation(organisation, archive)
        export_times.append(time.perf_counter() - start)
    size = summary.size
    zipped = Path(shutil.make_archive(str(workspace / "archive"), "zip", root_dir=archive))

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(workspace / "media", ignore_errors=True)
    call_command("load_reference_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    start = time.perf_counter()
    import_organisation(archive)
    import_time = time.perf_counter() - start
    assert Organisation.objects.count() == 1

    print(
        f"{options.components} components, {options.incidents} incidents, two ReCyF assessments: "
        f"{sum(summary.rows.values())} rows, {sum(summary.history_rows.values())} history rows"
    )
    print(f"export (median of {options.repeat})   {statistics.median(export_times) * 1000:8.0f} ms")
    print(f"archive size                {size / 1_000_000:8.1f} MB ({zipped.stat().st_size / 1_000_000:.1f} MB zipped)")
    print(f"import into an empty instance {import_time * 1000:6.0f} ms")
    shutil.rmtree(workspace)


if __name__ == "__main__":
    main()
