from django.urls import path

from reports import views

urlpatterns = [
    path("o/<int:organisation_id>/reports/", views.report_list, name="report-list-page"),
    path("o/<int:organisation_id>/reports/<int:report_id>/status/", views.report_status, name="report-status"),
]
