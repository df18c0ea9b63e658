"""The reporting clock through a real incident, as dated cases computed by hand (docs/adr/0004).

Paris is UTC+01:00 in winter and UTC+02:00 in summer; summer time starts on 29 March 2026 (02:00 → 03:00),
28 March 2027 and 26 March 2028, and ends on 25 October 2026 (03:00 → 02:00). Hour deadlines are elapsed
hours (the UTC instant plus N hours); month deadlines are the same Paris wall-clock time one calendar month
later, the day clamped to the month's end. Each expected value is written as Paris shows it, offset included.
"""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents import deadlines
from incidents.deadlines import IncidentClock
from nis2.clock import UTC
from tests.incidents.deadline_rules import SHIPPED_RULES, Case, due_dates
from tests.incidents.reporting_clock_cases import CASES


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_dated_cases(case: Case, expected: dict[str, str | None]) -> None:
    assert due_dates(case) == expected


moments = st.datetimes(
    min_value=datetime.datetime(2024, 1, 1),  # noqa: DTZ001 - hypothesis draws naive values, zoned below
    max_value=datetime.datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
hours = st.integers(min_value=0, max_value=24 * 90).map(lambda count: datetime.timedelta(hours=count))


@st.composite
def clocks(draw: st.DrawFn) -> tuple[IncidentClock, dict[str, datetime.datetime]]:
    aware = draw(moments)
    resolved = draw(st.none() | hours.map(lambda delta: aware + delta))
    filed = draw(
        st.dictionaries(
            st.sampled_from(["early_warning", "notification", "progress", "final", "gdpr_breach"]),
            hours.map(lambda delta: aware + delta),
            max_size=4,
        )
    )
    clock = IncidentClock(
        aware_at=aware,
        resolved_at=resolved,
        significant=draw(st.booleans()),
        personal_data_breach=draw(st.booleans()),
        detected_at=aware - draw(hours),
        breach_aware_at=draw(st.none() | hours.map(lambda delta: aware + delta)),
        breach_high_risk=draw(st.booleans()),
        recipients_affected=draw(st.booleans()),
    )
    return clock, filed


def _plan(clock: IncidentClock, filed: dict[str, datetime.datetime]) -> dict[str, deadlines.PlannedObligation]:
    submissions = deadlines.effective_submissions(SHIPPED_RULES, filed)
    return {planned.step: planned for planned in deadlines.plan_obligations(clock, SHIPPED_RULES, submissions)}


@settings(max_examples=300, deadline=None)
@given(clocks())
def test_every_significant_incident_has_an_early_warning_and_a_notification(drawn) -> None:
    clock, filed = drawn
    plan = _plan(clock, filed)
    if clock.significant:
        assert {"early_warning", "notification", "final"} <= set(plan)
        assert plan["early_warning"].due_at == clock.aware_at + datetime.timedelta(hours=24)
        assert plan["notification"].due_at == clock.aware_at + datetime.timedelta(hours=72)
    else:
        assert not {"early_warning", "notification", "progress", "final", "recipients"} & set(plan)


@settings(max_examples=300, deadline=None)
@given(clocks())
def test_no_final_report_is_due_while_the_incident_is_unresolved(drawn) -> None:
    clock, filed = drawn
    plan = _plan(clock, filed)
    if clock.significant and clock.resolved_at is None:
        assert plan["final"].due_at is None
        assert plan["progress"].due_at is not None
    if "final" in plan and plan["final"].due_at is not None:
        assert clock.resolved_at is not None
        assert plan["final"].due_at >= plan["final"].window_start


# Which facts each step's due date may depend on: changing any other fact must leave it where it was.
DEPENDS_ON = {
    "early_warning": {"aware_at", "significant"},
    "notification": {"aware_at", "significant"},
    "progress": {"aware_at", "significant", "resolved_at"},
    "final": {"aware_at", "significant", "resolved_at"},
    "recipients": {"aware_at", "significant", "recipients_affected"},
    "gdpr_breach": {"breach_aware_at", "aware_at", "personal_data_breach"},
    "gdpr_data_subjects": {"breach_aware_at", "aware_at", "personal_data_breach", "breach_high_risk"},
}


@settings(max_examples=400, deadline=None)
@given(
    clocks(),
    st.sampled_from(["resolved_at", "breach_aware_at", "breach_high_risk", "recipients_affected", "detected_at"]),
    moments,
)
def test_a_due_date_never_moves_because_of_a_change_it_does_not_depend_on(drawn, fact, moment) -> None:
    """Saving a fact moves only the deadlines that run from it (a save that changed nothing relevant moves none)."""
    clock, filed = drawn
    current = getattr(clock, fact)
    changed_value = (not current) if isinstance(current, bool) else moment
    changed = dataclasses.replace(clock, **{fact: changed_value})
    before, after = _plan(clock, filed), _plan(changed, filed)
    for step in set(before) & set(after):
        if fact not in DEPENDS_ON[step]:
            assert after[step].due_at == before[step].due_at, (step, fact)


@settings(max_examples=300, deadline=None)
@given(clocks())
def test_the_breach_clock_runs_from_the_breach_awareness(drawn) -> None:
    clock, filed = drawn
    plan = _plan(clock, filed)
    if clock.personal_data_breach:
        start = clock.breach_aware_at or clock.aware_at
        assert plan["gdpr_breach"].due_at == start + datetime.timedelta(hours=72)
        assert ("gdpr_data_subjects" in plan) is clock.breach_high_risk
    else:
        assert "gdpr_breach" not in plan
        assert "gdpr_data_subjects" not in plan
