from django.urls import path

from controls import action_views, views

urlpatterns = [
    path("o/<int:organisation_id>/assessments/", views.assessment_index, name="assessment-index"),
    path("o/<int:organisation_id>/assessments/<int:assessment_id>/", views.assessment_grid, name="assessment-grid"),
    path(
        "o/<int:organisation_id>/assessments/<int:assessment_id>/scores/",
        views.assessment_scores,
        name="assessment-scores",
    ),
    path(
        "o/<int:organisation_id>/assessments/<int:assessment_id>/coverage/",
        views.assessment_coverage,
        name="assessment-coverage",
    ),
    path(
        "o/<int:organisation_id>/assessments/<int:assessment_id>/validate/",
        views.assessment_validate,
        name="assessment-validate",
    ),
    path(
        "o/<int:organisation_id>/assessments/<int:assessment_id>/copy/", views.assessment_copy, name="assessment-copy"
    ),
    path(
        "o/<int:organisation_id>/assessments/<int:assessment_id>/items/<int:item_id>/",
        views.item_detail,
        name="item-detail",
    ),
    path(
        "o/<int:organisation_id>/assessments/<int:assessment_id>/items/<int:item_id>/evidence/",
        views.evidence_add,
        name="item-evidence-add",
    ),
    path(
        "o/<int:organisation_id>/assessments/<int:assessment_id>/items/<int:item_id>/action/",
        action_views.action_from_gap,
        name="item-action",
    ),
    path("o/<int:organisation_id>/actions/", action_views.action_plan, name="action-plan"),
    path("o/<int:organisation_id>/actions/<int:action_id>/status/", action_views.action_status, name="action-status"),
]
