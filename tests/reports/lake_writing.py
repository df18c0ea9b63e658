"""Writing the Lake data set (tests/reports/lake.py): through the services, at moments written by hand."""

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db.models import F, Max

from controls import services as controls_services
from controls.models import ActionItem, Assessment, Framework, Requirement, RequirementAssessment
from dependencies import services as dependency_services
from dependencies.models import Component, LegalEntity, Product
from incidents import services as incident_services
from incidents.models import Filing, Incident, Obligation
from nis2.demo import spread_history
from nis2.models import Membership, Organisation
from nis2.roles import Role
from nis2.siren import siren_with_check_digit
from tests.controls.factories import ActionFactory, framework_with_requirements
from tests.dependencies.factories import domain
from tests.incidents.factories import significant_incident
from tests.nis2.factories import OrganisationFactory

HISTORY_MODELS = (Assessment, RequirementAssessment, Incident, Obligation, Component, ActionItem)


@contextmanager
def happening(start: datetime.datetime, end: datetime.datetime) -> Iterator[None]:
    """Whatever is written inside is re-dated between ``start`` and ``end`` (``redate``), and its reports'
    filings recorded at ``end``."""
    marks = {model: model.history.aggregate(last=Max("history_id"))["last"] or 0 for model in HISTORY_MODELS}
    last_filing = Filing.objects.aggregate(last=Max("pk"))["last"] or 0
    yield
    for model, mark in marks.items():
        redate(list(model.history.filter(history_id__gt=mark)), start, end)
    Filing.objects.filter(pk__gt=last_filing).update(recorded_at=end)


def redate(records: list[Any], start: datetime.datetime, end: datetime.datetime) -> None:
    """Each object's history records, in their order, within a slot of its own, the objects in the order of
    their ids: the history's order then does not depend on how many records the services write."""
    by_object: dict[int, list[Any]] = {}
    for record in sorted(records, key=lambda record: (record.history_date, record.history_id)):
        by_object.setdefault(record.id, []).append(record)
    slot = (end - start) / max(len(by_object), 1)
    for index, object_id in enumerate(sorted(by_object)):
        spread_history(by_object[object_id], start + slot * index, start + slot * (index + 1))


def framework() -> Framework:
    """R1 to R6 in two objectives, on Article 21(2) points (a) to (f); R1 weighs 3."""
    framework = framework_with_requirements(6, sections=2)
    Framework.objects.filter(pk=framework.pk).update(name_fr="Référentiel du Lac", name_en="Lake framework")
    Requirement.objects.filter(framework=framework, ref="R1").update(weight=3)
    return Framework.objects.get(pk=framework.pk)


def assessment(
    organisation: Organisation, framework: Framework, quarter: Any, levels: dict[str, int | None], actor: Any
) -> Assessment:
    created = quarter_assessment(organisation, framework, quarter, actor)
    rate(created, levels, actor)
    return created


def quarter_assessment(organisation: Organisation, framework: Framework, quarter: Any, actor: Any) -> Assessment:
    """The quarter's assessment, created through the services and labelled like the quarter (``T3-2026``)."""
    return controls_services.assessment_create(
        organisation=organisation,
        framework=framework,
        label=quarter.label_fr.replace(" ", "-"),
        period_start=quarter.start,
        period_end=quarter.end,
        actor=actor,
    )


def rate(assessment: Assessment, levels: dict[str, int | None], actor: Any) -> None:
    for ref, level in levels.items():
        item = assessment.items.get(requirement__ref=ref)
        controls_services.item_update(item=item, expected_version=item.version, actor=actor, current_level=level)


def entities() -> dict[str, LegalEntity]:
    """The shared catalogue's vendors: a French subsidiary of an American group, a French host, an
    American cloud, an open-source foundation of no country, a French public publisher."""
    group = LegalEntity.objects.create(key="groupe-us", name="Groupe Américain", country="US")
    made: dict[str, LegalEntity] = {
        "group": group,
        "subsidiary": LegalEntity.objects.create(
            key="filiale-fr", name="Filiale Française", country="FR", parent=group
        ),
        "host": LegalEntity.objects.create(key="hebergeur-fr", name="Hébergeur Français", country="FR"),
        "cloud": LegalEntity.objects.create(key="cloud-us", name="Nuage Américain", country="US"),
        "foundation": LegalEntity.objects.create(key="fondation", name="Fondation du Libre", country=""),
        "public": LegalEntity.objects.create(key="editeur-public", name="Éditeur Public", country="FR"),
    }
    # Not used by any component: a snapshot never needs it.
    LegalEntity.objects.create(key="inutile", name="Éditeur Inutilisé", country="CN", parent=group)
    return made


