"""NIS 2 catalogues (frameworks, requirements, mappings), self-assessments and the action plan."""

from controls.models.actions import (
    ACTION_EDITABLE_FIELDS,
    ActionItem,
    ActionItemQuerySet,
    DutyCompletion,
    DutyReminder,
)
from controls.models.assessment import (
    ITEM_EDITABLE_FIELDS,
    Assessment,
    Evidence,
    RequirementAssessment,
    evidence_upload_path,
)
from controls.models.catalogue import (
    ART21_POINTS,
    LEVEL_VALIDATORS,
    ChecklistItem,
    EntityCategory,
    Framework,
    Requirement,
    RequirementMapping,
    RequirementQuerySet,
    Section,
    entity_category_of,
)

__all__ = [
    "ACTION_EDITABLE_FIELDS",
    "ART21_POINTS",
    "ITEM_EDITABLE_FIELDS",
    "LEVEL_VALIDATORS",
    "ActionItem",
    "ActionItemQuerySet",
    "Assessment",
    "ChecklistItem",
    "DutyCompletion",
    "DutyReminder",
    "EntityCategory",
    "Evidence",
    "Framework",
    "Requirement",
    "RequirementAssessment",
    "RequirementMapping",
    "RequirementQuerySet",
    "Section",
    "entity_category_of",
    "evidence_upload_path",
]
