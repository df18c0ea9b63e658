"""The NIS 2 reporting clock as pure functions, against the worked cases of docs nis2.md §7.

Hour deadlines are elapsed hours (UTC arithmetic); month deadlines are calendar months on the Paris
wall clock, clamped to the month's end. Expected times are written with the offset Paris has then,
and compared on both the instant and the offset.
"""

import datetime

import pytest
import yaml

from incidents.deadlines import Condition, Rule, RunsFrom
from incidents.reference_data import RULES_FILE
from tests.incidents.deadline_rules import (
    EARLY_WARNING,
    FINAL,
    NOTIFICATION,
    SHIPPED_RULES,
    SUMMER,
    WINTER,
    offset_time,
    paris,
    planned,
)

# Directive (EU) 2022/2555, Art. 23(4), 2nd subparagraph: trust service providers notify within 24 h.
TRUST_SERVICE_RULES = [
    EARLY_WARNING,
    Rule(
        code="nis2-notification-trust-service",
        step="notification",
        authority="anssi",
        condition=Condition.SIGNIFICANT,
        runs_from=RunsFrom.AWARENESS,
        delay_hours=24,
        satisfies_step="early_warning",
    ),
    FINAL,
]


def test_rules_used_here_mirror_the_shipped_file() -> None:
    document = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    shipped = [
        Rule(
            code=entry["code"],
            step=entry["step"],
            authority=entry["authority"],
            condition=Condition(entry["condition"]),
            runs_from=RunsFrom(entry["runs_from"]),
            delay_hours=entry.get("delay_hours"),
            delay_months=entry.get("delay_months"),
            anchor_step=entry.get("anchor_step"),
            satisfies_step=entry.get("satisfies_step"),
            progress_if_unresolved=entry.get("progress_if_unresolved", False),
            without_undue_delay=entry.get("without_undue_delay", False),
        )
        for entry in document["rules"]
    ]
    assert sorted(shipped, key=lambda rule: rule.code) == sorted(SHIPPED_RULES, key=lambda rule: rule.code)


