"""Exposure E (0–4) of a component as deployed, derived from its chain: publisher, operator, host and
data location, with the extraterritorial laws that reach it (dependencies.md §2.4). No database."""

import pytest

from dependencies.exposure import Chain, Law, Party, derive_exposure

US_LAWS = (Law.US_CLOUD_ACT, Law.US_FISA_702)

MICROSOFT = Party(name="Microsoft", country="US", ultimate_country="US")
GOOGLE = Party(name="Google", country="US", ultimate_country="US")
CIRIL = Party(name="Ciril GROUP", country="FR", ultimate_country="US")  # French vendor owned by a US fund
BERGER_LEVRAULT = Party(name="Berger-Levrault", country="FR", ultimate_country="FR")
JITSI_MAINTAINER = Party(name="8x8", country="US", ultimate_country="US")
BLEU = Party(name="Bleu", country="FR", ultimate_country="FR")
S3NS = Party(name="S3NS", country="FR", ultimate_country="FR")
ALCATEL = Party(name="Alcatel-Lucent Enterprise", country="FR", ultimate_country="CN")
HOST_OWNED_BY_US_FUND = Party(name="Hébergeur lyonnais", country="FR", ultimate_country="US")
UNKNOWN = Party(name="Communauté internationale", country="", ultimate_country="")


@pytest.fixture(autouse=True)
def _english():
    """Reasons are translated; these cases read them in English."""
    from django.utils import translation

    with translation.override("en"):
        yield


def chain(
    deployment: str,
    *,
    publisher: Party | None,
    operator: Party | None = None,
    host: Party | None = None,
    open_source: bool = False,
    data_country: str = "",
    secnumcloud: bool = False,
) -> Chain:
    return Chain(
        deployment=deployment,
        open_source=open_source,
        publisher=publisher,
        operator=operator,
        host=host,
        data_country=data_country,
        secnumcloud=secnumcloud,
    )


@pytest.mark.parametrize(
    ("given", "expected_level", "expected_laws", "expected_reason"),
    [
        pytest.param(
            chain("vendor_saas", publisher=MICROSOFT, operator=MICROSOFT, data_country="FR"),
            4,
            US_LAWS,
            "service operated by Microsoft (US)",
            id="US SaaS operated by its US publisher, data in France: E4",
        ),
        pytest.param(
            chain("public_cloud", publisher=GOOGLE),
            4,
            US_LAWS,
            "service operated by Google (US)",
            id="US public cloud with no operator given: the publisher operates it, E4",
        ),
        pytest.param(
            chain("vendor_saas", publisher=CIRIL),
            3,
            US_LAWS,
            "operator Ciril GROUP is controlled from US",
            id="French vendor owned by a US fund operating its SaaS: E3",
        ),
        pytest.param(
            chain("vendor_saas", publisher=BERGER_LEVRAULT, operator=BERGER_LEVRAULT, data_country="FR"),
            1,
            (),
            "EU publisher and EU hosting",
            id="French SaaS with a French ultimate parent: E1",
        ),
        pytest.param(
            chain("on_premises", publisher=JITSI_MAINTAINER, open_source=True),
            0,
            (),
            "open-source software run by the organisation or an EU-controlled operator",
            id="open source self-hosted, US maintainer: E0 and no law",
        ),
        pytest.param(
            chain("on_premises", publisher=MICROSOFT),
            3,
            US_LAWS,
            "software controlled from US: licences, updates, support",
            id="proprietary US software on premises: E3",
        ),
        pytest.param(
            chain("public_cloud", publisher=MICROSOFT, operator=BLEU, data_country="FR"),
            2,
            US_LAWS,
            "EU-operated offer built on technology licensed from US",
            id="EU-operated offer on US-licensed technology (Bleu type): E2",
        ),
        pytest.param(
            chain("vendor_saas", publisher=BERGER_LEVRAULT, data_country="US"),
            4,
            (),
            "data stored outside the EU (US)",
            id="French SaaS storing the data in the US: E4",
        ),
        pytest.param(
            chain("on_premises", publisher=JITSI_MAINTAINER, open_source=True, data_country="CH"),
            4,
            (),
            "data stored outside the EU (CH)",
            id="data outside the EU outweighs open source: E4",
        ),
        pytest.param(
            chain("public_cloud", publisher=GOOGLE, operator=S3NS, host=S3NS, data_country="FR", secnumcloud=True),
            2,
            US_LAWS,
            "EU-operated offer built on technology licensed from US",
            id="SecNumCloud-qualified operator on US technology (S3NS type): E2, not E4",
        ),
        pytest.param(
            chain("eu_private_hosting", publisher=BERGER_LEVRAULT, host=HOST_OWNED_BY_US_FUND),
            3,
            US_LAWS,
            "hosted by Hébergeur lyonnais, controlled from US",
            id="EU private hosting by a US-controlled host: E3",
        ),
        pytest.param(
            chain("eu_private_hosting", publisher=BERGER_LEVRAULT, host=HOST_OWNED_BY_US_FUND, secnumcloud=True),
            1,
            (),
            "EU publisher and EU hosting",
            id="the same host with a SecNumCloud qualification: E1",
        ),
        pytest.param(
            chain("on_premises", publisher=ALCATEL),
            3,
            (Law.CN_NIL_2017,),
            "software controlled from CN: licences, updates, support",
            id="Chinese-controlled French vendor on premises: E3, CN law",
        ),
        pytest.param(
            chain("vendor_saas", publisher=ALCATEL),
            3,
            (Law.CN_NIL_2017,),
            "operator Alcatel-Lucent Enterprise is controlled from CN",
            id="Chinese-controlled French vendor operating its SaaS: E3, CN law",
        ),
        pytest.param(
            chain("on_premises", publisher=UNKNOWN),
            1,
            (),
            "EU publisher and EU hosting",
            id="unknown country on premises is not evidence of exposure",
        ),
        pytest.param(
            chain("vendor_saas", publisher=UNKNOWN, operator=UNKNOWN),
            1,
            (),
            "EU publisher and EU hosting",
            id="unknown country operating a SaaS is not evidence of exposure",
        ),
        pytest.param(
            chain("vendor_saas", publisher=JITSI_MAINTAINER, open_source=True),
            4,
            US_LAWS,
            "service operated by 8x8 (US)",
            id="open source used as the US maintainer's SaaS: E4",
        ),
    ],
)
def test_exposure_is_derived_from_the_chain_as_deployed(
    given: Chain, expected_level: int, expected_laws: tuple[Law, ...], expected_reason: str
) -> None:
    result = derive_exposure(given)

    assert (result.level, result.laws, result.reasons) == (expected_level, expected_laws, (expected_reason,))


