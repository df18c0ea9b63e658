import pytest

from nis2.siren import siren_is_valid, siren_with_check_digit


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("217500016", True, id="ville-de-paris"),
        pytest.param("200054781", True, id="metropole-du-grand-paris"),
        pytest.param("217500017", False, id="wrong-check-digit"),
        pytest.param("21750001", False, id="eight-digits"),
        pytest.param("2175000166", False, id="ten-digits"),
        pytest.param("21750001A", False, id="letter"),
        pytest.param("217 500 016", True, id="spaces-are-ignored"),
        pytest.param("\uff12\uff11\uff17\uff15\uff10\uff10\uff10\uff11\uff16", False, id="fullwidth-digits"),
        pytest.param("", False, id="empty"),
    ],
)
def test_siren_validation(raw: str, expected: bool) -> None:
    assert siren_is_valid(raw) is expected


def test_check_digit_completion_gives_a_valid_siren() -> None:
    assert siren_with_check_digit("21750001") == "217500016"