@pytest.mark.parametrize(
    ("aware_at", "submissions", "rules", "expected"),
    [
        pytest.param(
            paris(2026, 3, 2, 10),
            {},
            SHIPPED_RULES,
            {
                "early_warning": (offset_time(2026, 3, 3, 10, 0, WINTER), False),
                "notification": (offset_time(2026, 3, 5, 10, 0, WINTER), False),
                # Not filed yet: provisionally one month after the notification's due time.
                "final": (offset_time(2026, 4, 5, 10, 0, SUMMER), True),
            },
            id="1-baseline-before-any-filing",
        ),
        pytest.param(
            paris(2026, 3, 2, 10),
            {"notification": paris(2026, 3, 5, 10)},
            SHIPPED_RULES,
            {
                "early_warning": (offset_time(2026, 3, 3, 10, 0, WINTER), False),
                "notification": (offset_time(2026, 3, 5, 10, 0, WINTER), False),
                "final": (offset_time(2026, 4, 5, 10, 0, SUMMER), False),
            },
            id="1-baseline-notification-filed-at-its-deadline",
        ),
        pytest.param(
            paris(2026, 3, 2, 10),
            {"notification": paris(2026, 3, 4, 15, 20)},
            SHIPPED_RULES,
            {
                "early_warning": (offset_time(2026, 3, 3, 10, 0, WINTER), False),
                "notification": (offset_time(2026, 3, 5, 10, 0, WINTER), False),
                "final": (offset_time(2026, 4, 4, 15, 20, SUMMER), False),
            },
            id="2-final-runs-from-the-notification-submission",
        ),
        pytest.param(
            paris(2026, 3, 28, 10),
            {},
            SHIPPED_RULES,
            {
                "early_warning": (offset_time(2026, 3, 29, 11, 0, SUMMER), False),
                "notification": (offset_time(2026, 3, 31, 11, 0, SUMMER), False),
                "final": (offset_time(2026, 4, 30, 11, 0, SUMMER), True),
            },
            id="3-spring-forward-inside-24h",
        ),
        pytest.param(
            paris(2026, 3, 27, 10),
            {},
            SHIPPED_RULES,
            {
                "early_warning": (offset_time(2026, 3, 28, 10, 0, WINTER), False),
                "notification": (offset_time(2026, 3, 30, 11, 0, SUMMER), False),
                "final": (offset_time(2026, 4, 30, 11, 0, SUMMER), True),
            },
            id="4-spring-forward-inside-72h-only",
        ),
        pytest.param(
            paris(2026, 10, 24, 10),
            {},
            SHIPPED_RULES,
            {
                "early_warning": (offset_time(2026, 10, 25, 9, 0, WINTER), False),
                "notification": (offset_time(2026, 10, 27, 9, 0, WINTER), False),
                "final": (offset_time(2026, 11, 27, 9, 0, WINTER), True),
            },
            id="5-fall-back-inside-24h",
        ),
        pytest.param(
            datetime.datetime(2026, 10, 25, 2, 30, tzinfo=SUMMER),
            {},
            [EARLY_WARNING],
            {"early_warning": (offset_time(2026, 10, 26, 1, 30, WINTER), False)},
            id="7-ambiguous-0230-first-occurrence-+02",
        ),
        pytest.param(
            datetime.datetime(2026, 10, 25, 2, 30, tzinfo=WINTER),
            {},
            [EARLY_WARNING],
            {"early_warning": (offset_time(2026, 10, 26, 2, 30, WINTER), False)},
            id="7-ambiguous-0230-second-occurrence-+01",
        ),
        pytest.param(
            paris(2026, 1, 30, 16),
            {"notification": paris(2026, 1, 31, 16)},
            [NOTIFICATION, FINAL],
            {
                "notification": (offset_time(2026, 2, 2, 16, 0, WINTER), False),
                "final": (offset_time(2026, 2, 28, 16, 0, WINTER), False),
            },
            id="8-month-end-31-january-to-28-february",
        ),
        pytest.param(
            paris(2028, 1, 30, 16),
            {"notification": paris(2028, 1, 31, 16)},
            [NOTIFICATION, FINAL],
            {
                "notification": (offset_time(2028, 2, 2, 16, 0, WINTER), False),
                "final": (offset_time(2028, 2, 29, 16, 0, WINTER), False),
            },
            id="8-month-end-leap-year-29-february",
        ),
        pytest.param(
            paris(2026, 3, 30, 16),
            {"notification": paris(2026, 3, 31, 16)},
            [NOTIFICATION, FINAL],
            {
                "notification": (offset_time(2026, 4, 2, 16, 0, SUMMER), False),
                "final": (offset_time(2026, 4, 30, 16, 0, SUMMER), False),
            },
            id="8-month-end-31-march-to-30-april",
        ),
        pytest.param(
            # Detected 2026-03-02 08:00, qualified significant at 14:00: the clock runs from 14:00.
            paris(2026, 3, 2, 14),
            {},
            [EARLY_WARNING, NOTIFICATION],
            {
                "early_warning": (offset_time(2026, 3, 3, 14, 0, WINTER), False),
                "notification": (offset_time(2026, 3, 5, 14, 0, WINTER), False),
            },
            id="9-clock-runs-from-awareness-not-detection",
        ),
        pytest.param(
            paris(2026, 3, 6, 18),
            {},
            [EARLY_WARNING, NOTIFICATION],
            {
                "early_warning": (offset_time(2026, 3, 7, 18, 0, WINTER), False),  # Saturday
                "notification": (offset_time(2026, 3, 9, 18, 0, WINTER), False),  # Monday
            },
            id="12-weekend-no-rollover",
        ),
        pytest.param(
            paris(2026, 3, 2, 10),
            {},
            TRUST_SERVICE_RULES,
            {
                "early_warning": (offset_time(2026, 3, 3, 10, 0, WINTER), False),
                "notification": (offset_time(2026, 3, 3, 10, 0, WINTER), False),
                "final": (offset_time(2026, 4, 3, 10, 0, SUMMER), True),
            },
            id="13-trust-service-notification-within-24h",
        ),
    ],
)
def test_deadlines_of_the_worked_cases(aware_at, submissions, rules, expected) -> None:
    assert planned(aware_at, submissions, rules=rules) == expected
