import factory
from django.contrib.auth import get_user_model

from nis2.models import Membership, Organisation
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
