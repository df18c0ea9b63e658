import csv
import datetime
from collections.abc import Callable
from pathlib import Path

import pytest

from controls import services
from controls.models import Assessment, Framework, Requirement
from nis2.models import Organisation
from nis2.periods import parse_quarter
from tests.controls.factories import FrameworkFactory, SectionFactory

REFERENCE_DATA = Path(__file__).resolve().parent.parent / "data"


def _reference_rows(name: str) -> list[dict[str, str]]:
    """A reference list carried by the repository (tests/data/README.md names its source)."""
    with (REFERENCE_DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def recyf_rows() -> list[dict[str, str]]:
    """The 152 ReCyF v2.5 measures as ANSSI lists them."""
    return _reference_rows("recyf-2.5.csv")


@pytest.fixture(scope="session")
def cir_rows() -> list[dict[str, str]]:
    """Every numbered element of the annex of Implementing Regulation (EU) 2024/2690."""
    return _reference_rows("cir-2024-2690-annex.csv")


@pytest.fixture(scope="session")
def mapping_rows() -> list[dict[str, str]]:
    """ANSSI's ReCyF ↔ 2024/2690 correspondence (223 links)."""
    return _reference_rows("recyf-to-cir-2024-2690.csv")


@pytest.fixture
def small_framework() -> Framework:
    """Four requirements in two sections:

    ====  ======  ======  =================
    ref   weight  art21   applies to
    ====  ======  ======  =================
    1.1   2       a, b    important, essential
    1.2   1       b       important, essential
    2.1   1       c       important, essential
    2.2   1       c       essential only
    ====  ======  ======  =================
    """
    framework = FrameworkFactory(code="small", name_en="Small framework")
    first = SectionFactory(framework=framework, ref="1", title_en="Governance", position=0)
    second = SectionFactory(framework=framework, ref="2", title_en="Protection", position=1)
    rows = [
        (first, "1.1", 2, "ab", True),
        (first, "1.2", 1, "b", True),
        (second, "2.1", 1, "c", True),
        (second, "2.2", 1, "c", False),
    ]
    for position, (section, ref, weight, points, for_important) in enumerate(rows):
        Requirement.objects.create(
            framework=framework,
            section=section,
            ref=ref,
            title_fr=f"Mesure {ref}",
            title_en=f"Measure {ref}",
            statement_fr="Énoncé",
            statement_en="Statement",
            weight=weight,
            art21_points=points,
            applies_to_important=for_important,
            applies_to_essential=True,
            position=position,
        )
    return framework


@pytest.fixture
def make_assessment(organisation: Organisation, small_framework: Framework) -> Callable[..., Assessment]:
    """``make_assessment(label, levels, status=...)``: the organisation's assessment of ``small_framework``,
    created by the service, with the given current levels (``{"1.1": 3}``) and status set directly."""

    def make(
        label: str = "2026-T4",
        levels: dict[str, int | None] | None = None,
        *,
        status: str = Assessment.Status.DRAFT,
    ) -> Assessment:
        quarter = parse_quarter(label)
        assessment = services.assessment_create(
            organisation=organisation,
            framework=small_framework,
            label=label,
            period_start=quarter.start if quarter else datetime.date(2026, 10, 1),
            period_end=quarter.end if quarter else datetime.date(2026, 12, 31),
            actor=None,
        )
        for ref, level in (levels or {}).items():
            assessment.items.filter(requirement__ref=ref).update(current_level=level)
        if status != Assessment.Status.DRAFT:
            Assessment.objects.filter(pk=assessment.pk).update(status=status)
            assessment.refresh_from_db()
        return assessment

    return make
