from django.urls import path, re_path

from controls import action_views, duty_views, views

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
        "o/<int:organisation_id>/assessments/<int:assessment_id>/items/<int:item_id>/confirm/",
        views.item_confirm,
        name="item-confirm",
    ),
    path(
        "o/<int:organisation_id>/assessments/<int:assessment_id>/sections/<int:section_id>/target/",
        views.section_target_level,
        name="assessment-section-target",
    ),
    path(
        "o/<int:organisation_id>/assessments/<int:assessment_id>/sections/<int:section_id>/not-applicable/",
        views.section_not_applicable,
        name="assessment-section-not-applicable",
    ),
    path(
        "o/<int:organisation_id>/assessments/<int:assessment_id>/items/<int:item_id>/action/",
        action_views.action_from_gap,
        name="item-action",
    ),
    path("o/<int:organisation_id>/actions/", action_views.action_plan, name="action-plan"),
    path("o/<int:organisation_id>/actions/<int:action_id>/", action_views.action_detail, name="action-detail"),
    re_path(
        r"^o/(?P<organisation_id>[0-9]+)/actions/export\.(?P<file_format>csv|xlsx)$",
        action_views.action_export_file,
        name="action-export",
    ),
    path("o/<int:organisation_id>/actions/<int:action_id>/status/", action_views.action_status, name="action-status"),
    path("o/<int:organisation_id>/calendar/duties/", duty_views.duty_calendar, name="duty-calendar"),
]
