"""The consolidated snapshot reads its members in set-based queries (issue 15): on a varied data set
(tests/reports/lake.py), the snapshots are exactly those the per-member implementation produced, kept in
``snapshot_equivalence.json`` (``meta.issued_at``, the time of the run, left out).

The file was written by the per-member implementation (before issue 15) on this data set. After a deliberate
change of the data set or of the snapshot's content, write it again from the current implementation with
``REMPART_WRITE_SNAPSHOT_EQUIVALENCE=1`` set, and review its diff."""

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nis2.models import Membership, Organisation
from nis2.periods import Period, Year
from reports.snapshot import build_snapshot
from tests.reports import lake as the_lake
from tests.reports.dates import Q2, Q3

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).with_name("snapshot_equivalence.json")
SNAPSHOTS: dict[str, tuple[str, Period, str, bool]] = {
    # name: (organisation, period, language, consolidated)
    "consolidated_q3": ("epci", Q3, "fr", True),
    "consolidated_2026": ("epci", Year(2026), "en", True),
    "consolidated_q2": ("epci", Q2, "fr", True),
    "commune_q3": ("upstream", Q3, "fr", False),
}


@pytest.fixture
def lake(member_of: Callable[..., Membership]) -> dict[str, Organisation]:
    return the_lake.lake(member_of)


def snapshots(organisations: dict[str, Organisation]) -> dict[str, Any]:
    result = {}
    for name, (organisation, period, language, consolidated) in SNAPSHOTS.items():
        snapshot = build_snapshot(organisations[organisation], period, language=language, consolidated=consolidated)
        del snapshot["meta"]["issued_at"]
        result[name] = json.loads(json.dumps(snapshot))
    return result


def test_the_snapshots_are_those_of_the_per_member_implementation(lake: dict[str, Organisation]) -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))

    produced = snapshots(lake)

    if os.environ.get("REMPART_WRITE_SNAPSHOT_EQUIVALENCE") == "1":
        EXPECTED.write_text(json.dumps(produced, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        pytest.skip(f"{EXPECTED.name} written again: review its diff")
    for name in SNAPSHOTS:
        assert produced[name] == expected[name], name


def test_the_data_set_is_varied() -> None:
    """The comparison means something: every section of every sharing member holds data."""
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    quarterly = expected["consolidated_q3"]

    members = {member["name"]: member for member in quarterly["members"]}
    assert members["Commune du Col"] == {"name": "Commune du Col", "shared": False}
    assert members["Commune d'Amont"]["maturity"]["assessed"] == 3
    assert (members["Commune d'Amont"]["incidents"]["total"], members["Commune d'Aval"]["incidents"]["total"]) == (2, 1)
    assert members["Commune de Bourg"]["maturity"] is None
    assert [row["title"] for row in quarterly["incidents"]["rows"]] == [
        "Rançongiciel à Amont",
        "Défiguration du site",
        "Hameçonnage",
        "Fuite de courriels",
    ]
    assert quarterly["dependencies"]["components"] == 4
    assert quarterly["dependencies"]["previous_index"] is not None
    assert sorted(row["title"] for row in quarterly["actions"]["overdue"]) == [
        "Activer la double authentification",
        "Cartographier le SI",
        "Inventorier les postes",
        "Revoir le plan de reprise",
    ]
    assert quarterly["governance"]["changes"]
    assert len(expected["consolidated_2026"]["year_by_quarter"]) == 4
