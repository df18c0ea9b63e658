"""Demo tenancy: one intercommunality, two member communes and their people.

Other apps add their own demo content with a ``demo.py`` module exposing
``populate(tenancy: DemoTenancy) -> list[str]`` (lines to print); the ``demo`` command
discovers them, so the core imports no app.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from nis2 import selectors, services
from nis2.models import Membership, Organisation
from nis2.roles import Role
from nis2.siren import siren_with_check_digit

User = get_user_model()

# Fictitious SIRENs (the 999 prefix is not allocated by INSEE), valid check digits.
INTERCOMMUNALITY_SIREN = siren_with_check_digit("99900001")
COMMUNE_A_SIREN = siren_with_check_digit("99900002")
COMMUNE_B_SIREN = siren_with_check_digit("99900003")

# username, first name, last name, organisation key, role
DEMO_PEOPLE: list[tuple[str, str, str, str, Role]] = [
    ("admin", "Anne", "Administratrice", "intercommunality", Role.ADMIN),
    ("rssi", "Romain", "Sécurité", "intercommunality", Role.SECURITY_OFFICER),
    ("dsi", "Diane", "Informatique", "intercommunality", Role.IT),
    ("elu", "Étienne", "Élu", "intercommunality", Role.EXECUTIVE),
    ("auditeur", "Aurélie", "Auditrice", "intercommunality", Role.AUDITOR),
    ("rssi-a", "Rachid", "Saint-Aubin", "commune_a", Role.SECURITY_OFFICER),
    ("dsi-a", "Denise", "Saint-Aubin", "commune_a", Role.IT),
    ("rssi-b", "Rose", "Villeneuve", "commune_b", Role.SECURITY_OFFICER),
]


@dataclass
class DemoTenancy:
    intercommunality: Organisation
    commune_a: Organisation
    commune_b: Organisation
    users: dict[str, AbstractUser] = field(default_factory=dict)

    def organisation(self, key: str) -> Organisation:
        return {"intercommunality": self.intercommunality, "commune_a": self.commune_a, "commune_b": self.commune_b}[
            key
        ]


@dataclass(frozen=True)
class DemoCommune:
    siren: str
    name: str
    population: int
    nis2_status: str = ""
    nis2_status_justification: str = ""


DEMO_COMMUNES = {
    "commune_a": DemoCommune(
        COMMUNE_A_SIREN,
        "Saint-Aubin-sur-Rempart",
        8_450,
        nis2_status=Organisation.Nis2StatusChoices.IMPORTANT,
        nis2_status_justification=(
            "Services numériques mutualisés avec l'agglomération : la commune applique les exigences "
            "d'une entité importante par décision du conseil municipal."
        ),
    ),
    "commune_b": DemoCommune(COMMUNE_B_SIREN, "Villeneuve-la-Forte", 42_300),
}


def _upsert_organisation(
    *,
    siren: str,
    name: str,
    kind: str,
    population: int,
    parent: Organisation | None = None,
    nis2_status: str = "",
    nis2_status_justification: str = "",
) -> Organisation:
    existing = selectors.organisation_with_siren(siren)
    if existing is None:
        return services.organisation_create(
            actor=None,
            siren=siren,
            name=name,
            kind=kind,
            population=population,
            population_year=2023,
            parent=parent,
            nis2_status=nis2_status,
            nis2_status_justification=nis2_status_justification,
        )
    return existing


@transaction.atomic
def build_tenancy(*, password: str) -> DemoTenancy:
    """Create (or find) the demo organisations and people; (re)set the people's password."""
    intercommunality = _upsert_organisation(
        siren=INTERCOMMUNALITY_SIREN,
        name="Communauté d'agglomération du Val de Rempart",
        kind=Organisation.Kind.COMMUNAUTE_AGGLOMERATION,
        population=96_400,
    )
    commune_a, commune_b = (
        _upsert_organisation(
            siren=commune.siren,
            name=commune.name,
            kind=Organisation.Kind.COMMUNE,
            population=commune.population,
            parent=intercommunality,
            nis2_status=commune.nis2_status,
            nis2_status_justification=commune.nis2_status_justification,
        )
        for commune in (DEMO_COMMUNES["commune_a"], DEMO_COMMUNES["commune_b"])
    )
    if intercommunality.nis2_status != Organisation.Nis2StatusChoices.ESSENTIAL:
        # Essential because a member commune has more than 30,000 inhabitants.
        services.organisation_update(
            organisation=intercommunality, actor=None, nis2_status=Organisation.Nis2StatusChoices.ESSENTIAL
        )
    tenancy = DemoTenancy(intercommunality=intercommunality, commune_a=commune_a, commune_b=commune_b)
    for username, first_name, last_name, organisation_key, role in DEMO_PEOPLE:
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name, "email": f"{username}@example.org"},
        )
        user.set_password(password)
        # Demo people act through their memberships only: the Django admin site, which reads every
        # organisation's data, is for operators created with ``createsuperuser``.
        user.is_staff = user.is_superuser = False
        user.save()
        organisation = tenancy.organisation(organisation_key)
        if not Membership.objects.filter(user=user, organisation=organisation).exists():
            services.membership_create(organisation=organisation, username=username, role=role, actor=None)
        tenancy.users[username] = user
    return tenancy


def spread_history(records: Sequence[Any], start: datetime.datetime, end: datetime.datetime) -> None:
    """Re-date demo history records, in their order, evenly between ``start`` and ``end``, so that
    reports "as of" a past quarter find the demo's past (the demo is created today). ``records`` are rows of a
    history model, which django-simple-history generates without type hints."""
    records = sorted(records, key=lambda record: (record.history_date, record.history_id))
    if not records:
        return
    step = (end - start) / max(len(records), 1)
    for index, record in enumerate(records):
        record.history_date = start + step * index
    type(records[0]).objects.bulk_update(records, ["history_date"])
