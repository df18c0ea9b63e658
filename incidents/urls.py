from django.urls import path

from incidents import views

prefix = "o/<int:organisation_id>/incidents/"
item = prefix + "<int:incident_id>/"

urlpatterns = [
    path(prefix, views.register, name="incident-register"),
    path(prefix + "new/", views.declare, name="incident-declare"),
    path(prefix + "calendar-feed/", views.calendar_feed, name="incident-calendar-feed"),
    path(item, views.detail, name="incident-detail-page"),
    path(item + "edit/", views.edit, name="incident-edit"),
    path(item + "transition/", views.transition, name="incident-transition"),
    path(item + "root-cause/", views.record_root_cause, name="incident-root-cause"),
    path(item + "timeline/", views.add_timeline_entry, name="incident-timeline-add"),
    path(item + "intermediate/", views.request_intermediate, name="incident-intermediate"),
    path(item + "corrective-actions/", views.add_corrective_action, name="incident-corrective-add"),
    path(item + "attachments/", views.add_attachment, name="incident-attachment-add"),
    path(item + "obligations/<int:obligation_id>/file/", views.file_obligation, name="obligation-file"),
    path(
        item + "obligations/<int:obligation_id>/not-required/",
        views.obligation_not_required,
        name="obligation-not-required",
    ),
    path("calendar/<str:token>.ics", views.calendar, name="incident-calendar"),
]
