"""Numbers as JSON carries them: the API and the report snapshots write decimals as floats."""

from __future__ import annotations

from decimal import Decimal


def decimal_to_float(value: Decimal | float | None) -> float | None:
    """``value`` as a JSON number, ``None`` kept (a score not computed is not a zero)."""
    return float(value) if value is not None else None
