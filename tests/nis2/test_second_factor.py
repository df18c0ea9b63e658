"""Second factor at sign-in (TOTP authenticator, single-use recovery codes), required for administrators and
security officers when their organisation says so; the API asks for the same code before it issues a token."""

import html
import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from nis2.mfa import services
from nis2.models import Membership, Organisation, RecoveryCodes
from nis2.roles import Role
from tests.api_errors import error_fields, error_messages
from tests.nis2.factories import InvitationFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():06d}"


def _sign_in(client, user) -> object:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD})


def _with_authenticator(user) -> tuple[TOTPDevice, list[str]]:
    device = services.authenticator_start(user=user)
    codes = services.authenticator_confirm(user=user, device=device, code=_code(device))
    device.refresh_from_db()
    device.last_t = -1  # the set-up code above may be entered again at sign-in in the same 30 s
    device.save()
    return device, codes


@pytest.fixture
def strict_organisation() -> Organisation:
    return OrganisationFactory(name="Ville-Prudente", mfa_required=True)


def test_an_administrator_of_an_organisation_requiring_it_must_set_it_up_before_any_page(
    client, strict_organisation
) -> None:
    admin = MembershipFactory(organisation=strict_organisation, role=Role.ADMIN).user

    response = _sign_in(client, admin)
    assert client.get(reverse("home"))["Location"].startswith(reverse("account-security"))
    assert client.get(reverse("organisation-home", args=[strict_organisation.pk])).status_code == 302
    assert client.get(reverse("organisation-list")).status_code == 403  # the API with the session, too

    page = client.get(response["Location"], follow=True)
    assert "exige la double authentification" in _text(page)
    started = client.post(reverse("account-security"), {"action": "start", "next": "/"})
    assert 'src="data:image/svg+xml' in started.content.decode()
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', started.content.decode()).group(1)
    assert len(secret.replace(" ", "")) == 32  # the 20-byte key in base32, for typing it in

    wrong = client.post(reverse("account-security"), {"action": "confirm", "code": "000000", "next": "/"})
    assert "Ce code n’est pas valide" in _text(wrong)
    assert client.get(reverse("home")).status_code == 302

    confirmed = client.post(reverse("account-security"), {"action": "confirm", "code": _code(device), "next": "/"})
    codes = re.findall(r"<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>", confirmed.content.decode())
    assert len(codes) == 10
    assert "affichés seulement maintenant" in _text(confirmed)
    assert client.get(reverse("organisation-home", args=[strict_organisation.pk])).status_code == 200


def test_an_executive_of_that_organisation_is_not_obliged(client, strict_organisation) -> None:
    executive = MembershipFactory(organisation=strict_organisation, role=Role.EXECUTIVE).user
    _sign_in(client, executive)
    assert client.get(reverse("organisation-home", args=[strict_organisation.pk])).status_code == 200


def test_an_account_with_an_authenticator_gives_its_code_after_the_password(client, organisation) -> None:
    user = MembershipFactory(organisation=organisation, role=Role.IT).user
    device, _codes = _with_authenticator(user)
    target = reverse("organisation-home", args=[organisation.pk])

    _sign_in(client, user)
    asked = client.get(target)
    assert asked["Location"] == f"{reverse('second-factor')}?next={target.replace('/', '%2F')}"
    # Knowing the password is not enough to reach the security page (and remove the authenticator).
    assert client.get(reverse("account-security"))["Location"].startswith(reverse("second-factor"))
    page = client.get(asked["Location"])
    assert "Confirmez votre connexion" in _text(page)

    refused = client.post(reverse("second-factor"), {"code": "123456", "next": target})
    assert "Ce code n’est pas valide, ou a déjà été utilisé" in _text(refused)
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the refusal above made the device wait: not the point here
    device.save()

    accepted = client.post(reverse("second-factor"), {"code": _code(device), "next": target})
    assert accepted["Location"] == target
    assert client.get(target).status_code == 200


def test_a_code_is_accepted_once(client, organisation) -> None:
    user = MembershipFactory(organisation=organisation, role=Role.IT).user
    device, _codes = _with_authenticator(user)
    code = _code(device)
    assert services.second_factor_check(user=user, code=code) is not None
    assert services.second_factor_check(user=user, code=code) is None


def test_guessing_codes_is_slowed_down(organisation) -> None:
    user = MembershipFactory(organisation=organisation, role=Role.IT).user
    device, _codes = _with_authenticator(user)
    for wrong in ("000001", "000002", "000003"):
        services.second_factor_check(user=user, code=wrong)
    # After three failures the device refuses even the right code for a while (django-otp throttling).
    assert services.second_factor_check(user=user, code=_code(device)) is None


