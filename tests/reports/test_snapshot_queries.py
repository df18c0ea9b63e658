"""The consolidated snapshot of an intercommunality runs as many queries for 150 member communes as for 2
(issue 15: it ran about 30 queries per member, 4,501 for 150 communes), and reads only the legal entities
its components name, with their parents, not every organisation's private vendors."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from simple_history.utils import bulk_create_with_history

from controls.models import ActionItem, Assessment, Framework, Requirement, RequirementAssessment
from dependencies import selectors as dependency_selectors
from dependencies.models import Component, DependencySharing, LegalEntity, Product
from incidents.models import Filing, Incident, Obligation, ReportingRule
from nis2.models import Organisation
from nis2.periods import Quarter, Year
from nis2.siren import siren_with_check_digit
from reports.models import Approval
from reports.snapshot import build_snapshot
from tests.controls.factories import framework_with_requirements
from tests.dependencies.factories import domain
from tests.nis2.factories import OrganisationFactory, UserFactory
from tests.reports.dates import Q2, Q3, paris
from tests.reports.factories import ApprovalFactory, ReportFactory, TrainingFactory

pytestmark = pytest.mark.django_db

# The bound for every size: the snapshot's queries do not depend on the number of members.
MAX_QUERIES = 59
ENTITY_TABLE = 'FROM "dependencies_legalentity"'


def communes(intercommunality: Organisation, count: int) -> list[Organisation]:
    """``count`` member communes, all sharing their data but the last one, written in bulk."""
    first = 23000000 + 1000 * intercommunality.pk
    made = Organisation.objects.bulk_create(
        Organisation(
            name=f"Commune n°{index:03d}",
            siren=siren_with_check_digit(f"{first + index:08d}"),
            kind=Organisation.Kind.COMMUNE,
            nis2_status=Organisation.Nis2StatusChoices.IMPORTANT,
            parent=intercommunality,
        )
        for index in range(count)
    )
    DependencySharing.objects.bulk_create(
        DependencySharing(organisation=commune, share_with_parent=index < count - 1)
        for index, commune in enumerate(made)
    )
    return made


def assessments(organisations: list[Organisation], framework: Framework) -> None:
    """A Q2 assessment (validated) and a Q3 one per organisation, each rated R1..R4 = 1..4 then R1 = 0 later."""
    requirements = list(Requirement.objects.filter(framework=framework).order_by("position"))
    for quarter, status, moment in ((Q2, "validated", paris(5, 2)), (Q3, "in_progress", paris(8, 2))):
        made = bulk_create_with_history(
            [
                Assessment(
                    organisation=organisation,
                    framework=framework,
                    label=quarter.label_fr,
                    period_start=quarter.start,
                    period_end=quarter.end,
                    entity_category="important",
                    status=status,
                )
                for organisation in organisations
            ],
            Assessment,
            default_date=moment,
        )
        items = bulk_create_with_history(
            [
                RequirementAssessment(assessment=assessment, requirement=requirement, current_level=level)
                for assessment in made
                for level, requirement in enumerate(requirements, start=1)
            ],
            RequirementAssessment,
            default_date=moment,
        )
        later = [item for item in items if item.requirement_id == requirements[0].pk]
        for item in later:
            item.current_level = 0
        RequirementAssessment.objects.bulk_update(later, ["current_level"])
        RequirementAssessment.history.bulk_history_create(later, default_date=moment + datetime.timedelta(days=5))


def incidents(organisations: list[Organisation]) -> None:
    """One significant incident per organisation in Q3, with one report filed on time."""
    made = bulk_create_with_history(
        [
            Incident(
                organisation=organisation,
                title=f"Incident de {organisation.name}",
                detected_at=paris(8, 10),
                aware_at=paris(8, 10, 10),
                category="malicious-code",
                subcategory="infected-system",
                severity="high",
                significant="yes",
            )
            for organisation in organisations
        ],
        Incident,
        default_date=paris(8, 10, 11),
    )
    rule = ReportingRule.objects.filter(active=True).select_related("authority").order_by("pk").first()
    assert rule is not None
    obligations = bulk_create_with_history(
        [
            Obligation(
                incident=incident,
                step=rule.step,
                rule=rule,
                authority=rule.authority,
                window_start=paris(8, 10, 10),
                due_at=paris(8, 11, 10),
            )
            for incident in made
        ],
        Obligation,
        default_date=paris(8, 10, 11),
    )
    filings = Filing.objects.bulk_create(
        Filing(obligation=obligation, submitted_at=paris(8, 10, 20)) for obligation in obligations
    )
    Filing.objects.filter(pk__in=[filing.pk for filing in filings]).update(recorded_at=paris(8, 10, 21))


def components(organisations: list[Organisation]) -> None:
    """Per organisation, a component run by its own private operator (a subsidiary of a shared group)."""
    batch = organisations[0].pk
    group = LegalEntity.objects.create(key=f"groupe-{batch}", name="Groupe", country="US")
    publisher = LegalEntity.objects.create(key=f"editeur-{batch}", name="Éditeur", country="FR", parent=group)
    product = Product.objects.create(
        key=f"logiciel-{batch}", name="Logiciel", publisher=publisher, licence_model="proprietary"
    )
    product.alternatives.set(
        [Product.objects.create(key=f"libre-{batch}", name="Libre", publisher=group, licence_model="open_source")]
    )
    operators = LegalEntity.objects.bulk_create(
        LegalEntity(
            key=f"operateur-{organisation.pk}",
            name=f"Opérateur {index}",
            country="FR",
            parent=publisher,
            organisation=organisation,
        )
        for index, organisation in enumerate(organisations)
    )
    bulk_create_with_history(
        [
            Component(
                organisation=organisation,
                name="Messagerie",
                domain=domain(),
                product=product,
                deployment="vendor_saas",
                operator=operator,
                criticality=4,
                annual_cost_eur=Decimal(10_000),
                contract_end=datetime.date(2027, 3, 31),
            )
            for organisation, operator in zip(organisations, operators, strict=True)
        ],
        Component,
        default_date=paris(5, 10),
    )


def actions(organisations: list[Organisation]) -> None:
    owner = UserFactory()
    bulk_create_with_history(
        [
            ActionItem(organisation=organisation, owner=owner, title=f"Action {index}", due_date=due_date)
            for organisation in organisations
            for index, due_date in enumerate((datetime.date(2026, 6, 1), datetime.date(2026, 11, 2)))
        ],
        ActionItem,
        default_date=paris(4, 5),
    )


def governance(organisation: Organisation) -> None:
    """An approval of every subject in force from Q2, and a training of the management body."""
    assessment = Assessment.objects.get(organisation=organisation, period_start=Q2.start)
    approvals = [
        ApprovalFactory(organisation=organisation, subject=subject, assessment=assessment)
        for subject in (Approval.Subject.MEASURES, Approval.Subject.ACTION_PLAN, Approval.Subject.APPLICABILITY)
    ]
    report = ReportFactory(organisation=organisation, period=Q2.code, period_start=Q2.start, period_end=Q2.end)
    approvals.append(
        ApprovalFactory(organisation=organisation, subject=Approval.Subject.REPORT, report=report, assessment=None)
    )
    Approval.objects.filter(pk__in=[approval.pk for approval in approvals]).update(created_at=paris(6, 20))
    TrainingFactory(organisation=organisation, completed_on=datetime.date(2026, 3, 12))


def intercommunality(members: int) -> Organisation:
    """An intercommunality with ``members`` communes; it and each commune have an assessment per quarter,
    an incident, a component and two actions; the intercommunality's council approved all it could."""
    epci = OrganisationFactory(kind=Organisation.Kind.COMMUNAUTE_AGGLOMERATION)
    everyone = [epci, *communes(epci, members)]
    assessments(everyone, framework_with_requirements(4))
    incidents(everyone)
    components(everyone)
    actions(everyone)
    governance(epci)
    return epci