def products(vendors: dict[str, LegalEntity]) -> dict[str, Product]:
    free = Product.objects.create(
        key="suite-libre", name="Suite Libre", publisher=vendors["foundation"], licence_model="open_source"
    )
    made = {
        "free": free,
        "mail": Product.objects.create(
            key="messagerie-cloud",
            name="Messagerie Cloud",
            publisher=vendors["subsidiary"],
            licence_model="proprietary",
        ),
        "finance": Product.objects.create(
            key="finances-publiques",
            name="Finances Publiques",
            publisher=vendors["public"],
            licence_model="proprietary",
        ),
        "web": Product.objects.create(
            key="site-web", name="Site Web Hébergé", publisher=vendors["cloud"], licence_model="open_core"
        ),
        "signature": Product.objects.create(
            key="parapheur", name="Parapheur", publisher=vendors["group"], licence_model="proprietary"
        ),
    }
    made["mail"].alternatives.set([free, made["finance"]])
    made["web"].alternatives.set([free])
    return made


def component(organisation: Organisation, actor: Any, name: str, product: Product, **fields: Any) -> Component:
    values: dict[str, Any] = {
        "domain": domain(fields.pop("domain", "D02")),
        "deployment": "vendor_saas",
        "criticality": 3,
        "annual_cost_eur": Decimal(10_000),
        **fields,
    }
    return dependency_services.component_create(
        organisation=organisation, actor=actor, name=name, product=product, **values
    )


def action(organisation: Organisation, owner: Any, title: str, **fields: Any) -> ActionItem:
    return ActionFactory(organisation=organisation, owner=owner, title=title, **fields)


def incident(organisation: Organisation, actor: Any, title: str, detected_at: datetime.datetime, **fields: Any) -> Any:
    values: dict[str, Any] = {"detected_at": detected_at, "aware_at": detected_at + datetime.timedelta(hours=2)}
    if not fields.pop("significant", True):
        values.update(significant="no", significant_justification="Aucun service interrompu.", severity="low")
    return significant_incident(organisation, actor=actor, title=title, **{**values, **fields})


def close(incident: Incident, actor: Any, *, contained_at: datetime.datetime, closed_at: datetime.datetime) -> None:
    incident = incident_services.incident_transition(
        incident=incident, status="contained", actor=actor, at=contained_at
    )
    incident = incident_services.incident_update(
        incident=incident,
        actor=actor,
        root_cause_category="human_error",
        root_cause="Mot de passe réutilisé.",
        root_cause_identified_at=contained_at + datetime.timedelta(hours=30),
    )
    incident = incident_services.incident_transition(incident=incident, status="resolved", actor=actor, at=closed_at)
    incident_services.incident_transition(incident=incident, status="closed", actor=actor, at=closed_at)


def file_first_report(incident: Incident, actor: Any, submitted_at: datetime.datetime) -> None:
    # NULLs first on every database (SQLite's order, which the expected snapshots were written with): the
    # final report, not yet dated, comes first, and filing it files the progress report.
    obligation = incident.obligations.order_by(F("due_at").asc(nulls_first=True), "pk").first()
    assert obligation is not None
    incident_services.obligation_file(obligation=obligation, actor=actor, submitted_at=submitted_at, reference="R-1")


def person(member_of: Callable[..., Membership], organisation: Organisation, role: str, username: str) -> Any:
    first, last = username.split("-", 1)
    return member_of(organisation, role, username=username, first_name=first.title(), last_name=last.title()).user


def build_epci(member_of: Callable[..., Membership]) -> dict[str, Organisation]:
    epci = OrganisationFactory(
        name="Communauté de communes du Lac",
        siren=siren_with_check_digit("24000001"),
        kind=Organisation.Kind.COMMUNAUTE_COMMUNES,
    )
    communes = {
        key: OrganisationFactory(name=name, siren=siren_with_check_digit(f"2100990{index}"), parent=epci)
        for index, (key, name) in enumerate(
            (
                ("upstream", "Commune d'Amont"),
                ("downstream", "Commune d'Aval"),
                ("town", "Commune de Bourg"),
                ("pass", "Commune du Col"),
            )
        )
    }
    admin = person(member_of, epci, Role.ADMIN, "alice-admin")
    for key, commune in communes.items():
        dependency_services.sharing_set(organisation=commune, share_with_parent=key != "pass", actor=admin)
    return {"epci": epci, **communes}
