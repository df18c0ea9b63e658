"""The rules of single sign-on that need no provider: what ``amr`` proves, which SIREN a SIRET designates, and
the pages when single sign-on is off."""

import pytest
from django.urls import reverse

from nis2.sso import amr_shows_second_factor, proposed_organisation, siren_of_siret
from tests.nis2.factories import OrganisationFactory


@pytest.mark.parametrize(
    ("amr", "expected"),
    [
        (["pwd", "totp", "mfa"], True),
        (["mfa"], True),
        (["pwd", "otp"], True),
        (["pin", "hwk"], True),
        (["pwd"], False),
        (["pwd", "mail"], False),  # an e-mailed code often opens with the same password: not a second factor here
        (["otp"], False),  # one factor, whatever its kind
        ("mfa", True),
        (None, False),
        ({"mfa": True}, False),
    ],
)
def test_amr_shows_a_second_factor_only_for_two_kinds_of_factor(amr: object, expected: bool) -> None:
    assert amr_shows_second_factor(amr) is expected


def test_a_siret_designates_the_organisation_of_its_siren(db) -> None:
    paris = OrganisationFactory(siren="217500016")
    assert siren_of_siret("217 500 016 00019") == "217500016"
    assert proposed_organisation("21750001600019") == paris
    assert proposed_organisation("21750001600") is None
    assert proposed_organisation(None) is None
    assert siren_of_siret("2175000160001X") is None


def test_without_configuration_there_is_no_provider_button_and_no_provider_route(client, db) -> None:
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Se connecter avec" not in page
    assert client.get(reverse("sso-sign-in")).status_code == 404
    assert client.get(reverse("sso-callback"), {"code": "x", "state": "y"}).status_code == 404


def test_with_configuration_the_login_page_offers_the_provider(client, db, settings) -> None:
    settings.OIDC_RP_CLIENT_ID = "rempart"
    page = client.get(reverse("login") + "?next=/o/1/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Se connecter avec ProConnect" in page
    assert f'href="{reverse("sso-sign-in")}?next=/o/1/"' in page
    failed = client.get(reverse("login") + "?sso=failed", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "La connexion avec ProConnect n’a pas abouti" in failed
