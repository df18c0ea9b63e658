"""The dependency score D = round(100 × C × E × L / 64), its five classes, the two non-compensation
rules, lock-in and criticality (reference dependencies.md §2.4). Pure functions: no database."""

import pytest

from dependencies.exposure import (
    CLASS_UPPER_BOUNDS,
    DependencyScore,
    LockInAnswers,
    criticality,
    dependency_score,
    lock_in,
)


def score(c: int, e: int, lock: int, *, sensitivity: str = "internal", alternative: bool = True) -> DependencyScore:
    return dependency_score(
        criticality=c, exposure=e, lock_in=lock, sensitivity=sensitivity, alternative_exists=alternative
    )


@pytest.mark.parametrize(
    ("c", "e", "lock", "expected_score", "expected_class"),
    [
        pytest.param(4, 4, 4, 100, 5, id="C4 E4 L4: 64/64 -> 100, class 5"),
        pytest.param(4, 3, 3, 56, 4, id="C4 E3 L3: 36 -> 56.25 -> 56, class 4"),
        pytest.param(2, 1, 1, 3, 1, id="C2 E1 L1: 2 -> 3.125 -> 3, class 1"),
        pytest.param(4, 0, 4, 0, 1, id="E0 zeroes the score whatever C and L"),
        pytest.param(1, 0, 1, 0, 1, id="E0 with the lowest C and L"),
        pytest.param(1, 1, 1, 2, 1, id="C1 E1 L1: 1.5625 -> 2"),
        pytest.param(1, 3, 1, 5, 1, id="raw 3: 4.6875 rounds up to 5"),
        pytest.param(2, 1, 4, 13, 2, id="raw 8: 12.5 rounds half up to 13"),
        pytest.param(3, 3, 1, 14, 2, id="raw 9: 14.0625 -> 14"),
        pytest.param(3, 4, 1, 19, 2, id="raw 12: 18.75 -> 19"),
        pytest.param(3, 3, 3, 42, 3, id="raw 27: 42.1875 -> 42"),
        pytest.param(4, 4, 3, 75, 5, id="raw 48: 75"),
    ],
)
def test_worked_examples_of_the_dependency_score(
    c: int, e: int, lock: int, expected_score: int, expected_class: int
) -> None:
    result = score(c, e, lock)

    assert (result.score, result.dependency_class) == (expected_score, expected_class)
    assert (result.criticality, result.exposure, result.lock_in) == (c, e, lock)
    assert result.forced_class is False


@pytest.mark.parametrize(
    ("c", "e", "lock", "expected_score", "expected_class"),
    [
        # With C 1–4, E 0–4 and L 1–4 the products C × E × L are 0, 1, 2, 3, 4, 6, 8, 9, 12, 16, 18, 24,
        # 27, 32, 36, 48 or 64, so D takes only the values 0, 2, 3, 5, 6, 9, 13, 14, 19, 25, 28, 38, 42, 50,
        # 56, 75 and 100: the nearest scores on each side of every class boundary are these.
        pytest.param(3, 2, 1, 9, 1, id="raw 6 -> 9: highest score of class 1 (bound 10)"),
        pytest.param(2, 2, 2, 13, 2, id="raw 8 -> 13: lowest score of class 2 (from 11)"),
        pytest.param(4, 4, 1, 25, 2, id="raw 16 -> 25: exactly on the upper bound of class 2"),
        pytest.param(2, 2, 4, 25, 2, id="raw 16 another way -> 25, class 2"),
        pytest.param(3, 3, 2, 28, 3, id="raw 18 -> 28: lowest score of class 3 (from 26)"),
        pytest.param(3, 4, 2, 38, 3, id="raw 24 -> 37.5 rounds to 38, class 3"),
        pytest.param(3, 3, 3, 42, 3, id="raw 27 -> 42: highest score of class 3 (bound 45)"),
        pytest.param(4, 4, 2, 50, 4, id="raw 32 -> 50: lowest score of class 4 (from 46)"),
        pytest.param(4, 3, 3, 56, 4, id="raw 36 -> 56: highest score of class 4 (bound 65)"),
        pytest.param(4, 4, 3, 75, 5, id="raw 48 -> 75: lowest score of class 5 (from 66)"),
    ],
)
def test_scores_on_each_side_of_the_class_boundaries(
    c: int, e: int, lock: int, expected_score: int, expected_class: int
) -> None:
    result = score(c, e, lock)

    assert (result.score, result.dependency_class) == (expected_score, expected_class)


def test_class_bounds_are_the_published_ones() -> None:
    # 1 = D 0–10, 2 = 11–25, 3 = 26–45, 4 = 46–65, 5 = 66–100 (§2.4). Scores 10, 11, 26, 45, 46, 65 and 66
    # cannot come out of valid factors (see above), so the bounds themselves are pinned here.
    assert CLASS_UPPER_BOUNDS == ((1, 10), (2, 25), (3, 45), (4, 65), (5, 100))


