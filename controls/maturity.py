"""The 0–5 maturity scale, in Rempart's words, anchored on ISO/IEC 33020 and CMMI levels and on
what the NIS 2 texts demand (approval by the management body, yearly review, testing)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

MIN_LEVEL = 0
MAX_LEVEL = 5
DEFAULT_TARGET_LEVEL = 3


@dataclass(frozen=True)
class MaturityLevel:
    value: int
    name: Promise
    definition: Promise


SCALE: tuple[MaturityLevel, ...] = (
    MaturityLevel(0, _("Not performed"), _("Nothing is in place, or nobody knows whether it is.")),
    MaturityLevel(
        1,
        _("Initial"),
        _("Done partly or now and then; depends on individuals; no written rule and little or no evidence."),
    ),
    MaturityLevel(
        2,
        _("Managed"),
        _(
            "A written practice (even a draft) with a named owner, applied to the main systems; "
            "evidence exists for some occurrences."
        ),
    ),
    MaturityLevel(
        3,
        _("Defined"),
        _(
            "Formal and approved at the right level (the executive where the text requires it), applied to the "
            "whole declared scope, evidenced for most occurrences and reviewed as often as required (e.g. yearly)."
        ),
    ),
    MaturityLevel(
        4,
        _("Measured"),
        _(
            "Indicators are collected and reported to management, targets are set, effectiveness is tested "
            "(exercises, restore tests, audits) and exceptions are tracked."
        ),
    ),
    MaturityLevel(
        5,
        _("Optimising"),
        _(
            "Improvement is driven by indicators, post-incident reviews and threat intelligence, "
            "with an independent review."
        ),
    ),
)

LEVEL_CHOICES = [(level.value, format_lazy("{} — {}", level.value, level.name)) for level in SCALE]
