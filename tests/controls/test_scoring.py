"""Scores, gaps, comparisons and derived coverage: pure functions, numbers computed by hand."""

from decimal import Decimal

import pytest

from controls.scoring import (
    Change,
    DerivedLevel,
    Gap,
    ItemRating,
    Score,
    compare,
    derived_level,
    derived_levels,
    gaps,
    score,
    scores_by_art21_point,
    scores_by_top_section,
)


def rating(
    ref: str = "1.1",
    *,
    weight: int = 1,
    level: int | None = None,
    target: int = 3,
    applicable: bool = True,
    points: str = "",
    sections: tuple[str, ...] = (),
) -> ItemRating:
    return ItemRating(
        ref=ref,
        weight=weight,
        applicable=applicable,
        current_level=level,
        target_level=target,
        art21_points=points,
        section_refs=sections,
    )


NO_SCORE = Score(level=None, percent_of_target=None, applicable=0, assessed=0)


def figures(value: Score) -> tuple[str, str, int, int]:
    """The four figures every score reports, decimals as text so that 2.00 and 2 differ."""
    return (str(value.level), str(value.percent_of_target), value.applicable, value.assessed)


def figures_by_key(values: dict[str, Score]) -> dict[str, tuple[str, str, int, int]]:
    return {key: figures(value) for key, value in values.items()}


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        pytest.param(
            # level (2×3 + 1×0) / 3 = 2; reached (2×3 + 0) / target (2×3 + 1×3) = 6/9
            [rating("a", weight=2, level=3), rating("b", weight=1, level=0)],
            Score(Decimal("2.00"), Decimal("66.7"), applicable=2, assessed=2),
            id="weights",
        ),
        pytest.param(
            [rating("a", level=4, target=4), rating("b", level=0, target=4, applicable=False)],
            Score(Decimal("4.00"), Decimal("100.0"), applicable=1, assessed=1),
            id="not-applicable-left-out",
        ),
        pytest.param(
            # (2 + 0) / 2 = 1; 2 / 8 = 25 %
            [rating("a", level=2, target=4), rating("b", level=None, target=4)],
            Score(Decimal("1.00"), Decimal("25.0"), applicable=2, assessed=1),
            id="unrated-counts-as-zero",
        ),
        pytest.param(
            # level (5 + 1) / 2 = 3, but 5 counts as 3 towards the target: (3 + 1) / 6
            [rating("a", level=5, target=3), rating("b", level=1, target=3)],
            Score(Decimal("3.00"), Decimal("66.7"), applicable=2, assessed=2),
            id="each-item-capped-at-its-target",
        ),
        pytest.param(
            [rating("a", level=0, target=0)],
            Score(Decimal("0.00"), Decimal("100"), applicable=1, assessed=1),
            id="zero-target-is-reached",
        ),
        pytest.param(
            # level 1/8 = 0.125 → 0.13; 1 / 24 = 4.1666 % → 4.2
            [rating("a", weight=1, level=1), rating("b", weight=7, level=0)],
            Score(Decimal("0.13"), Decimal("4.2"), applicable=2, assessed=2),
            id="level-rounds-half-up",
        ),
        pytest.param(
            # level 1/4 = 0.25; reached 1 / target (1 + 3×5) = 6.25 % → 6.3
            [rating("a", weight=1, level=1, target=1), rating("b", weight=3, level=0, target=5)],
            Score(Decimal("0.25"), Decimal("6.3"), applicable=2, assessed=2),
            id="percent-rounds-half-up",
        ),
        pytest.param(
            [rating("a", level=2, applicable=False), rating("b", level=None, applicable=False)],
            NO_SCORE,
            id="all-not-applicable",
        ),
        pytest.param([], NO_SCORE, id="nothing"),
    ],
)
def test_score(items: list[ItemRating], expected: Score) -> None:
    assert figures(score(items)) == figures(expected)


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        # (2×3 + 1×4) / 3 = 3.333
        pytest.param([rating("a", weight=2, target=3), rating("b", weight=1, target=4)], "3.33", id="weighted"),
        pytest.param([rating("a", target=5), rating("b", target=2, applicable=False)], "5.00", id="applicable-only"),
        pytest.param([rating("a", applicable=False)], "None", id="nothing-applicable"),
    ],
)
def test_score_mean_target(items: list[ItemRating], expected: str) -> None:
    assert str(score(items).target_level) == expected


