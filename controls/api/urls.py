from django.urls import include, path
from rest_framework.routers import SimpleRouter

from controls.api.views import (
    ActionViewSet,
    AssessmentViewSet,
    DutyCalendarView,
    DutyCompletionViewSet,
    EvidenceViewSet,
    FrameworkViewSet,
    ItemViewSet,
)

router = SimpleRouter()
router.register("frameworks", FrameworkViewSet, basename="framework")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("actions", ActionViewSet, basename="action")
router.register("duty-completions", DutyCompletionViewSet, basename="duty-completion")

items = SimpleRouter()
items.register("items", ItemViewSet, basename="assessment-item")

urlpatterns = [
    path("", include(router.urls)),
    path("assessments/<int:assessment_pk>/", include(items.urls)),
    path("duties/", DutyCalendarView.as_view(), name="duty-calendar-api"),
]
