"""People join an organisation by accepting an invitation sent to their e-mail address: no
administrator can attach an existing account, nor learn anything about accounts elsewhere."""

import datetime
import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from nis2 import services
from nis2.models import Invitation, Membership, invitation_token_hash
from nis2.roles import Role
from tests.api_errors import error_fields
from tests.nis2.factories import InvitationFactory, MembershipFactory, OrganisationFactory, UserFactory

User = get_user_model()


@pytest.fixture
def admin() -> Membership:
    return MembershipFactory(role=Role.ADMIN, organisation__name="Ville-sur-Mer")


@pytest.fixture
def foreign_person() -> Membership:
    """Someone of another commune, whose account an administrator of Ville-sur-Mer must not reach."""
    return MembershipFactory(
        role=Role.EXECUTIVE,
        user=UserFactory(
            username="maire.voisin", email="maire@voisine.example", first_name="Jeanne", last_name="Voisin"
        ),
    )


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _link_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/invitation/[^\s]+/)", body)
    assert match is not None, body
    return match.group(1)


@pytest.mark.django_db
def test_memberships_no_longer_attach_an_existing_account(admin, foreign_person, api_client_for) -> None:
    # Given an administrator and the account of someone in another commune
    # When the administrator posts that account's username to the memberships
    response = api_client_for(admin.user).post(
        reverse("membership-list"),
        {"organisation": admin.organisation_id, "username": "maire.voisin", "role": "admin"},
        format="json",
    )

    # Then nothing is created and nothing about the account is revealed
    assert response.status_code == 405
    assert "Voisin" not in response.content.decode()
    assert "maire@voisine.example" not in response.content.decode()
    assert list(Membership.objects.filter(user=foreign_person.user)) == [foreign_person]


