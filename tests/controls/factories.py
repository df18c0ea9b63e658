import datetime

import factory

from controls.models import (
    ActionItem,
    Assessment,
    EntityCategory,
    Evidence,
    Framework,
    Requirement,
    RequirementAssessment,
    Section,
)
from tests.nis2.factories import OrganisationFactory


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    code = factory.Sequence(lambda n: f"framework-{n}")
    version = "1.0"
    name_fr = factory.Sequence(lambda n: f"Référentiel {n}")
    name_en = factory.Sequence(lambda n: f"Framework {n}")
    publisher = "ANSSI"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    framework = factory.SubFactory(FrameworkFactory)
    ref = factory.Sequence(lambda n: str(n + 1))
    title_fr = factory.Sequence(lambda n: f"Objectif {n}")
    title_en = factory.Sequence(lambda n: f"Objective {n}")
    position = factory.Sequence(lambda n: n)


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    section = factory.SubFactory(SectionFactory)
    framework = factory.SelfAttribute("section.framework")
    ref = factory.Sequence(lambda n: f"{n // 10 + 1}.{n % 10 + 1}")
    title_fr = factory.Sequence(lambda n: f"Mesure {n}")
    title_en = factory.Sequence(lambda n: f"Measure {n}")
    statement_fr = "L'entité fait ce qu'il faut."
    statement_en = "The entity does what is needed."
    art21_points = "a"
    position = factory.Sequence(lambda n: n)


def framework_with_requirements(count: int, *, essential_only_every: int = 2, sections: int = 1) -> Framework:
    """A framework with ``count`` requirements; every ``essential_only_every``-th applies to essential
    entities only. Bulk-created, for query-count tests with many rows."""
    framework = FrameworkFactory()
    section_objects = [
        SectionFactory(framework=framework, ref=str(index + 1), position=index) for index in range(sections)
    ]
    Requirement.objects.bulk_create(
        Requirement(
            framework=framework,
            section=section_objects[index % sections],
            ref=f"R{index + 1}",
            title_fr=f"Mesure {index + 1}",
            title_en=f"Measure {index + 1}",
            statement_fr="Énoncé",
            statement_en="Statement",
            applies_to_important=(index + 1) % essential_only_every != 0,
            applies_to_essential=True,
            art21_points="abcdefghij"[index % 10],
            position=index,
        )
        for index in range(count)
    )
    return framework


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    organisation = factory.SubFactory(OrganisationFactory)
    framework = factory.SubFactory(FrameworkFactory)
    label = factory.Sequence(lambda n: f"2026-T{n % 4 + 1}-{n}")
    period_start = datetime.date(2026, 10, 1)
    period_end = datetime.date(2026, 12, 31)
    entity_category = EntityCategory.ESSENTIAL


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequirementAssessment

    assessment = factory.SubFactory(AssessmentFactory)
    requirement = factory.SubFactory(
        RequirementFactory,
        framework=factory.SelfAttribute("..assessment.framework"),
        section__framework=factory.SelfAttribute("...assessment.framework"),
    )


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    item = factory.SubFactory(ItemFactory)
    title = "Politique de sécurité signée"
    url = "https://intranet.example.org/pssi.pdf"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    due_date = datetime.date(2026, 12, 31)


class FileEvidenceFactory(EvidenceFactory):
    url = ""
    file = factory.django.FileField(filename="pssi.pdf", data=b"%PDF-1.4\n% signed security policy\n")
    content_type = "application/pdf"
