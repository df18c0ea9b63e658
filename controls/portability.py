"""The self-assessment in an organisation's archive: assessments, ratings, evidence, action plan."""

from controls.models import (
    ActionItem,
    Assessment,
    ChecklistItem,
    DutyCompletion,
    DutyReminder,
    Evidence,
    Framework,
    Requirement,
    RequirementAssessment,
    RequirementMapping,
    Section,
)
from nis2.archive.declarations import Owned, Portability, Reference

PORTABILITY = Portability(
    owned=[
        Owned(Assessment, parent="organisation"),
        Owned(RequirementAssessment, parent="assessment"),
        Owned(Evidence, parent="item"),
        Owned(ActionItem, parent="organisation"),
        Owned(DutyCompletion, parent="organisation"),
        # Which duty reminders were already e-mailed: without them another instance would send them again.
        Owned(DutyReminder, parent="organisation"),
    ],
    # Catalogues ship with Rempart (controls/catalogues/): an archive names them, the other instance loads them.
    references=[
        Reference(Framework, key=("code",)),
        Reference(Section, key=("framework__code", "ref")),
        Reference(Requirement, key=("framework__code", "ref")),
        Reference(ChecklistItem, key=("requirement__framework__code", "requirement__ref", "ref")),
        Reference(
            RequirementMapping, key=("source__framework__code", "source__ref", "target__framework__code", "target__ref")
        ),
    ],
)
