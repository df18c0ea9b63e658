"""Shared helpers."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from bench.national_copy import copy_rows, next_id

SEED = 2026
PASSWORD = "bench-password-2026"
METROPOLE_SIREN_PREFIX = "24000001"
AGGLOMERATION_SIREN_PREFIX = "24000002"
METROPOLE_INCIDENTS = 10_000
METROPOLE_COMPONENTS = 1_500
METROPOLE_COMMUNES = 60
AGGLOMERATION_COMMUNES = 150
AGGLOMERATION_NOT_SHARING = 10  # member communes that did not consent to share their data with the EPCI
NATIONAL = {"region": 18, "departement": 101, "epci": 1_250, "commune": 35_000}
NATIONAL_INCIDENTS = 70_000
NATIONAL_COMPONENTS = 150_000
# Kinds of the other intercommunalités, in France's proportions (2024: 21 métropoles, 14 CU, 229 CA, 986 CC).
EPCI_KINDS = (
    ("metropole", 21),
    ("communaute_urbaine", 14),
    ("communaute_agglomeration", 229),
    ("communaute_communes", 986),
)
# How much of the country's incidents and components each kind of organisation holds (per organisation).
INCIDENT_WEIGHT = {
    "region": 60.0,
    "departement": 40.0,
    "metropole": 50.0,
    "communaute_urbaine": 30.0,
    "communaute_agglomeration": 12.0,
    "communaute_communes": 4.0,
}
COMPONENT_WEIGHT = {
    "region": 300.0,
    "departement": 250.0,
    "metropole": 200.0,
    "communaute_urbaine": 150.0,
    "communaute_agglomeration": 100.0,
    "communaute_communes": 40.0,
}


def scaled_count(national: int, scale: float, minimum: int) -> int:
    return max(minimum, round(national * scale))


@dataclass
class Org:
    id: int
    kind: str
    name: str
    siren: str
    population: int
    parent_id: int | None = None
    status: str = "important"
    members: list[Org] = field(default_factory=list)
    people: dict[str, int] = field(default_factory=dict)  # role -> user id
    assessment_id: int = 0
    anchor: str = ""  # "metropole", "agglomeration", "member" (of the agglomeration) or ""

    @property
    def category(self) -> str:
        return "essential" if self.status == "essential" else "important"


@dataclass
class Country:
    now: datetime.datetime
    quarter: Any  # nis2.periods.Quarter: the quarter just ended, the one the quarterly reports cover
    organisations: list[Org]
    metropole: Org
    agglomeration: Org
    components: dict[int, list[int]] = field(default_factory=dict)  # organisation id -> component ids

    def by_kind(self, *kinds: str) -> list[Org]:
        return [org for org in self.organisations if org.kind in kinds]


def generate_organisations(scale: float, generator: random.Random) -> Country:
    from nis2.models import Organisation
    from nis2.periods import quarter_of

    now = timezone.now()
    country = _country_shape(scale, generator)
    country_obj = Country(
        now=now,
        quarter=quarter_of(timezone.localdate()).previous(),
        organisations=country["all"],
        metropole=country["metropole"],
        agglomeration=country["agglomeration"],
    )
    _set_statuses(country_obj.organisations)
    created = now - datetime.timedelta(days=3 * 365 + 30)
    copy_rows(
        Organisation,
        (
            {
                "id": org.id,
                "name": org.name,
                "siren": org.siren,
                "kind": org.kind,
                "population": org.population,
                "population_year": 2023,
                "parent_id": org.parent_id,
                "nis2_status": org.status,
                "created_at": created,
                "updated_at": created,
            }
            for org in country_obj.organisations
        ),
    )
    return country_obj


def _country_shape(scale: float, generator: random.Random) -> dict[str, Any]:
    """Régions, départements, EPCI and their communes, with ids, names, SIRENs and populations."""
    from nis2.siren import siren_with_check_digit

    ids = iter(range(1, 10_000_000))
    regions = [
        Org(next(ids), "region", f"Région {index + 1:02d}", siren_with_check_digit(f"23{index:06d}"), 0)
        for index in range(scaled_count(NATIONAL["region"], scale, 1))
    ]
    departements = [
        Org(next(ids), "departement", f"Département {index + 1:03d}", siren_with_check_digit(f"22{index:06d}"), 0)
        for index in range(scaled_count(NATIONAL["departement"], scale, 1))
    ]
    metropole = Org(
        next(ids), "metropole", "Métropole du Grand Banc", siren_with_check_digit(METROPOLE_SIREN_PREFIX), 0
    )
    agglomeration = Org(
        next(ids),
        "communaute_agglomeration",
        "Communauté d'agglomération du Pays de Banc",
        siren_with_check_digit(AGGLOMERATION_SIREN_PREFIX),
        0,
    )
    metropole.anchor, agglomeration.anchor = "metropole", "agglomeration"
    others = _other_epcis(scaled_count(NATIONAL["epci"], scale, 4) - 2, ids, generator)
    communes = [
        Org(next(ids), "commune", f"Commune de Banc-{index + 1:05d}", siren_with_check_digit(f"21{index:06d}"), 0)
        for index in range(scaled_count(NATIONAL["commune"], scale, AGGLOMERATION_COMMUNES + METROPOLE_COMMUNES + 40))
    ]
    for commune in communes:
        commune.population = min(900_000, max(50, int(generator.lognormvariate(6.2, 1.65))))
    pool = iter(communes)
    agglomeration.members = [next(pool) for _index in range(AGGLOMERATION_COMMUNES)]
    agglomeration.members[0].population = 45_000  # a member of more than 30,000 inhabitants: essential entity
    metropole.members = [next(pool) for _index in range(METROPOLE_COMMUNES)]
    rest = list(pool)
    weights = [generator.uniform(0.5, 1.5) * (40 if epci.kind != "communaute_communes" else 22) for epci in others]
    for commune, epci in zip(rest, generator.choices(others, weights, k=len(rest)), strict=True):
        epci.members.append(commune)
    for epci in [metropole, agglomeration, *others]:
        for member in epci.members:
            member.parent_id = epci.id
            if epci is agglomeration:
                member.anchor = "member"
        epci.population = sum(member.population for member in epci.members) or generator.randint(5_000, 40_000)
    for collectivity in [*regions, *departements]:
        collectivity.population = generator.randint(150_000, 6_000_000)
    epcis = [metropole, agglomeration, *others]
    return {"all": [*regions, *departements, *epcis, *communes], "metropole": metropole, "agglomeration": agglomeration}


def _other_epcis(count: int, ids: Iterator[int], generator: random.Random) -> list[Org]:
    from nis2.siren import siren_with_check_digit

    kinds = [kind for kind, _share in EPCI_KINDS]
    chosen = generator.choices(kinds, [share for _kind, share in EPCI_KINDS], k=count)
    names = {
        "metropole": "Métropole",
        "communaute_urbaine": "Communauté urbaine",
        "communaute_agglomeration": "Communauté d'agglomération",
        "communaute_communes": "Communauté de communes",
    }
    return [
        Org(next(ids), kind, f"{names[kind]} {index + 1:04d}", siren_with_check_digit(f"24{index + 100:06d}"), 0)
        for index, kind in enumerate(chosen)
    ]


def _set_statuses(organisations: list[Org]) -> None:
    """The status the scoping rule suggests (nis2.entity_status): the data set holds no justified exception."""
    from nis2.entity_status import EntityKind, Nis2Status, suggest_nis2_status

    members = {org.id: org.members for org in organisations}
    for org in organisations:
        largest = max((member.population for member in members[org.id]), default=None)
        suggested = suggest_nis2_status(
            kind=EntityKind(org.kind), population=org.population, largest_member_population=largest
        ).status
        org.status = suggested.value if suggested is not Nis2Status.UNKNOWN else Nis2Status.IMPORTANT.value


ROLES = (("rssi", "security_officer"), ("dsi", "it"), ("elu", "executive"))


def generate_people(country: Country) -> None:
    """An RSSI, a DSI and an élu in every organisation; an administrator in every région, département and EPCI
    (the one who reads the member communes' data)."""
    from django.contrib.auth import get_user_model

    from nis2.models import Membership

    user_model = get_user_model()
    password = make_password(PASSWORD)
    user_id = next_id(user_model)
    for org in country.organisations:
        roles = [*ROLES, ("admin", "admin")] if org.kind != "commune" else list(ROLES)
        for _prefix, role in roles:
            org.people[role] = user_id
            user_id += 1
    joined = country.now - datetime.timedelta(days=3 * 365)
    copy_rows(
        user_model,
        (
            {
                "id": user_pk,
                "username": f"{prefix_of(role)}-{org.id}",
                "email": f"{prefix_of(role)}-{org.id}@bench.rempart.test",
                "first_name": prefix_of(role).upper(),
                "last_name": org.name[:150],
                "password": password,
                "date_joined": joined,
            }
            for org in country.organisations
            for role, user_pk in org.people.items()
        ),
    )
    copy_rows(
        Membership,
        (
            {"user_id": user_pk, "organisation_id": org.id, "role": role, "created_at": joined, "updated_at": joined}
            for org in country.organisations
            for role, user_pk in org.people.items()
        ),
    )


def prefix_of(role: str) -> str:
    return {"security_officer": "rssi", "it": "dsi", "executive": "elu", "admin": "admin"}[role]
