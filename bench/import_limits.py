"""Import limits benchmark: time and peak memory of reading the largest accepted component file
and of rejecting hostile ones (forged dimension, row bombs, cell bomb).

    .venv/bin/python bench/import_limits.py

Measures dependencies.tabular.read, the step a hostile file attacks (the writes of an accepted
file are the import's ordinary cost). Peak memory is Python allocations (tracemalloc). These
figures, not timed assertions in tests, are how the limits' cost is followed.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHEET = "xl/worksheets/sheet1.xml"


def _rewrite_sheet(content: bytes, rewrite: Callable[[bytes], bytes]) -> bytes:
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as forged:
        for member in source.infolist():
            data = source.read(member)
            forged.writestr(member.filename, rewrite(data) if member.filename == SHEET else data)
    return target.getvalue()


def _files() -> dict[str, tuple[str, bytes]]:
    from dependencies import tabular
    from tests.dependencies.component_rows import PAYROLL

    row = {**PAYROLL, "notes": "Renouvellement en 2027"}
    rows = [{**row, "name": f"Composant {number}"} for number in range(tabular.MAX_ROWS)]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=tabular.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    header_only = tabular.write_xlsx([])
    tiny_rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n) for n in range(2, 100_002)
    )

    def add(extra: bytes) -> Callable[[bytes], bytes]:
        return lambda xml: xml.replace(b"</row></sheetData>", b"</row>" + extra + b"</sheetData>")

    def dimension(reference: str) -> Callable[[bytes], bytes]:
        return lambda xml: re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{reference}"/>'.encode(), xml)

    return {
        "accepted: 5,000 rows CSV": ("csv", buffer.getvalue().encode()),
        "accepted: 5,000 rows XLSX": ("xlsx", tabular.write_xlsx(rows)),
        "rejected: dimension A1:XFD1048576": ("xlsx", _rewrite_sheet(header_only, dimension("A1:XFD1048576"))),
        "rejected: 100,000-row bomb XLSX, dimension A1:W1": ("xlsx", _rewrite_sheet(header_only, add(tiny_rows))),
        "rejected: 100,000-row bomb XLSX, dimension A1:W2": (
            "xlsx",
            _rewrite_sheet(header_only, lambda xml: dimension("A1:W2")(add(tiny_rows)(xml))),
        ),
        "rejected: 100,000-row bomb CSV": ("csv", ",".join(tabular.COLUMNS).encode() + b"\nx" * 100_000),
        "rejected: one row of 1,000,000 cells XLSX": (
            "xlsx",
            _rewrite_sheet(header_only, add(b'<row r="2">' + b"<c/>" * 1_000_000 + b"</row>")),
        ),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nis2.settings")
    import django

    django.setup()
    from dependencies import tabular

    print(f"{'file':<52} {'size':>9} {'outcome':<34} {'time':>8} {'peak memory':>12}")
    for label, (extension, content) in _files().items():
        tracemalloc.start()
        started = time.perf_counter()
        try:
            outcome = f"{len(tabular.read(content, f'components.{extension}'))} rows read"
        except tabular.FileRejected as rejected:
            outcome = rejected.errors[0].message
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{label:<52} {len(content) / 1024:>6.1f} KB {outcome:<34} {elapsed:>6.3f} s {peak / 2**20:>8.1f} MB")


if __name__ == "__main__":
    main()