@pytest.mark.parametrize(
    ("applicable", "assessed", "expected"),
    [
        pytest.param(3, 1, Decimal("33.3"), id="one-third"),
        pytest.param(3, 2, Decimal("66.7"), id="two-thirds"),
        pytest.param(16, 1, Decimal("6.3"), id="half-up"),
        pytest.param(4, 4, Decimal("100.0"), id="complete"),
        pytest.param(0, 0, None, id="nothing-applicable"),
    ],
)
def test_progress_percent(applicable: int, assessed: int, expected: Decimal | None) -> None:
    assert Score(None, None, applicable=applicable, assessed=assessed).progress_percent == expected


def test_scores_by_art21_point_count_an_item_in_every_point_it_serves_in_order_a_to_j() -> None:
    items = [
        rating("3.1", level=2, target=4, points="j"),
        rating("2.1", level=0, target=4, points="b"),
        rating("1.1", level=4, target=4, points="ab"),
        rating("1.2", level=0, target=4, points="a", applicable=False),
    ]

    result = scores_by_art21_point(items)

    assert list(result) == ["a", "b", "j"]
    assert figures_by_key(result) == {
        "a": ("4.00", "100.0", 1, 1),
        # 1.1 (4) and 2.1 (0): (4 + 0) / 2; 4 / 8 = 50 %
        "b": ("2.00", "50.0", 2, 2),
        "j": ("2.00", "50.0", 1, 1),
    }


def test_scores_by_art21_point_keep_the_weight_in_each_point() -> None:
    items = [rating("1.1", weight=3, level=4, points="ae"), rating("1.2", weight=1, level=0, points="e")]

    result = scores_by_art21_point(items)

    # e: (3×4 + 1×0) / 4 = 3; reached (3×3 + 0) / (3×3 + 1×3) = 75 %
    assert figures_by_key(result) == {
        "a": ("4.00", "100.0", 1, 1),
        "e": ("3.00", "75.0", 2, 2),
    }


def test_scores_by_top_section_group_by_the_outermost_section() -> None:
    items = [
        rating("2.A.1", level=3, sections=("2", "2.A")),
        rating("2.B.1", level=1, sections=("2", "2.B")),
        rating("1.1", level=0, sections=("1",)),
    ]

    assert figures_by_key(scores_by_top_section(items)) == {
        "2": ("2.00", "66.7", 2, 2),
        "1": ("0.00", "0.0", 1, 1),
    }


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        pytest.param(
            [
                rating("1.1", level=2, target=3),
                rating("1.2", level=0, target=3),
                rating("1.3", weight=2, level=1, target=3),
            ],
            [Gap("1.3", 1, 3, 2), Gap("1.2", 0, 3, 1), Gap("1.1", 2, 3, 1)],
            id="worst-weighted-gap-first",
        ),
        pytest.param(
            [rating("1.1", weight=3, level=2, target=3), rating("1.2", weight=1, level=1, target=3)],
            [Gap("1.1", 2, 3, 3), Gap("1.2", 1, 3, 1)],
            id="weight-outranks-a-wider-gap",
        ),
        pytest.param(
            [rating(ref, level=0, target=3) for ref in ("2.A.10", "10.1", "2.A.9", "2.B.1", "2.A.1")],
            [Gap(ref, 0, 3, 1) for ref in ("2.A.1", "2.A.9", "2.A.10", "2.B.1", "10.1")],
            id="ties-in-natural-reference-order",
        ),
        pytest.param(
            [
                rating("1.1", level=3, target=3),
                rating("1.2", level=5, target=3),
                rating("1.3", level=0, target=3, applicable=False),
                rating("1.4", level=None, target=2),
            ],
            [Gap("1.4", 0, 2, 1)],
            id="only-applicable-items-below-target",
        ),
        pytest.param([rating("1.1", level=4, target=4)], [], id="no-gap"),
    ],
)
def test_gaps(items: list[ItemRating], expected: list[Gap]) -> None:
    assert gaps(items) == expected


