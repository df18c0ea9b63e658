import datetime

import factory
from django.contrib.auth import get_user_model

from nis2.models import Invitation, Membership, Organisation, invitation_token_hash
from nis2.roles import Role
from nis2.siren import siren_with_check_digit


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Commune n°{n}")
    siren = factory.Sequence(lambda n: siren_with_check_digit(f"{21000000 + n:08d}"))
    kind = Organisation.Kind.COMMUNE
    population = 45_000
    nis2_status = Organisation.Nis2StatusChoices.ESSENTIAL


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.SECURITY_OFFICER


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation; its link's token is ``token`` (pass ``token=`` to choose it)."""

    class Meta:
        model = Invitation
        exclude = ("token",)

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.SECURITY_OFFICER
    token = factory.Sequence(lambda n: f"invitation-token-{n}")
    token_hash = factory.LazyAttribute(lambda invitation: invitation_token_hash(invitation.token))
    expires_at = factory.LazyFunction(lambda: datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=7))
