"""Writes of the self-assessment and the action plan: every one goes through ``nis2.history``."""

from controls.models import ITEM_EDITABLE_FIELDS, entity_category_of
from controls.services.actions import (
    ACTION_FIELDS,
    GAP_ACTION_DELAY_MONTHS,
    action_create,
    action_create_from_gap,
    action_delete,
    action_update,
    duty_record,
)
from controls.services.assessments import (
    StaleVersionError,
    assessment_copy,
    assessment_create,
    assessment_delete,
    assessment_validate,
    evidence_add,
    evidence_delete,
    item_update,
    items_not_applicable_set,
    items_target_level_set,
)
from nis2.history import UNCHANGED

__all__ = [
    "ACTION_FIELDS",
    "GAP_ACTION_DELAY_MONTHS",
    "ITEM_EDITABLE_FIELDS",
    "UNCHANGED",
    "StaleVersionError",
    "action_create",
    "action_create_from_gap",
    "action_delete",
    "action_update",
    "assessment_copy",
    "assessment_create",
    "assessment_delete",
    "assessment_validate",
    "duty_record",
    "entity_category_of",
    "evidence_add",
    "evidence_delete",
    "item_update",
    "items_not_applicable_set",
    "items_target_level_set",
]