def test_gap_weighted_gap() -> None:
    assert Gap("1.1", current_level=1, target_level=4, weight=2).weighted_gap == 6


def test_compare_sorts_changes_since_the_previous_assessment() -> None:
    previous = [
        rating("A", level=2),
        rating("B", level=3),
        rating("C", level=1),
        rating("D", level=2, applicable=False),
        rating("E", level=2),
        rating("G", level=4),
    ]
    current = [
        rating("A", level=3),
        rating("B", level=1),
        rating("C", level=1),
        rating("D", level=2),
        rating("F", level=None),
        rating("G", level=4, applicable=False),
    ]

    result = compare(previous, current)

    assert result.improved == [Change("A", 2, 3)]
    assert result.fell_back == [Change("B", 3, 1)]
    assert result.unchanged == 1
    assert result.new == ["D", "F"]
    # before: A, B, C, E, G = 2+3+1+2+4 = 12 / 5; capped at 3: 11 / 15
    assert figures(result.overall_before) == ("2.40", "73.3", 5, 5)
    # now: A, B, C, D, F = 3+1+1+2+0 = 7 / 5; 7 / 15
    assert figures(result.overall_now) == ("1.40", "46.7", 5, 4)


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        pytest.param([rating("A", level=1)], rating("A", level=3), "improved", id="improved"),
        pytest.param([rating("A", level=3)], rating("A", level=2), "fell_back", id="fell-back"),
        pytest.param([rating("A", level=2)], rating("A", level=2), "unchanged", id="unchanged"),
        pytest.param([rating("A", level=None)], rating("A", level=None), "unchanged", id="unrated-both-times"),
        pytest.param([rating("A", level=None)], rating("A", level=1), "improved", id="first-rating"),
        pytest.param([], rating("A", level=2), "new", id="new"),
        pytest.param([rating("A", level=2, applicable=False)], rating("A", level=2), "new", id="now-applicable"),
        pytest.param([rating("A", level=2)], rating("A", level=0, applicable=False), "left-out", id="now-excluded"),
    ],
)
def test_compare_one_requirement(previous: list[ItemRating], current: ItemRating, expected: str) -> None:
    result = compare(previous, [current])

    found = {
        "improved": bool(result.improved),
        "fell_back": bool(result.fell_back),
        "unchanged": result.unchanged == 1,
        "new": result.new == ["A"],
    }
    assert found == {category: category == expected for category in found}


RATINGS = {
    "S1": rating("S1", level=4),
    "S2": rating("S2", level=2),
    "S3": rating("S3", level=None),
    "S4": rating("S4", level=5, applicable=False),
    "S5": rating("S5", level=3),
    "S6": rating("S6", level=1),
}


