"""Which reporting regimes apply to an incident, and to whom each obligation goes."""

import datetime

import pytest

from incidents import deadlines
from incidents.deadlines import IncidentClock
from nis2.clock import UTC
from tests.incidents.deadline_rules import SHIPPED_RULES, SUMMER, WINTER, offset_time, paris, planned


@pytest.mark.parametrize(
    ("significant", "personal_data_breach", "expected"),
    [
        pytest.param(
            False,
            True,
            {"gdpr_breach": (offset_time(2026, 3, 5, 10, 0, WINTER), False)},
            id="personal-data-only-cnil-clock",
        ),
        pytest.param(
            True,
            True,
            {
                "early_warning": (offset_time(2026, 3, 3, 10, 0, WINTER), False),
                "notification": (offset_time(2026, 3, 5, 10, 0, WINTER), False),
                "final": (offset_time(2026, 4, 5, 10, 0, SUMMER), True),
                "gdpr_breach": (offset_time(2026, 3, 5, 10, 0, WINTER), False),
            },
            id="significant-with-personal-data-both-regimes",
        ),
        pytest.param(False, False, {}, id="not-significant-nothing-owed"),
    ],
)
def test_which_regimes_apply(significant, personal_data_breach, expected) -> None:
    plan = planned(paris(2026, 3, 2, 10), significant=significant, personal_data_breach=personal_data_breach)

    assert plan == expected


def test_gdpr_obligation_goes_to_the_cnil() -> None:
    clock = IncidentClock(
        aware_at=paris(2026, 3, 2, 10), resolved_at=None, significant=False, personal_data_breach=True
    )

    [gdpr] = deadlines.plan_obligations(clock, SHIPPED_RULES, {})

    assert (gdpr.step, gdpr.rule_code, gdpr.authority) == ("gdpr_breach", "gdpr-breach", "cnil")
    assert gdpr.window_start == datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_no_awareness_no_clock() -> None:
    assert planned(None, significant=True, personal_data_breach=True) == {}
