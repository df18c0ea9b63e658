"""Maturity scores, gaps and quarter-to-quarter comparison: pure functions over plain data.

A requirement not yet rated counts as level 0 ("not performed, or unknown" on the scale).
Requirements marked not applicable (with their justification) are left out of every score.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ART21_POINTS = "abcdefghij"


@dataclass(frozen=True)
class ItemRating:
    ref: str
    weight: int
    applicable: bool
    current_level: int | None
    target_level: int
    art21_points: str = ""
    section_refs: tuple[str, ...] = ()  # every section the requirement sits in, outermost first
    # Covered by a justified alternative measure: applicable, scored at the level the assessor set.
    alternative: bool = False

    @property
    def level(self) -> int:
        return self.current_level or 0

    @property
    def gap(self) -> int:
        return max(self.target_level - self.level, 0)


@dataclass(frozen=True)
class Score:
    """Weighted mean level (0–5) and share of the target reached (0–100 %)."""

    level: Decimal | None
    percent_of_target: Decimal | None
    applicable: int
    assessed: int
    target_level: Decimal | None = None  # weighted mean target, for charts

    @property
    def progress_percent(self) -> Decimal | None:
        return _rounded(Decimal(self.assessed) * 100 / self.applicable) if self.applicable else None


def _rounded(value: Decimal, places: str = "0.1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def score(items: Iterable[ItemRating]) -> Score:
    """Weighted mean over applicable requirements; each requirement contributes at most its target
    to the percentage, so exceeding one target does not hide another's gap."""
    applicable = [item for item in items if item.applicable]
    total_weight = sum(item.weight for item in applicable)
    if not total_weight:
        return Score(level=None, percent_of_target=None, applicable=0, assessed=0)
    level = Decimal(sum(item.weight * item.level for item in applicable)) / total_weight
    target_total = sum(item.weight * item.target_level for item in applicable)
    reached = sum(item.weight * min(item.level, item.target_level) for item in applicable)
    percent = _rounded(Decimal(reached) * 100 / target_total) if target_total else Decimal(100)
    return Score(
        level=_rounded(level, "0.01"),
        percent_of_target=percent,
        applicable=len(applicable),
        assessed=sum(1 for item in applicable if item.current_level is not None),
        target_level=_rounded(Decimal(target_total) / total_weight, "0.01"),
    )


def scores_by(items: Iterable[ItemRating], keys: Callable[[ItemRating], Iterable[str]]) -> dict[str, Score]:
    """Scores per group; an item counts in every group ``keys`` gives it."""
    groups: dict[str, list[ItemRating]] = {}
    for item in items:
        for key in keys(item):
            groups.setdefault(key, []).append(item)
    return {key: score(group) for key, group in groups.items()}


def scores_by_art21_point(items: Iterable[ItemRating]) -> dict[str, Score]:
    """One score per Directive Art. 21(2) measure, in the order (a) to (j)."""
    by_point = scores_by(items, lambda item: item.art21_points)
    return {point: by_point[point] for point in ART21_POINTS if point in by_point}


def scores_by_top_section(items: Iterable[ItemRating]) -> dict[str, Score]:
    return scores_by(items, lambda item: item.section_refs[:1])


@dataclass(frozen=True)
class Gap:
    ref: str
    current_level: int
    target_level: int
    weight: int

    @property
    def weighted_gap(self) -> int:
        return (self.target_level - self.current_level) * self.weight


def gaps(items: Iterable[ItemRating]) -> list[Gap]:
    """Applicable requirements below target, worst weighted gap first (then by reference)."""
    found = [
        Gap(ref=item.ref, current_level=item.level, target_level=item.target_level, weight=item.weight)
        for item in items
        if item.applicable and item.gap > 0
    ]
    return sorted(found, key=lambda gap: (-gap.weighted_gap, _natural_key(gap.ref)))


def _natural_key(ref: str) -> tuple[tuple[int, object], ...]:
    """Sort 2.A.10 after 2.A.9."""
    parts = ref.replace("-", ".").split(".")
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts)


