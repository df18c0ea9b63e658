"""Incident status rules, as pure functions: allowed transitions, the awareness-delay rule and the
closing rule (no incident is closed without a root cause, or a justified, investigated "undetermined")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from nis2.clock import to_utc

AWARENESS_DELAY_NEEDING_JUSTIFICATION = datetime.timedelta(hours=24)
UNKNOWN_CAUSE_FLAG_AFTER = datetime.timedelta(days=30)

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"investigating", "contained", "resolved"}),
    "investigating": frozenset({"contained", "resolved"}),
    "contained": frozenset({"investigating", "resolved"}),
    "resolved": frozenset({"investigating", "closed"}),
    "closed": frozenset(),
}

# The timestamp each status dates when it is first reached.
STATUS_TIMESTAMPS = {"contained": "contained_at", "resolved": "resolved_at", "closed": "closed_at"}


OPEN_STATUSES = frozenset({"new", "investigating", "contained"})


def timestamps_cleared_by(target: str) -> tuple[str, ...]:
    """Going back to an open status (a resolved incident reopened) clears the end of handling: the final
    report's month runs from the next resolution (Directive (EU) 2022/2555, Art. 23(4)(e))."""
    return ("resolved_at", "closed_at") if target in OPEN_STATUSES else ()


def transition_allowed(current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, frozenset())


def awareness_needs_justification(detected_at: datetime.datetime, aware_at: datetime.datetime | None) -> bool:
    """Elapsed hours, computed in UTC (two times sharing a zone would otherwise subtract wall clocks)."""
    return aware_at is not None and to_utc(aware_at) - to_utc(detected_at) > AWARENESS_DELAY_NEEDING_JUSTIFICATION


@dataclass(frozen=True)
class RootCauseFacts:
    category: str
    explanation: str
    undetermined_justification: str
    investigation_steps: int
    names_component: bool = False  # a third-party failure names the failing dependency component


def closing_problems(facts: RootCauseFacts) -> list[str]:
    """Codes of what prevents closing: empty when the incident may be closed."""
    if not facts.category:
        return ["root_cause_missing"]
    if facts.category == "undetermined":
        problems = []
        if not facts.undetermined_justification.strip():
            problems.append("undetermined_not_justified")
        if facts.investigation_steps < 1:
            problems.append("undetermined_not_investigated")
        return problems
    problems = [] if facts.explanation.strip() else ["root_cause_not_explained"]
    if facts.category == "third_party_failure" and not facts.names_component:
        problems.append("third_party_component_missing")
    return problems


def cause_unknown_too_long(
    *,
    aware_at: datetime.datetime | None,
    detected_at: datetime.datetime,
    root_cause_identified: bool,
    now: datetime.datetime,
) -> bool:
    """Flag incidents whose cause is still unknown 30 days after awareness (or detection)."""
    start = aware_at or detected_at
    return not root_cause_identified and to_utc(now) - to_utc(start) > UNKNOWN_CAUSE_FLAG_AFTER
