"""The Lake intercommunality: a varied data set for the snapshot's equivalence test (issue 15). The
Communauté de communes du Lac and four communes, three sharing their data with it (Amont, Aval, Bourg) and one
not (Col), their 2026 written quarter by quarter through the services: assessments with history (a copy, a
validation, objectives not applicable, later edits), incidents with their reports (filed, closed, overdue),
components with ownership chains (a private vendor, a French subsidiary of an American group, SecNumCloud),
actions (done, overdue, due next quarter), approvals and trainings of the management body.

Every moment is written by hand, history dates included (``happening``), so that the snapshots do not depend
on the day the test runs nor on how many history records the services write."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from controls import services as controls_services
from controls.models import Framework, Section
from dependencies import services as dependency_services
from dependencies.models import LegalEntity, Product
from nis2.models import Membership, Organisation
from nis2.roles import Role
from reports.models import Approval
from tests.reports.dates import Q2, Q3, paris
from tests.reports.factories import ApprovalFactory, TrainingFactory
from tests.reports.lake_writing import (
    action,
    assessment,
    build_epci,
    close,
    component,
    entities,
    file_first_report,
    framework,
    happening,
    incident,
    person,
    products,
    rate,
)


@dataclass
class Lake:
    """The organisations by key (``epci``, ``upstream``, ``downstream``, ``town``, ``pass``), their security
    officers by the same keys, the catalogues, and what a later quarter changes."""

    organisations: dict[str, Organisation]
    people: dict[str, Any]
    catalogue: Framework
    vendors: dict[str, LegalEntity]
    software: dict[str, Product]
    written: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Organisation:
        return self.organisations[key]


def lake(member_of: Callable[..., Membership]) -> dict[str, Organisation]:
    """The Lake intercommunality and its communes, their 2026 written quarter by quarter."""
    organisations = build_epci(member_of)
    people = {
        key: person(member_of, organisation, Role.SECURITY_OFFICER, f"rssi-{key}")
        for key, organisation in organisations.items()
    }
    executive = person(member_of, organisations["epci"], Role.EXECUTIVE, "jean-president")
    person(member_of, organisations["epci"], Role.EXECUTIVE, "marie-vicepresidente")
    catalogue = framework()
    vendors = entities()
    data = Lake(organisations, people, catalogue, vendors, products(vendors))
    data.vendors["local"] = LegalEntity.objects.create(
        key="prestataire-amont",
        name="Prestataire d'Amont",
        country="FR",
        parent=vendors["group"],
        organisation=data["upstream"],
    )
    LegalEntity.objects.create(
        key="prestataire-col", name="Prestataire du Col", country="DE", organisation=data["pass"]
    )
    second_quarter(data)
    third_quarter(data)
    third_quarter_incidents(data)
    fourth_quarter(data)
    governance(data, executive)
    return organisations


def second_quarter(data: Lake) -> None:
    people, catalogue, software = data.people, data.catalogue, data.software
    with happening(paris(4, 2), paris(5, 20)):
        data.written["epci_q2"] = assessment(
            data["epci"], catalogue, Q2, {"R1": 2, "R2": 2, "R3": 1, "R4": 0, "R5": 1, "R6": 1}, people["epci"]
        )
        upstream_q2 = data.written["upstream_q2"] = assessment(
            data["upstream"], catalogue, Q2, {"R1": 1, "R2": 2, "R3": 2, "R4": 0, "R5": 3, "R6": 1}, people["upstream"]
        )
        controls_services.assessment_validate(assessment=upstream_q2, actor=people["upstream"])
        town_q2 = assessment(
            data["town"], catalogue, Q2, {"R1": 3, "R2": 3, "R3": 3, "R4": 2, "R5": 1, "R6": 0}, people["town"]
        )
        controls_services.assessment_validate(assessment=town_q2, actor=people["town"])
        assessment(data["pass"], catalogue, Q2, {"R1": 5, "R2": 5}, people["pass"])
        data.written["finances"] = component(
            data["upstream"],
            people["upstream"],
            "Finances",
            software["finance"],
            domain="D05",
            criticality=2,
            annual_cost_eur=Decimal(12_000),
            exposure_override=0,
            exposure_override_justification="Éditeur public français.",
        )
        component(
            data["town"],
            people["town"],
            "Réservation des salles",
            software["free"],
            deployment="on_premises",
            criticality=1,
            annual_cost_eur=Decimal(0),
        )
        component(
            data["pass"],
            people["pass"],
            "Messagerie du Col",
            software["mail"],
            criticality=4,
            annual_cost_eur=Decimal(9),
        )
        action(data["upstream"], people["upstream"], "Revoir le plan de reprise", due_date=datetime.date(2026, 6, 1))
        action(data["epci"], people["epci"], "Cartographier le SI", due_date=datetime.date(2026, 6, 30), priority="low")
    with happening(paris(6, 15), paris(6, 16)):
        incident(data["town"], people["town"], "Panne du serveur de fichiers", paris(6, 15), significant=False)
        incident(data["pass"], people["pass"], "Rançongiciel au Col", paris(6, 15, 11))


def third_quarter(data: Lake) -> None:
    people = data.people
    with happening(paris(7, 2), paris(7, 30)):
        epci_q3 = data.written["epci_q3"] = assessment(
            data["epci"], data.catalogue, Q3, {"R1": 3, "R2": 3, "R3": 2, "R4": 1, "R5": 2, "R6": 2}, people["epci"]
        )
        controls_services.assessment_validate(assessment=epci_q3, actor=people["epci"])
        upstream_q3 = data.written["upstream_q3"] = controls_services.assessment_copy(
            assessment=data.written["upstream_q2"],
            label="T3-2026",
            period_start=Q3.start,
            period_end=Q3.end,
            actor=people["upstream"],
        )
        rate(upstream_q3, {"R1": 4, "R2": 3, "R4": None}, people["upstream"])
        controls_services.items_not_applicable_set(
            assessment=upstream_q3,
            section=Section.objects.get(framework=data.catalogue, ref="2"),
            justification="Pas de système industriel.",
            actor=people["upstream"],
        )
        third_quarter_components(data)
        third_quarter_actions(data)


def third_quarter_components(data: Lake) -> None:
    people, vendors, software = data.people, data.vendors, data.software
    component(
        data["upstream"],
        people["upstream"],
        "Messagerie",
        software["mail"],
        operator=vendors["local"],
        hosting_provider=vendors["host"],
        data_country="FR",
        criticality=4,
        data_sensitivity="personal",
        annual_cost_eur=Decimal(30_000),
        contract_end=datetime.date(2027, 3, 31),
        strategy="migrate",
        alternative_exists=True,
    )
    component(
        data["downstream"],
        people["downstream"],
        "Site internet",
        software["web"],
        domain="D01",
        deployment="public_cloud",
        hosting_provider=vendors["cloud"],
        criticality=4,
        legal_obligation=True,
        annual_cost_eur=Decimal(1_000),
        contract_end=datetime.date(2027, 1, 31),
        strategy="negotiate",
        certifications=[{"scheme": "SecNumCloud", "valid_until": "2027-06-30"}],
    )
    component(
        data["epci"],
        people["epci"],
        "Parapheur intercommunal",
        software["signature"],
        domain="D05",
        deployment="eu_private_hosting",
        hosting_provider=vendors["host"],
        annual_cost_eur=Decimal(5_000),
        contract_end=datetime.date(2026, 12, 31),
        full_export_open_formats=True,
    )


def third_quarter_actions(data: Lake) -> None:
    upstream, officer = data["upstream"], data.people["upstream"]
    action(
        upstream,
        officer,
        "Sauvegardes hors ligne",
        due_date=datetime.date(2026, 8, 31),
        status="done",
        completed_at=paris(8, 30),
        priority="high",
    )
    data.written["mfa"] = action(
        upstream, officer, "Activer la double authentification", due_date=datetime.date(2026, 9, 15)
    )
    action(upstream, officer, "Former les agents", due_date=datetime.date(2026, 11, 15), status="in_progress")
    action(data["downstream"], data.people["downstream"], "Inventorier les postes", due_date=datetime.date(2026, 9, 1))
    action(data["pass"], data.people["pass"], "Action privée du Col", due_date=datetime.date(2026, 9, 1))


def third_quarter_incidents(data: Lake) -> None:
    people = data.people
    with happening(paris(8, 10, 8), paris(8, 12)):
        ransomware = incident(data["upstream"], people["upstream"], "Rançongiciel à Amont", paris(8, 10, 8))
        file_first_report(ransomware, people["upstream"], paris(8, 10, 20))
    with happening(paris(8, 20), paris(8, 21)):
        close(ransomware, people["upstream"], contained_at=paris(8, 11), closed_at=paris(8, 20))
    with happening(paris(9, 1), paris(9, 3)):
        incident(data["downstream"], people["downstream"], "Défiguration du site", paris(9, 1))
        incident(data["upstream"], people["upstream"], "Hameçonnage", paris(9, 2, 14), significant=False)
        incident(data["epci"], people["epci"], "Fuite de courriels", paris(9, 2, 16), significant=False)
        dependency_services.component_delete(component=data.written["finances"], actor=people["upstream"])


def fourth_quarter(data: Lake) -> None:
    """What the annual report sees and the quarterly one does not."""
    with happening(paris(10, 5), paris(10, 20)):
        rate(data.written["upstream_q3"], {"R1": 1}, data.people["upstream"])
        mfa = data.written["mfa"]
        mfa.status = "done"
        mfa.completed_at = paris(10, 6)
        mfa.save()
        incident(data["downstream"], data.people["downstream"], "Intrusion en octobre", paris(10, 12))


def governance(data: Lake, executive: Any) -> None:
    """The intercommunality's approvals and trainings (NIS 2 Art. 20)."""
    epci = data["epci"]
    measures = ApprovalFactory(
        organisation=epci,
        assessment=data.written["epci_q2"],
        decided_on=datetime.date(2026, 6, 20),
        act_reference="2026-012",
        approved_state={"assessment": "T2-2026", "applicable_requirements": 6, "maturity_level": 1.5},
    )
    applicability = ApprovalFactory(
        organisation=epci,
        subject=Approval.Subject.APPLICABILITY,
        assessment=data.written["epci_q3"],
        decided_on=datetime.date(2026, 9, 10),
        act_reference="2026-031",
        approved_state={
            "assessment": "T3-2026",
            "applicable_requirements": 6,
            "maturity_level": 2.5,
            "not_applicable": [],
            "justifications_sha256": "0" * 64,
        },
    )
    Approval.objects.filter(pk=measures.pk).update(created_at=paris(6, 21))
    Approval.objects.filter(pk=applicability.pk).update(created_at=paris(9, 11))
    TrainingFactory(organisation=epci, person=executive, person_name="", completed_on=datetime.date(2025, 5, 1))
    TrainingFactory(organisation=epci, person_name="Mme Élue Adjointe", completed_on=datetime.date(2026, 3, 12))
