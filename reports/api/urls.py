from django.urls import include, path
from rest_framework.routers import SimpleRouter

from reports.api.views import ReportViewSet

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="report")

urlpatterns = [path("", include(router.urls))]