@pytest.mark.django_db
def test_inviting_an_address_with_an_account_reveals_nothing_and_creates_no_membership(
    admin, foreign_person, api_client_for, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    # When the administrator invites the address of an account of another commune
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(admin.user).post(
            reverse("invitation-list"),
            {"organisation": admin.organisation_id, "email": "maire@voisine.example", "role": "admin"},
            format="json",
        )

    # Then the answer is an invitation to an address: no name, no username, no membership yet
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {
        "id",
        "organisation",
        "email",
        "role",
        "invited_by",
        "status",
        "expires_at",
        "accepted_at",
        "created_at",
    }
    assert (body["email"], body["role"], body["status"]) == ("maire@voisine.example", "admin", "pending")
    assert "Jeanne" not in response.content.decode()
    assert "maire.voisin" not in response.content.decode()
    assert not Membership.objects.filter(organisation=admin.organisation, user=foreign_person.user).exists()
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_the_invitation_email_carries_a_one_time_link(
    admin, api_client_for, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        api_client_for(admin.user).post(
            reverse("invitation-list"),
            {"organisation": admin.organisation_id, "email": "dsi@ville.example", "role": "it"},
            format="json",
        )

    (message,) = mailoutbox
    assert message.to == ["dsi@ville.example"]
    assert message.subject == "Rempart : invitation à rejoindre Ville-sur-Mer"
    assert "Ville-sur-Mer" in message.body
    assert "rejoindre Ville-sur-Mer dans Rempart avec le rôle : Direction des systèmes d'information (DSI)." in (
        message.body
    )
    token = _link_path(message.body).split("/")[2]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == invitation_token_hash(token)
    assert token not in invitation.token_hash  # only the hash is stored


@pytest.mark.django_db
def test_accepting_while_signed_in_creates_the_membership_with_the_role(client) -> None:
    # Given an invitation to be IT in an organisation, and a person signed in
    invitation = InvitationFactory(role=Role.IT, token="jeton-de-test")
    person = UserFactory()
    client.force_login(person)
    url = reverse("invitation-accept", kwargs={"token": "jeton-de-test"})

    page = client.get(url)
    response = client.post(url)

    # Then they are a member with that role and the link is used up
    assert page.status_code == 200
    assert invitation.organisation.name in page.content.decode()
    assert response.status_code == 302
    assert response.url == reverse("organisation-home", kwargs={"organisation_id": invitation.organisation_id})
    membership = Membership.objects.get(user=person)
    assert (membership.organisation, membership.role) == (invitation.organisation, Role.IT)
    invitation.refresh_from_db()
    assert invitation.accepted_by == person
    assert invitation.accepted_at is not None


@pytest.mark.django_db
def test_a_person_without_an_account_creates_it_then_chooses_a_password(client) -> None:
    invitation = InvitationFactory(email="nouvelle@ville.example", role=Role.EXECUTIVE, token="jeton-neuf")

    response = client.post(reverse("invitation-accept", kwargs={"token": "jeton-neuf"}), {"username": "nouvelle"})

    user = User.objects.get(username="nouvelle")
    assert response.status_code == 302
    assert response.url.startswith("/password/set/")
    assert (user.email, user.has_usable_password()) == ("nouvelle@ville.example", False)
    assert Membership.objects.get(user=user).role == Role.EXECUTIVE
    assert client.get(response.url, follow=True).status_code == 200  # the existing password-set page
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


@pytest.mark.django_db
def test_a_used_link_is_refused_in_french(client) -> None:
    InvitationFactory(token="jeton-utilise")
    client.force_login(UserFactory())
    url = reverse("invitation-accept", kwargs={"token": "jeton-utilise"})
    client.post(url)
    memberships = Membership.objects.count()

    client.force_login(UserFactory())
    response = client.post(url)

    assert response.status_code == 410
    assert "Ce lien d'invitation a déjà été utilisé." in _text(response)
    assert Membership.objects.count() == memberships


@pytest.mark.django_db
def test_an_expired_link_is_refused_in_french(client) -> None:
    invitation = InvitationFactory(token="jeton-perime", expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(UserFactory())

    response = client.post(reverse("invitation-accept", kwargs={"token": "jeton-perime"}))

    assert response.status_code == 410
    assert "Ce lien d'invitation a expiré" in _text(response)
    assert not Membership.objects.filter(organisation=invitation.organisation).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.django_db
def test_an_unknown_link_is_not_found(client) -> None:
    response = client.get(reverse("invitation-accept", kwargs={"token": "inconnu"}))
    assert response.status_code == 404
    assert "Ce lien d'invitation n'est pas valide." in _text(response)


@pytest.mark.django_db
def test_another_organisations_admin_cannot_see_or_revoke_the_invitation(admin, api_client_for) -> None:
    invitation = InvitationFactory(organisation=admin.organisation)
    other_admin = MembershipFactory(role=Role.ADMIN, organisation=OrganisationFactory())
    client = api_client_for(other_admin.user)
    url = reverse("invitation-detail", kwargs={"pk": invitation.pk})

    assert client.get(url).status_code == 404
    assert client.delete(url).status_code == 404
    assert invitation.pk not in [row["id"] for row in client.get(reverse("invitation-list")).json()["results"]]
    assert Invitation.objects.filter(pk=invitation.pk).exists()


@pytest.mark.django_db
def test_the_admin_revokes_a_pending_invitation_but_not_an_accepted_one(admin, api_client_for) -> None:
    pending = InvitationFactory(organisation=admin.organisation)
    accepted = InvitationFactory(organisation=admin.organisation, accepted_at=timezone.now(), accepted_by=admin.user)
    client = api_client_for(admin.user)

    revoked = client.delete(reverse("invitation-detail", kwargs={"pk": pending.pk}))
    refused = client.delete(reverse("invitation-detail", kwargs={"pk": accepted.pk}))

    assert revoked.status_code == 204
    assert refused.status_code == 400
    assert list(Invitation.objects.all()) == [accepted]


@pytest.mark.django_db
def test_an_address_is_not_invited_twice(admin, api_client_for) -> None:
    InvitationFactory(organisation=admin.organisation, email="rssi@ville.example")
    response = api_client_for(admin.user).post(
        reverse("invitation-list"),
        {"organisation": admin.organisation_id, "email": "rssi@ville.example", "role": "auditor"},
        format="json",
    )
    assert response.status_code == 400
    assert error_fields(response) == ["email"]
    assert Invitation.objects.count() == 1


@pytest.mark.django_db
def test_the_onboarding_form_sends_an_invitation(admin, client, mailoutbox, django_capture_on_commit_callbacks) -> None:
    client.force_login(admin.user)
    url = reverse("onboarding", kwargs={"organisation_id": admin.organisation_id})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "elu@ville.example", "role": Role.EXECUTIVE}, follow=True)

    assert response.status_code == 200
    assert "Invitation envoyée." in response.content.decode()
    assert Invitation.objects.get().email == "elu@ville.example"
    assert not Membership.objects.filter(user__email="elu@ville.example").exists()
    assert mailoutbox[0].to == ["elu@ville.example"]


def test_invitation_validity_is_a_week() -> None:
    assert datetime.timedelta(days=7) == services.INVITATION_VALIDITY