@pytest.mark.parametrize(
    ("c", "e", "lock", "sensitivity", "expected_class", "expected_forced", "expected_score"),
    [
        pytest.param(1, 3, 1, "particular", 5, True, 5, id="E3 with particular data: class 1 forced to 5"),
        pytest.param(2, 4, 2, "particular", 5, True, 25, id="E4 with particular data: class 2 forced to 5"),
        pytest.param(4, 3, 3, "particular", 5, True, 56, id="E3 with particular data: class 4 forced to 5"),
        pytest.param(4, 4, 4, "particular", 5, False, 100, id="already class 5: nothing to force"),
        pytest.param(4, 2, 4, "particular", 4, False, 50, id="E2 with particular data: no forcing"),
        pytest.param(1, 3, 1, "sensitive", 1, False, 5, id="E3 with sensitive (not particular) data: no forcing"),
    ],
)
def test_particular_sensitivity_on_an_exposed_component_forces_class_5(
    c: int, e: int, lock: int, sensitivity: str, expected_class: int, expected_forced: bool, expected_score: int
) -> None:
    result = score(c, e, lock, sensitivity=sensitivity)

    assert (result.dependency_class, result.forced_class, result.score) == (
        expected_class,
        expected_forced,
        expected_score,
    )


@pytest.mark.parametrize(
    ("e", "alternative", "expected_gap"),
    [
        pytest.param(3, False, True, id="E3 without alternative: strategic gap"),
        pytest.param(4, False, True, id="E4 without alternative: strategic gap"),
        pytest.param(3, True, False, id="E3 with an alternative: no gap"),
        pytest.param(2, False, False, id="E2 without alternative: no gap"),
        pytest.param(0, False, False, id="E0 without alternative: no gap"),
    ],
)
def test_strategic_gap_is_exposure_3_or_more_without_alternative(e: int, alternative: bool, expected_gap: bool) -> None:
    result = score(3, e, 2, alternative=alternative)

    assert result.strategic_gap is expected_gap


def answers(unfavourable: int) -> LockInAnswers:
    """Answers with the first ``unfavourable`` of the five checks unfavourable."""
    flags = [index < unfavourable for index in range(5)]
    return LockInAnswers(
        full_export_open_formats=not flags[0],
        open_standards_apis=not flags[1],
        alternative_exists=not flags[2],
        dependent_components=3 if flags[3] else 0,
        reversibility=not flags[4],
    )


@pytest.mark.parametrize(
    ("unfavourable", "expected"),
    [
        pytest.param(0, 1, id="0/5: 1 + round(0) = 1"),
        pytest.param(1, 2, id="1/5: 1 + round(0.6) = 2"),
        pytest.param(2, 2, id="2/5: 1 + round(1.2) = 2"),
        pytest.param(3, 3, id="3/5: 1 + round(1.8) = 3"),
        pytest.param(4, 3, id="4/5: 1 + round(2.4) = 3"),
        pytest.param(5, 4, id="5/5: 1 + round(3.0) = 4"),
    ],
)
def test_lock_in_from_the_share_of_unfavourable_answers(unfavourable: int, expected: int) -> None:
    given = answers(unfavourable)

    assert given.unfavourable() == unfavourable
    assert lock_in(given) == expected


@pytest.mark.parametrize(
    ("dependent_components", "expected_unfavourable"),
    [
        pytest.param(0, 0, id="no dependent component"),
        pytest.param(2, 0, id="two dependent components: still favourable"),
        pytest.param(3, 1, id="three dependent components: keystone, unfavourable"),
        pytest.param(40, 1, id="forty dependent components"),
    ],
)
def test_three_dependent_components_make_a_keystone(dependent_components: int, expected_unfavourable: int) -> None:
    given = LockInAnswers(
        full_export_open_formats=True,
        open_standards_apis=True,
        alternative_exists=True,
        dependent_components=dependent_components,
        reversibility=True,
    )

    assert given.unfavourable() == expected_unfavourable


@pytest.mark.parametrize(
    ("continuity", "sensitivity", "legal_obligation", "expected"),
    [
        pytest.param(1, "public", False, 1, id="minor, public data"),
        pytest.param(1, "internal", False, 2, id="internal data raises to 2"),
        pytest.param(2, "personal", False, 3, id="personal data raises to 3"),
        pytest.param(1, "sensitive", False, 4, id="sensitive data raises to 4"),
        pytest.param(1, "particular", False, 4, id="particular data raises to 4"),
        pytest.param(4, "public", False, 4, id="continuity 4 wins over public data"),
        pytest.param(3, "internal", False, 3, id="continuity 3 wins over internal data"),
        pytest.param(1, "public", True, 3, id="legal obligation: at least 3"),
        pytest.param(2, "internal", True, 3, id="legal obligation lifts 2 to 3"),
        pytest.param(4, "public", True, 4, id="legal obligation keeps 4"),
        pytest.param(1, "unheard-of", False, 1, id="unknown sensitivity counts as the lowest level"),
    ],
)
def test_criticality_is_the_higher_of_continuity_and_sensitivity(
    continuity: int, sensitivity: str, legal_obligation: bool, expected: int
) -> None:
    assert criticality(continuity=continuity, sensitivity=sensitivity, legal_obligation=legal_obligation) == expected
