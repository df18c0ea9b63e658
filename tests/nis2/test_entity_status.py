import pytest

from nis2.entity_status import EntityKind, Nis2Status, suggest_nis2_status

ESSENTIAL, IMPORTANT, OUT = Nis2Status.ESSENTIAL, Nis2Status.IMPORTANT, Nis2Status.NOT_IN_SCOPE


@pytest.mark.parametrize(
    ("kind", "population", "largest_member", "expected"),
    [
        pytest.param(EntityKind.REGION, 5_000_000, None, ESSENTIAL, id="region"),
        pytest.param(EntityKind.DEPARTEMENT, 80_000, None, ESSENTIAL, id="small-departement-still-essential"),
        pytest.param(EntityKind.METROPOLE, 500_000, None, ESSENTIAL, id="metropole"),
        pytest.param(EntityKind.COMMUNAUTE_URBAINE, 200_000, None, ESSENTIAL, id="communaute-urbaine"),
        pytest.param(EntityKind.COMMUNE, 30_001, None, ESSENTIAL, id="commune-above-30000"),
        pytest.param(EntityKind.COMMUNE, 30_000, None, OUT, id="commune-at-30000-not-in-scope"),
        pytest.param(EntityKind.COMMUNE, None, None, OUT, id="commune-unknown-population"),
        pytest.param(EntityKind.COMMUNAUTE_AGGLOMERATION, 90_000, 42_000, ESSENTIAL, id="ca-with-large-commune"),
        pytest.param(EntityKind.COMMUNAUTE_AGGLOMERATION, 90_000, 30_000, IMPORTANT, id="ca-without-large-commune"),
        pytest.param(EntityKind.COMMUNAUTE_AGGLOMERATION, 90_000, None, IMPORTANT, id="ca-members-unknown"),
        pytest.param(EntityKind.COMMUNAUTE_COMMUNES, 60_000, 35_000, IMPORTANT, id="communaute-de-communes"),
        pytest.param(EntityKind.SYNDICAT, 100_000, None, OUT, id="syndicat"),
        pytest.param(EntityKind.OTHER, None, None, OUT, id="other"),
    ],
)
def test_suggested_status(kind, population, largest_member, expected) -> None:
    suggestion = suggest_nis2_status(kind=kind, population=population, largest_member_population=largest_member)
    assert suggestion.status is expected
    assert suggestion.reason
