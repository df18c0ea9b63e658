from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import SimpleRouter

from nis2.api.deletions import DeletedRecordsView
from nis2.api.health import HealthView
from nis2.api.views import MembershipViewSet, OrganisationViewSet

router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("memberships", MembershipViewSet, basename="membership")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("health/", HealthView.as_view(), name="api-health"),
    path("deleted-records/", DeletedRecordsView.as_view(), name="deleted-records"),
    path("", include(router.urls)),
]