@pytest.mark.parametrize(
    ("links", "level", "sources"),
    [
        pytest.param([("S1", "T", "high")], Decimal("4.00"), (("S1", 4, "high"),), id="one-high"),
        pytest.param(
            # (1×4 + 0.5×2) / 1.5 = 3.333
            [("S1", "T", "high"), ("S2", "T", "medium")],
            Decimal("3.33"),
            (("S1", 4, "high"), ("S2", 2, "medium")),
            id="high-and-medium",
        ),
        pytest.param(
            # (0.5×0 + 1×3) / 1.5 = 2
            [("S3", "T", "medium"), ("S5", "T", "high")],
            Decimal("2.00"),
            (("S3", 0, "medium"), ("S5", 3, "high")),
            id="unrated-source-counts-as-zero",
        ),
        pytest.param(
            # 1×1 / 1.5 = 0.6666
            [("S6", "T", "high"), ("S3", "T", "medium")],
            Decimal("0.67"),
            (("S6", 1, "high"), ("S3", 0, "medium")),
            id="rounded",
        ),
        pytest.param(
            # (0.25×4 + 1×1) / 1.25 = 1.6
            [("S1", "T", "low"), ("S6", "T", "high")],
            Decimal("1.60"),
            (("S1", 4, "low"), ("S6", 1, "high")),
            id="low",
        ),
        pytest.param(
            # S4 is left out, so S2 is a lone medium link: 0.5×2 / 1 = 1
            [("S4", "T", "high"), ("S2", "T", "medium")],
            Decimal("1.00"),
            (("S2", 2, "medium"),),
            id="not-applicable-source-ignored",
        ),
        pytest.param([("S4", "T", "high")], None, (), id="only-not-applicable-sources"),
        pytest.param([("S9", "T", "high")], None, (), id="source-not-in-the-assessment"),
        pytest.param([("S1", "OTHER", "high")], None, (), id="mapped-to-another-requirement"),
        pytest.param([], None, (), id="no-mapping"),
    ],
)
def test_derived_levels(
    links: list[tuple[str, str, str]], level: Decimal | None, sources: tuple[tuple[str, int, str], ...]
) -> None:
    assert derived_levels(["T"], links, RATINGS) == [DerivedLevel(ref="T", level=level, sources=sources)]


@pytest.mark.parametrize(
    ("sources", "level"),
    [
        pytest.param([], None, id="no-link"),
        pytest.param([(4, "high")], Decimal("4.00"), id="lone-high: the full level"),
        pytest.param([(4, "medium")], Decimal("2.00"), id="lone-medium: half the level, 0.5×4 / 1"),
        pytest.param([(4, "low")], Decimal("1.00"), id="lone-low: a quarter of the level, 0.25×4 / 1"),
        pytest.param([(4, "high"), (2, "medium")], Decimal("3.33"), id="high-and-medium: mean, (4 + 0.5×2) / 1.5"),
        pytest.param([(4, "medium"), (2, "low")], Decimal("2.50"), id="medium-and-low: (0.5×4 + 0.25×2) / 1"),
        pytest.param([(4, "medium"), (4, "medium")], Decimal("4.00"), id="two-medium: weights add up to one high"),
        pytest.param([(5, "low"), (5, "low"), (5, "low")], Decimal("3.75"), id="three-low: 0.75×5 / 1"),
        pytest.param([(0, "high"), (5, "low")], Decimal("1.00"), id="unrated-high-and-low: 0.25×5 / 1.25"),
    ],
)
def test_derived_level_rule(sources: list[tuple[int, str]], level: Decimal | None) -> None:
    assert derived_level(sources) == level


def test_a_lone_medium_or_low_link_never_passes_the_full_level() -> None:
    for source_level in range(1, 6):
        assert derived_level([(source_level, "medium")]) < source_level
        assert derived_level([(source_level, "low")]) < derived_level([(source_level, "medium")])


def test_derived_levels_follow_the_target_order_one_per_target() -> None:
    links = [("S1", "T1", "high"), ("S2", "T3", "high")]

    result = derived_levels(["T3", "T2", "T1"], links, RATINGS)

    assert [(derived.ref, derived.level) for derived in result] == [
        ("T3", Decimal("2.00")),
        ("T2", None),
        ("T1", Decimal("4.00")),
    ]


@pytest.mark.parametrize(
    ("current", "target", "level", "gap"),
    [
        pytest.param(None, 3, 0, 3, id="unrated"),
        pytest.param(1, 3, 1, 2, id="below"),
        pytest.param(5, 3, 5, 0, id="above"),
    ],
)
def test_item_rating_level_and_gap(current: int | None, target: int, level: int, gap: int) -> None:
    item = rating(level=current, target=target)

    assert (item.level, item.gap) == (level, gap)
