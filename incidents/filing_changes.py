"""What a corrected filing changes in the one it corrects. Filings are append-only: a correction is a new
filing that supersedes the previous one, and the register shows, field by field, how the two differ."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from nis2.clock import to_utc

if TYPE_CHECKING:
    from incidents.models import Filing

Value = str | datetime.datetime | None


@dataclass(frozen=True)
class FilingValues:
    """A filing as plain values, in the order the changes are listed: a choice by its label, the proof by
    its file name (not its storage path)."""

    submitted_at: datetime.datetime
    channel: str
    reference: str
    delay_reason: str
    proof: str


@dataclass(frozen=True)
class Change:
    field: str  # a name of FilingValues
    before: Value
    after: Value


def filing_changes(previous: FilingValues, current: FilingValues) -> list[Change]:
    """The fields whose value differs, in FilingValues' order."""
    changes = []
    for field in fields(FilingValues):
        before, after = getattr(previous, field.name), getattr(current, field.name)
        if _comparable(before) != _comparable(after):
            changes.append(Change(field.name, before, after))
    return changes


def _comparable(value: Value) -> Value:
    """Instants compare in UTC: Python compares two times of one zone by their wall clock, so the two
    02:30 of the night the clocks go back would otherwise be equal."""
    return to_utc(value) if isinstance(value, datetime.datetime) else value


def filing_values(filing: Filing) -> FilingValues:
    """The plain values of a filing, its channel's label in the active language."""
    return FilingValues(
        submitted_at=filing.submitted_at,
        channel=str(filing.get_channel_display()),
        reference=filing.reference,
        delay_reason=filing.delay_reason,
        proof=PurePosixPath(filing.proof.name or "").name if filing.proof else "",
    )
