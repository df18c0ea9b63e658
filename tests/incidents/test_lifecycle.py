"""Incident statuses, the awareness-delay rule and the closing rule as pure rules."""

import datetime

import pytest

from incidents import lifecycle
from incidents.lifecycle import RootCauseFacts
from nis2.clock import PARIS

STATUSES = ["new", "investigating", "contained", "resolved", "closed"]
ALLOWED = {
    ("new", "investigating"),
    ("new", "contained"),
    ("new", "resolved"),
    ("investigating", "contained"),
    ("investigating", "resolved"),
    ("contained", "investigating"),
    ("contained", "resolved"),
    ("resolved", "investigating"),
    ("resolved", "closed"),
}


@pytest.mark.parametrize(
    ("current", "target"),
    [
        pytest.param(current, target, id=f"{current}-to-{target}")
        for current in STATUSES
        for target in STATUSES
        if current != target
    ],
)
def test_transition_table(current: str, target: str) -> None:
    assert lifecycle.transition_allowed(current, target) is ((current, target) in ALLOWED)


@pytest.mark.parametrize("status", STATUSES)
def test_no_transition_to_the_same_status(status: str) -> None:
    assert lifecycle.transition_allowed(status, status) is False


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(RootCauseFacts("", "", "", 3), ["root_cause_missing"], id="no-root-cause"),
        pytest.param(
            RootCauseFacts("malicious_action", "  ", "", 0), ["root_cause_not_explained"], id="identified-not-explained"
        ),
        pytest.param(RootCauseFacts("malicious_action", "Hameçonnage du DGS", "", 0), [], id="identified-explained"),
        pytest.param(
            RootCauseFacts("undetermined", "", "", 0),
            ["undetermined_not_justified", "undetermined_not_investigated"],
            id="undetermined-neither-justified-nor-investigated",
        ),
        pytest.param(
            RootCauseFacts("undetermined", "", "Journaux écrasés", 0),
            ["undetermined_not_investigated"],
            id="undetermined-justified-not-investigated",
        ),
        pytest.param(
            RootCauseFacts("undetermined", "", " ", 1),
            ["undetermined_not_justified"],
            id="undetermined-investigated-blank-justification",
        ),
        pytest.param(
            RootCauseFacts("undetermined", "", "Journaux écrasés", 1), [], id="undetermined-justified-and-investigated"
        ),
    ],
)
def test_closing_problems(facts: RootCauseFacts, expected: list[str]) -> None:
    assert lifecycle.closing_problems(facts) == expected


DETECTED = datetime.datetime(2026, 5, 4, 8, 0, tzinfo=PARIS)  # 30 days later is still summer time


@pytest.mark.parametrize(
    ("detected_at", "aware_at", "expected"),
    [
        # Same wall-clock time the next day, but 25 elapsed hours across the autumn change.
        pytest.param(
            datetime.datetime(2026, 10, 24, 8, 0, tzinfo=PARIS),
            datetime.datetime(2026, 10, 25, 8, 0, tzinfo=PARIS),
            True,
            id="autumn-25-elapsed-hours",
        ),
        # 24 h 30 on the wall clock, but 23 h 30 elapsed across the spring change.
        pytest.param(
            datetime.datetime(2026, 3, 28, 8, 0, tzinfo=PARIS),
            datetime.datetime(2026, 3, 29, 8, 30, tzinfo=PARIS),
            False,
            id="spring-23-and-a-half-elapsed-hours",
        ),
    ],
)
def test_awareness_delay_counts_elapsed_hours_across_daylight_saving(detected_at, aware_at, expected) -> None:
    assert lifecycle.awareness_needs_justification(detected_at, aware_at) is expected


@pytest.mark.parametrize(
    ("aware_at", "expected"),
    [
        pytest.param(None, False, id="not-aware-yet"),
        pytest.param(DETECTED + datetime.timedelta(hours=6), False, id="six-hours"),
        pytest.param(DETECTED + datetime.timedelta(hours=24), False, id="exactly-24-hours"),
        pytest.param(DETECTED + datetime.timedelta(hours=24, minutes=1), True, id="24-hours-and-a-minute"),
    ],
)
def test_awareness_long_after_detection_needs_a_justification(aware_at, expected) -> None:
    assert lifecycle.awareness_needs_justification(DETECTED, aware_at) is expected


@pytest.mark.parametrize(
    ("aware_at", "identified", "now", "expected"),
    [
        pytest.param(DETECTED, False, DETECTED + datetime.timedelta(days=30), False, id="exactly-30-days"),
        pytest.param(DETECTED, False, DETECTED + datetime.timedelta(days=30, seconds=1), True, id="past-30-days"),
        pytest.param(DETECTED, True, DETECTED + datetime.timedelta(days=90), False, id="cause-identified"),
        pytest.param(None, False, DETECTED + datetime.timedelta(days=31), True, id="from-detection-without-awareness"),
        pytest.param(
            DETECTED + datetime.timedelta(days=5),
            False,
            DETECTED + datetime.timedelta(days=31),
            False,
            id="counted-from-awareness",
        ),
    ],
)
def test_cause_unknown_too_long(aware_at, identified, now, expected) -> None:
    result = lifecycle.cause_unknown_too_long(
        aware_at=aware_at, detected_at=DETECTED, root_cause_identified=identified, now=now
    )

    assert result is expected
