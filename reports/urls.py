from django.urls import path

from reports import views

urlpatterns = [
    path("o/<int:organisation_id>/reports/", views.report_list, name="report-list-page"),
    path("o/<int:organisation_id>/reports/<int:report_id>/status/", views.report_status, name="report-status"),
    path("o/<int:organisation_id>/governance/", views.governance, name="governance-page"),
    path("o/<int:organisation_id>/governance/approvals/", views.approval_add, name="governance-approval-add"),
    path("o/<int:organisation_id>/governance/trainings/", views.training_add, name="governance-training-add"),
    path(
        "o/<int:organisation_id>/governance/trainings/<int:training_id>/delete/",
        views.training_delete,
        name="governance-training-delete",
    ),
]