@dataclass(frozen=True)
class Change:
    ref: str
    previous_level: int | None
    current_level: int | None


@dataclass(frozen=True)
class Comparison:
    improved: list[Change]
    fell_back: list[Change]
    unchanged: int
    new: list[str]
    overall_before: Score
    overall_now: Score


def compare(previous: Iterable[ItemRating], current: Iterable[ItemRating]) -> Comparison:
    """What improved and what fell back since the previous validated assessment."""
    previous = list(previous)
    current = list(current)
    before = {item.ref: item for item in previous if item.applicable}
    improved, fell_back, new = [], [], []
    unchanged = 0
    for item in current:
        if not item.applicable:
            continue
        old = before.get(item.ref)
        if old is None:
            new.append(item.ref)
        elif item.level > old.level:
            improved.append(Change(item.ref, old.level, item.level))
        elif item.level < old.level:
            fell_back.append(Change(item.ref, old.level, item.level))
        else:
            unchanged += 1
    return Comparison(
        improved=improved,
        fell_back=fell_back,
        unchanged=unchanged,
        new=new,
        overall_before=score(previous),
        overall_now=score(current),
    )


# How much of a source requirement's level a link of the correspondence table passes on, by strength.
# A Rempart design choice, not a rule of the Implementing Regulation (EU) 2024/2690 or of ReCyF: a strong
# link states the same measure (all of it), a medium one covers the measure in part (half), a weak one
# touches it (a quarter). Halving at each step keeps the order and the arithmetic readable.
STRENGTH_WEIGHTS = {"high": Decimal(1), "medium": Decimal("0.5"), "low": Decimal("0.25")}
# The weight that passes a full level on: one strong link, or weaker links whose weights add up to it.
FULL_COVERAGE_WEIGHT = STRENGTH_WEIGHTS["high"]


def derived_level(sources: Iterable[tuple[int, str]]) -> Decimal | None:
    """The level a requirement of another framework (the annex of Implementing Regulation (EU) 2024/2690)
    takes from the ``(level, strength)`` of the requirements mapped to it; ``None`` with no link.

    Rule (a Rempart design choice): Σ(weight × level) / max(Σ weight, FULL_COVERAGE_WEIGHT). When the links
    weigh at least one strong link, this is their weighted mean; below, it is scaled down, so that a lone
    medium link passes half the source's level and a lone weak link a quarter. A plain weighted mean would
    let a lone medium link pass the full level (0.5 × level / 0.5), the weights cancelling out."""
    sources = list(sources)
    if not sources:
        return None
    total = sum((STRENGTH_WEIGHTS[strength] for _level, strength in sources), Decimal(0))
    weighted = sum((STRENGTH_WEIGHTS[strength] * level for level, strength in sources), Decimal(0))
    return _rounded(weighted / max(total, FULL_COVERAGE_WEIGHT), "0.01")


@dataclass(frozen=True)
class DerivedLevel:
    """A level implied for a requirement of another framework through a mapping: an indication only."""

    ref: str
    level: Decimal | None
    sources: tuple[tuple[str, int, str], ...]  # (source ref, its level, strength)


def derived_levels(
    target_refs: Iterable[str], links: Iterable[tuple[str, str, str]], ratings: dict[str, ItemRating]
) -> list[DerivedLevel]:
    """For each target requirement, the ``derived_level`` of the applicable source requirements mapped to it
    (``links`` are ``(source_ref, target_ref, strength)``); ``None`` when nothing maps to it."""
    by_target: dict[str, list[tuple[str, int, str]]] = {}
    for source_ref, target_ref, strength in links:
        rating = ratings.get(source_ref)
        if rating is not None and rating.applicable:
            by_target.setdefault(target_ref, []).append((source_ref, rating.level, strength))
    result = []
    for ref in target_refs:
        sources = by_target.get(ref, [])
        level = derived_level((level, strength) for _source, level, strength in sources)
        result.append(DerivedLevel(ref=ref, level=level, sources=tuple(sources)))
    return result
