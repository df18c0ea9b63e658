from django.urls import include, path
from rest_framework.routers import SimpleRouter

from nis2.api.auth import TokenLoginView, TokenLogoutView
from nis2.api.deletions import DeletedRecordsView
from nis2.api.health import HealthView
from nis2.api.views import InvitationViewSet, MembershipViewSet, OrganisationViewSet

router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("invitations", InvitationViewSet, basename="invitation")

urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="api-token"),
    path("auth/logout/", TokenLogoutView.as_view(), name="api-logout"),
    path("health/", HealthView.as_view(), name="api-health"),
    path("deleted-records/", DeletedRecordsView.as_view(), name="deleted-records"),
    path("", include(router.urls)),
]
