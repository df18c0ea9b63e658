from django.urls import include, path
from rest_framework.routers import SimpleRouter

from reports.api.views import ApprovalViewSet, ReportViewSet, TrainingViewSet

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="report")
router.register("approvals", ApprovalViewSet, basename="approval")
router.register("trainings", TrainingViewSet, basename="training")

urlpatterns = [path("", include(router.urls))]