def counted(organisation: Organisation, period: Quarter | Year) -> tuple[dict[str, Any], int]:
    with CaptureQueriesContext(connection) as queries:
        snapshot = build_snapshot(organisation, period, language="fr", consolidated=True)
    entity_reads = [sql for sql in (query["sql"] for query in queries.captured_queries) if ENTITY_TABLE in sql]
    assert entity_reads
    assert all('"dependencies_legalentity"."id" IN (' in sql for sql in entity_reads)  # never the whole table
    return snapshot, len(queries)


@pytest.mark.parametrize("period", [pytest.param(Q3, id="quarterly"), pytest.param(Year(2026), id="annual")])
def test_the_consolidated_snapshot_runs_the_same_queries_for_2_and_for_150_communes(
    django_assert_max_num_queries: Any, period: Quarter | Year
) -> None:
    small, large = intercommunality(2), intercommunality(150)

    with django_assert_max_num_queries(MAX_QUERIES):
        small_snapshot, small_queries = counted(small, period)
    with django_assert_max_num_queries(MAX_QUERIES):
        large_snapshot, large_queries = counted(large, period)

    assert large_queries == small_queries
    assert [member["shared"] for member in small_snapshot["members"]] == [True, False]
    shared = [member for member in large_snapshot["members"] if member["shared"]]
    assert len(shared) == 149
    assert {member["incidents"]["total"] for member in shared} == {1}
    assert {member["dependency_index"] for member in shared} == {small_snapshot["members"][0]["dependency_index"]}
    assert large_snapshot["incidents"]["stats"]["total"] == 150  # the intercommunality's and 149 communes'
    assert large_snapshot["dependencies"]["components"] == 150


def test_the_chains_hold_only_the_entities_named_and_their_parents() -> None:
    """Another organisation's private vendor is not read: only the entities asked for and their ancestors."""
    group = LegalEntity.objects.create(key="groupe", name="Groupe", country="US")
    holding = LegalEntity.objects.create(key="holding", name="Holding", country="LU", parent=group)
    subsidiary = LegalEntity.objects.create(key="filiale", name="Filiale", country="FR", parent=holding)
    other = OrganisationFactory()
    LegalEntity.objects.create(key="prive", name="Prestataire privé", country="FR", organisation=other, parent=group)

    with CaptureQueriesContext(connection) as queries:
        chains = dependency_selectors.EntityChains(entity_ids=[subsidiary.pk])

    assert chains.chain(subsidiary.pk) == [("Filiale", "FR"), ("Holding", "LU"), ("Groupe", "US")]
    assert chains.loaded_ids == {subsidiary.pk, holding.pk, group.pk}
    assert len(queries) == 3  # one per generation: the entity, its parent, its grandparent