def test_secnumcloud_does_not_hide_data_stored_outside_the_eu() -> None:
    given = chain("public_cloud", publisher=GOOGLE, operator=S3NS, data_country="US", secnumcloud=True)

    assert derive_exposure(given).level == 4


@pytest.mark.parametrize(
    "party",
    [
        pytest.param(Party(name="Huawei", country="CN", ultimate_country="CN"), id="Chinese head office"),
        pytest.param(Party(name="ALE", country="FR", ultimate_country="CN"), id="Chinese ultimate parent"),
    ],
)
def test_chinese_control_brings_the_national_intelligence_law(party: Party) -> None:
    result = derive_exposure(chain("on_premises", publisher=party))

    assert result.laws == (Law.CN_NIL_2017,)


@pytest.mark.parametrize(
    ("party", "expected"),
    [
        pytest.param(Party(name="A", country="FR", ultimate_country="US"), True, id="EU company, US parent"),
        pytest.param(Party(name="B", country="US", ultimate_country="DE"), False, id="US company, German parent"),
        pytest.param(Party(name="C", country="GB", ultimate_country="GB"), True, id="United Kingdom is not EU"),
        pytest.param(Party(name="D", country="CH", ultimate_country="CH"), True, id="Switzerland is not EU"),
        pytest.param(Party(name="E", country="", ultimate_country=""), False, id="unknown: not evidence"),
        pytest.param(Party(name="F", country="fr", ultimate_country="fr"), False, id="lower-case EU code"),
    ],
)
def test_control_from_outside_the_eu_follows_the_ultimate_parent(party: Party, expected: bool) -> None:
    assert party.controlled_outside_eu is expected


def test_every_country_in_the_chain_brings_its_laws() -> None:
    # Compared as a set: the order of laws from one party is not stable across interpreter runs
    # (it follows the iteration of a set of country codes), reported to the app's maintainers.
    given = chain("on_premises", publisher=Party(name="Filiale", country="CN", ultimate_country="US"))

    assert set(derive_exposure(given).laws) == {Law.US_CLOUD_ACT, Law.US_FISA_702, Law.CN_NIL_2017}
