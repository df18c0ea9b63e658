"""Web pages of the self-assessment (thin: selectors read, services write); the action plan's and the duties'
are ``controls.action_views`` and ``controls.duty_views``."""

from controls.views.assessments import (
    LINK_STRENGTHS,
    assessment_copy,
    assessment_coverage,
    assessment_index,
    assessment_scores,
    assessment_validate,
)
from controls.views.grid import GridGroup, SectionProgress, assessment_grid
from controls.views.items import (
    evidence_add,
    item_confirm,
    item_detail,
    section_not_applicable,
    section_target_level,
)

__all__ = [
    "LINK_STRENGTHS",
    "GridGroup",
    "SectionProgress",
    "assessment_copy",
    "assessment_coverage",
    "assessment_grid",
    "assessment_index",
    "assessment_scores",
    "assessment_validate",
    "evidence_add",
    "item_confirm",
    "item_detail",
    "section_not_applicable",
    "section_target_level",
]
