"""An administrator of a commune that requires two-factor authentication sets it up at sign-in, keeps the
recovery codes, then signs in again with a code from the application."""

import base64
import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from nis2.roles import Role
from tests.nis2.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _code(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{TOTP(key).token():06d}"


def _next_code(secret: str) -> str:
    """The code the application shows next, as the device will accept it: after the last one used, and
    within one step of the clock as the device reads it (a 30-second boundary crossed while the first code
    was checked leaves the device a drift of one step: "the current code + 1" would then be refused)."""
    device = TOTPDevice.objects.get(user__username="admin-prudent", confirmed=True)
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    step = max(device.last_t + 1, totp.t())
    totp.time = device.t0 + (step - device.drift) * device.step
    return f"{totp.token():0{device.digits}d}"


def _sign_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Identifiant").fill("admin-prudent")
    page.get_by_label("Mot de passe").fill("correct-horse-battery")
    page.get_by_role("button", name="Se connecter").click()


def test_an_administrator_sets_up_the_second_factor_then_signs_in_with_it(
    live_server, page, screenshot, console_errors
) -> None:
    organisation = OrganisationFactory(name="Ville-Prudente", mfa_required=True)
    MembershipFactory(organisation=organisation, role=Role.ADMIN, user=UserFactory(username="admin-prudent"))

    _sign_in(page, live_server.url)
    page.wait_for_url(re.compile(r"/account/security/"))
    assert page.get_by_role("alert").inner_text().startswith("Une organisation dont vous êtes membre exige")
    page.get_by_role("button", name="Configurer une application d’authentification").click()
    assert page.get_by_role("img", name="QR code à scanner avec l’application d’authentification").is_visible()
    secret = page.locator("code.secret").inner_text()
    screenshot("second-factor-set-up")
    page.get_by_label("Code").fill(_code(secret))
    page.get_by_role("button", name="Activer la double authentification").click()

    assert page.get_by_role("heading", name="Vos codes de secours").is_visible()
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("link", name="Je les ai conservés : continuer").click()
    page.wait_for_url(re.compile(rf"/o/{organisation.pk}/$"))

    page.get_by_role("button", name="Se déconnecter").click()
    _sign_in(page, live_server.url)
    page.wait_for_url(re.compile(r"/login/second-factor/"))
    page.get_by_label("Code").fill(_next_code(secret))  # the first code is spent
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(re.compile(rf"/o/{organisation.pk}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Ville-Prudente"
    assert console_errors == []