def test_a_recovery_code_works_once_and_only_its_hash_is_stored(client, organisation) -> None:
    user = MembershipFactory(organisation=organisation, role=Role.IT).user
    _device, codes = _with_authenticator(user)
    stored = RecoveryCodes.objects.get(user=user)
    assert len(stored.code_hashes) == 10
    assert not any(code.replace("-", "") in str(stored.code_hashes) for code in codes)

    _sign_in(client, user)
    used = client.post(reverse("second-factor"), {"code": codes[0].lower(), "next": "/"}, follow=True)
    assert "Vous avez utilisé un code de secours : il en reste 9" in _text(used)

    client.post(reverse("logout"))
    _sign_in(client, user)
    again = client.post(reverse("second-factor"), {"code": codes[0], "next": "/"})
    assert again.status_code == 200
    assert "Ce code n’est pas valide, ou a déjà été utilisé" in _text(again)


def test_the_security_page_regenerates_codes_and_removes_the_second_factor_unless_required(
    client, organisation, strict_organisation
) -> None:
    user = MembershipFactory(organisation=organisation, role=Role.SECURITY_OFFICER).user
    device, old_codes = _with_authenticator(user)
    _sign_in(client, user)
    client.post(reverse("second-factor"), {"code": _code(device), "next": "/"})

    page = client.get(reverse("account-security"))
    assert "Activée" in _text(page)
    assert "10 codes de secours restants" in _text(page)
    regenerated = client.post(reverse("account-security"), {"action": "regenerate"})
    new_codes = re.findall(r"<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>", regenerated.content.decode())
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert services.second_factor_check(user=user, code=old_codes[1]) is None

    MembershipFactory(organisation=strict_organisation, role=Role.SECURITY_OFFICER, user=user)
    refused = client.post(reverse("account-security"), {"action": "remove"}, follow=True)
    assert "ne peut pas être désactivée" in _text(refused)
    assert TOTPDevice.objects.filter(user=user).exists()

    Membership.objects.filter(user=user, organisation=strict_organisation).delete()
    removed = client.post(reverse("account-security"), {"action": "remove"}, follow=True)
    assert "Double authentification désactivée" in _text(removed)
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not RecoveryCodes.objects.filter(user=user).exists()


def test_the_api_asks_for_the_code_before_issuing_a_token(organisation, strict_organisation) -> None:
    user = MembershipFactory(organisation=organisation, role=Role.IT).user
    device, codes = _with_authenticator(user)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="fr")
    url = reverse("api-token")

    missing = api.post(url, {"username": user.username, "password": PASSWORD}, format="json")
    assert missing.status_code == 400
    assert error_fields(missing) == ["otp"]
    assert "double authentification" in error_messages(missing)[0]
    wrong = api.post(url, {"username": user.username, "password": PASSWORD, "otp": "999999"}, format="json")
    assert wrong.status_code == 400
    assert error_fields(wrong) == ["otp"]
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    issued = api.post(url, {"username": user.username, "password": PASSWORD, "otp": _code(device)}, format="json")
    assert issued.status_code == 200
    assert issued.json()["token"]
    by_recovery = api.post(url, {"username": user.username, "password": PASSWORD, "otp": codes[3]}, format="json")
    assert by_recovery.status_code == 200

    obliged = MembershipFactory(organisation=strict_organisation, role=Role.ADMIN).user
    refused = api.post(url, {"username": obliged.username, "password": PASSWORD}, format="json")
    assert refused.status_code == 403
    assert "interface web" in refused.json()["detail"]


def test_an_administrator_requires_it_and_manages_invitations_from_the_getting_started_page(client) -> None:
    admin = MembershipFactory(role=Role.ADMIN, organisation__name="Ville-sur-Mer")
    organisation = admin.organisation
    waiting = InvitationFactory(organisation=organisation, email="nouvelle.rssi@ville.example")
    foreign = InvitationFactory(email="autre@voisine.example")
    client.force_login(admin.user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    url = reverse("onboarding", args=[organisation.pk])

    page = _text(client.get(url))
    assert "Invitations en attente de réponse" in page
    assert "nouvelle.rssi@ville.example" in page
    assert "autre@voisine.example" not in page
    assert client.post(url, {"revoke_invitation": str(foreign.pk)}).status_code == 404
    assert client.post(url, {"revoke_invitation": "abc"}).status_code == 404
    withdrawn = client.post(url, {"revoke_invitation": str(waiting.pk)}, follow=True)
    assert "Invitation retirée" in _text(withdrawn)

    saved = client.post(url, {"security_policy": "1", "mfa_required": "on"}, follow=True)
    assert "Règle de sécurité des comptes enregistrée" in _text(saved)
    organisation.refresh_from_db()
    assert organisation.mfa_required
    assert organisation.history.first().history_user == admin.user
