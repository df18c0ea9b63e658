"""The national data set: every French local authority using Rempart, loaded in bulk.

At scale 1: 18 régions, 101 départements, 1,250 intercommunalités (EPCI, each the parent of its member
communes) and 35,000 communes; each with a ReCyF assessment of the quarter just ended (76 items for an important
entity or one outside the scope assessing itself, 152 for an essential one: about 2.8 M items), an action plan,
the calendar of recurring duties, about 150,000 components and 70,000 incidents with the obligations, filings,
timeline entries and reminders the services would have stored. Two *measured organisations* keep the same size
at every scale, so that their figures compare across scales: the Métropole (10,000 incidents, 1,500 components)
and the Communauté d'agglomération of 150 communes (the consolidated report). Everything else scales.

Rows are written with PostgreSQL COPY (``bench.national_copy``), not through the services: the services are
too slow for millions of rows, so this module stores what they would store.
"""

from __future__ import annotations

import datetime
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from bench.national_copy import copy_history, copy_rows, insert_select, next_id, reset_sequences

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


@dataclass
class Phases:
    """Seconds spent in each phase of the generation, in order."""

    seconds: dict[str, float] = field(default_factory=dict)

    def run(self, name: str, function: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = function()
        self.seconds[name] = round(time.perf_counter() - start, 2)
        print(f"  {name:<48} {self.seconds[name]:8.1f} s", flush=True)
        return result


def generate(scale: float, *, seed: int = SEED) -> dict[str, Any]:
    """Load the national data set at ``scale`` into the current (migrated, empty) database; returns the time
    of each phase."""
    from bench import national_incidents

    generator = random.Random(seed)
    phases = Phases()
    phases.run("reference catalogues", _load_catalogues)
    country = phases.run("organisations", lambda: _organisations(scale, generator))
    phases.run("people and memberships", lambda: _people(country))
    phases.run("assessments and items", lambda: _assessments(country, generator))
    phases.run("action plans", lambda: _actions(country, scale, generator))
    phases.run("recurring duties and their reminders", lambda: _duties(country, generator))
    phases.run("components and sharing", lambda: _components(country, scale, generator))
    phases.run(
        "incidents, obligations, filings, timeline", lambda: national_incidents.generate(country, scale, generator)
    )
    phases.run("history of the other tables", lambda: _history())
    phases.run("sequences", _sequences)
    phases.run("obligations backfill (when the service has one)", _backfill)
    phases.run("vacuum analyze", _analyze)
    return {"phases": phases.seconds, "seconds": round(sum(phases.seconds.values()), 1)}


def _load_catalogues() -> None:
    from controls.catalogue_loading import load_shipped_catalogues
    from dependencies import services as dependencies

    load_shipped_catalogues()
    dependencies.load_domains()
    dependencies.load_seed_catalogue()


# --- Organisations and people -------------------------------------------------------------------------------


def _count(national: int, scale: float, minimum: int) -> int:
    return max(minimum, round(national * scale))


def _organisations(scale: float, generator: random.Random) -> Country:
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
        for index in range(_count(NATIONAL["region"], scale, 1))
    ]
    departements = [
        Org(next(ids), "departement", f"Département {index + 1:03d}", siren_with_check_digit(f"22{index:06d}"), 0)
        for index in range(_count(NATIONAL["departement"], scale, 1))
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
    others = _other_epcis(_count(NATIONAL["epci"], scale, 4) - 2, ids, generator)
    communes = [
        Org(next(ids), "commune", f"Commune de Banc-{index + 1:05d}", siren_with_check_digit(f"21{index:06d}"), 0)
        for index in range(_count(NATIONAL["commune"], scale, AGGLOMERATION_COMMUNES + METROPOLE_COMMUNES + 40))
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


def _people(country: Country) -> None:
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


# --- Assessments, action plans, recurring duties ------------------------------------------------------------


def _moment(day: datetime.date, generator: random.Random) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(8), tzinfo=datetime.UTC) + datetime.timedelta(
        minutes=generator.randint(0, 600)
    )


def _assessments(country: Country, generator: random.Random) -> None:
    """One assessment of the quarter just ended per organisation (and of the quarter before for the measured
    organisations, so that their reports compare two quarters); items rated during the quarter."""
    from controls.models import Assessment, Framework

    framework_id = Framework.objects.get(code="recyf").pk
    quarter = country.quarter
    rows, assessment_id = [], next_id(Assessment)
    for org in country.organisations:
        periods = [quarter.previous(), quarter] if org.anchor else [quarter]
        previous_id = None
        for period in periods:
            created = _moment(period.start + datetime.timedelta(days=generator.randint(0, 20)), generator)
            updated = created + datetime.timedelta(days=generator.randint(5, 60), minutes=generator.randint(0, 900))
            # The measured organisations' current assessment stays open: the bench rates its items.
            validated = period is not quarter or (not org.anchor and generator.random() < 0.3)
            rows.append(
                {
                    "id": assessment_id,
                    "organisation_id": org.id,
                    "framework_id": framework_id,
                    "label": f"{period.year}-T{period.number}",
                    "period_start": period.start,
                    "period_end": period.end,
                    "entity_category": org.category,
                    "status": "validated"
                    if validated
                    else "in_progress"
                    if org.anchor
                    else generator.choice(["draft", "in_progress", "in_progress"]),
                    "validated_at": updated if validated else None,
                    "validated_by_id": org.people["security_officer"] if validated else None,
                    "copied_from_id": previous_id,
                    "created_at": created,
                    "updated_at": updated,
                }
            )
            org.assessment_id, previous_id = assessment_id, assessment_id
            assessment_id += 1
    copy_rows(Assessment, rows)
    _items()


def _items() -> None:
    """Every assessment's items, by the server: the requirements that apply to the assessed category (as
    controls.services.assessment_create selects them), rated at random (3 % not applicable, 2 % covered by an
    alternative measure, 5 % not rated yet)."""
    from controls.models import RequirementAssessment

    sampled = (
        "(SELECT a.id AS assessment_id, r.id AS requirement_id, a.created_at, a.updated_at,"
        " random() AS u, random() AS v, random() AS w"
        " FROM controls_assessment a JOIN controls_requirement r ON r.framework_id = a.framework_id"
        " AND r.retired_at IS NULL AND CASE WHEN a.entity_category = 'essential' THEN r.applies_to_essential"
        " ELSE r.applies_to_important END ORDER BY a.id, r.position) s"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.2026)")
    insert_select(
        RequirementAssessment,
        {
            "assessment_id": "s.assessment_id",
            "requirement_id": "s.requirement_id",
            "created_at": "s.created_at",
            "updated_at": "s.created_at + (s.updated_at - s.created_at) * s.w",
            "applicable": "s.u >= 0.03",
            "justification": "CASE WHEN s.u < 0.03 THEN 'Sans objet : pas de service de ce type dans la collectivité.'"
            " ELSE '' END",
            "alternative_measure": "CASE WHEN s.u >= 0.03 AND s.u < 0.05"
            " THEN 'Mesure compensatoire mutualisée avec l''intercommunalité.' ELSE '' END",
            "current_level": "CASE WHEN s.v < 0.05 THEN NULL ELSE floor(s.w * 5)::int END",
            "reviewed_at": "CASE WHEN s.v < 0.05 THEN NULL ELSE s.created_at + (s.updated_at - s.created_at) * s.w END",
            "version": "CASE WHEN s.v < 0.05 THEN 1 ELSE 2 END",
        },
        sampled,
    )


ACTION_TITLES = (
    "Déployer l'authentification multifacteur pour les comptes d'administration",
    "Tester la restauration des sauvegardes de la paie",
    "Cloisonner le réseau des écoles",
    "Réviser la politique de sécurité des systèmes d'information",
    "Former les agents à l'hameçonnage",
    "Inventorier les comptes à privilèges",
    "Chiffrer les postes nomades",
    "Contractualiser la réversibilité avec l'éditeur du logiciel d'état civil",
)


def _actions(country: Country, scale: float, generator: random.Random) -> None:
    from controls.models import ActionItem

    today = timezone.localdate()

    def count(org: Org) -> int:
        if org.anchor == "metropole":
            return 60
        if org.anchor == "agglomeration":
            return 30
        if org.anchor == "member":
            return 3
        return generator.randint(4, 25) if org.kind != "commune" else generator.randint(0, 3)

    def rows() -> Iterator[dict[str, Any]]:
        for org in country.organisations:
            for index in range(count(org)):
                status = generator.choices(["open", "in_progress", "done", "abandoned"], [45, 25, 25, 5])[0]
                created = _moment(today - datetime.timedelta(days=generator.randint(10, 500)), generator)
                completed = min(country.now, created + datetime.timedelta(days=generator.randint(5, 200)))
                yield {
                    "organisation_id": org.id,
                    "title": f"{ACTION_TITLES[index % len(ACTION_TITLES)]} ({index + 1})",
                    "assessment_id": org.assessment_id,
                    "owner_id": org.people["security_officer"],
                    "due_date": today + datetime.timedelta(days=generator.randint(-200, 300)),
                    "priority": generator.choice(["low", "medium", "medium", "high", "critical"]),
                    "status": status,
                    "estimated_cost_eur": Decimal(generator.randint(0, 40_000)),
                    "effort_days": Decimal(generator.randint(1, 40)),
                    "completed_at": completed if status == "done" else None,
                    "created_at": created,
                    "updated_at": completed if status in ("done", "abandoned") else created,
                }

    copy_rows(ActionItem, rows())


def _duties(country: Country, generator: random.Random) -> None:
    """Each organisation recorded 85 % of its recurring duties at some date of the last period (some are now
    overdue); the reminders the daily task sent up to yesterday are stored, so that a run today sends only
    today's (as the task would find them on any morning)."""
    from controls import duties
    from controls.models import DutyCompletion, DutyReminder

    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    completions, reminders = [], []
    for org in country.organisations:
        for duty in duties.duties_for(org.category):
            last_done = None
            if generator.random() < 0.85:
                last_done = today - datetime.timedelta(days=generator.randint(0, int(duty.every_months * 30.4 * 1.1)))
                completions.append(
                    {
                        "organisation_id": org.id,
                        "duty": duty.code,
                        "done_on": last_done,
                        "created_at": _moment(last_done, generator),
                        "updated_at": _moment(last_done, generator),
                    }
                )
            if org.status == "not_in_scope":
                continue
            due_on = duties.next_due(last_done, duty.every_months, today=yesterday)
            state = duties.status(due_on, yesterday, ever_done=last_done is not None)
            threshold = {"due_soon": "soon", "overdue": "overdue", "never_done": "overdue"}.get(state.value)
            if threshold:
                reminders.append(
                    {"organisation_id": org.id, "duty": duty.code, "due_on": due_on, "threshold": threshold}
                )
    copy_rows(DutyCompletion, completions)
    copy_rows(DutyReminder, reminders)


# --- Components ---------------------------------------------------------------------------------------------


def _component_counts(country: Country, scale: float, generator: random.Random) -> Counter[int]:
    counts: Counter[int] = Counter()
    fixed = {"metropole": METROPOLE_COMPONENTS, "agglomeration": 300, "member": 20}
    for org in country.organisations:
        if org.anchor:
            counts[org.id] = fixed[org.anchor]
    others = [org for org in country.organisations if not org.anchor]
    weights = [COMPONENT_WEIGHT.get(org.kind, 1 + min(org.population, 120_000) / 2_000) for org in others]
    # The measured organisations keep their size at every scale; the rest of the country scales.
    remaining = max(0, round((NATIONAL_COMPONENTS - sum(counts.values())) * scale))
    counts.update(org.id for org in generator.choices(others, weights, k=remaining))
    return counts


def _components(country: Country, scale: float, generator: random.Random) -> None:
    from dependencies.models import Component, DependencySharing, Domain, LegalEntity, Product

    domains = list(Domain.objects.values_list("pk", flat=True))
    products = list(Product.objects.filter(organisation__isnull=True).prefetch_related("domains"))
    product_domains = {product.pk: [domain.pk for domain in product.domains.all()] or domains for product in products}
    entities = list(LegalEntity.objects.filter(organisation__isnull=True).values_list("pk", flat=True))
    counts = _component_counts(country, scale, generator)
    component_id = next_id(Component)
    today = timezone.localdate()
    rows = []
    for org in country.organisations:
        ids = country.components.setdefault(org.id, [])
        for index in range(counts[org.id]):
            product = generator.choice(products)
            criticality = generator.randint(1, 4)
            created = country.now - datetime.timedelta(
                days=generator.randint(1, 900), minutes=generator.randint(0, 900)
            )
            rows.append(
                {
                    "id": component_id,
                    "organisation_id": org.id,
                    "name": f"{product.name} {index + 1:05d}"[:200],
                    "domain_id": generator.choice(product_domains[product.pk]),
                    "product_id": product.pk,
                    "deployment": generator.choice(
                        ["on_premises", "eu_private_hosting", "vendor_saas", "public_cloud"]
                    ),
                    "operator_id": generator.choice(entities) if generator.random() < 0.3 else None,
                    "hosting_provider_id": generator.choice(entities) if generator.random() < 0.3 else None,
                    "hosting_country": generator.choice(["FR", "FR", "FR", "DE", "IE", "US", ""]),
                    "data_country": generator.choice(["FR", "FR", "FR", "NL", "US", ""]),
                    "criticality": criticality,
                    "legal_obligation": criticality >= 3 and generator.random() < 0.4,
                    "users": generator.randint(1, 2_000),
                    "annual_cost_eur": Decimal(generator.randint(0, 60_000)),
                    "contract_end": today + datetime.timedelta(days=generator.randint(-100, 1_200)),
                    "full_export_open_formats": generator.random() < 0.4,
                    "open_standards_apis": generator.random() < 0.5,
                    "alternative_exists": generator.random() < 0.5,
                    "reversibility": generator.random() < 0.3,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            ids.append(component_id)
            component_id += 1
    copy_rows(Component, rows)
    copy_rows(
        DependencySharing,
        (
            {
                "organisation_id": org.id,
                "share_with_parent": (index >= AGGLOMERATION_NOT_SHARING)
                if org.anchor == "member"
                else generator.random() < 0.3,
                "created_at": country.now,
                "updated_at": country.now,
            }
            for index, org in enumerate(
                country.agglomeration.members + [o for o in country.by_kind("commune") if not o.anchor]
            )
        ),
    )


# --- History, sequences, statistics -------------------------------------------------------------------------


def history_models() -> list[Any]:
    """The tables whose history django-simple-history would hold and that the bench fills from the live rows
    (the incidents' history is written with their transitions in bench.national_incidents)."""
    from controls.models import ActionItem, Assessment, DutyCompletion
    from dependencies.models import Component, DependencySharing
    from incidents.models import CorrectiveAction, Filing, Obligation, TimelineEntry
    from nis2.models import Membership, Organisation

    return [
        Organisation,
        Membership,
        Assessment,
        ActionItem,
        DutyCompletion,
        Component,
        DependencySharing,
        Obligation,
        Filing,
        TimelineEntry,
        CorrectiveAction,
    ]


def _history() -> None:
    """'+' rows dated at creation; a '~' row dated at the last update for rows changed since. Items: created
    unrated, then rated (their live state) at their last update."""
    from controls.models import RequirementAssessment
    from incidents.models import Filing, TimelineEntry

    for model in history_models():
        if model in (Filing, TimelineEntry):
            copy_history(model, history_date="t.recorded_at")
            continue
        copy_history(model)
        copy_history(model, where="t.updated_at > t.created_at", history_date="t.updated_at", history_type="~")
    copy_history(
        RequirementAssessment,
        overrides={"current_level": "NULL", "reviewed_at": "NULL", "version": "1", "updated_at": "t.created_at"},
    )
    copy_history(
        RequirementAssessment,
        where="t.current_level IS NOT NULL",
        history_date="t.updated_at",
        history_type="~",
    )


def _sequences() -> None:
    from django.apps import apps

    reset_sequences(
        model
        for app in ("auth", "nis2", "controls", "dependencies", "incidents", "reports")
        for model in apps.get_app_config(app).get_models()
    )


def _backfill() -> str:
    """Stored fields other engineers derive from the obligations (status, next reminder...) are filled by
    their own backfill entry point when it exists."""
    from incidents import services

    backfill = getattr(services, "obligations_backfill", None)
    if backfill is None:
        return "absent"
    backfill()
    return "done"


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
