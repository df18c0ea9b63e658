from django.urls import include, path
from rest_framework.routers import SimpleRouter

from incidents.api.views import (
    AttachmentViewSet,
    CalendarFeedViewSet,
    CorrectiveActionViewSet,
    IncidentViewSet,
    ObligationViewSet,
)

router = SimpleRouter()
router.register("incidents", IncidentViewSet, basename="incident")
router.register("calendar-feeds", CalendarFeedViewSet, basename="calendar-feed")

nested = SimpleRouter()
nested.register("obligations", ObligationViewSet, basename="incident-obligation")
nested.register("corrective-actions", CorrectiveActionViewSet, basename="incident-corrective-action")
nested.register("attachments", AttachmentViewSet, basename="incident-attachment")

urlpatterns = [
    path("", include(router.urls)),
    path("incidents/<int:incident_pk>/", include(nested.urls)),
]
