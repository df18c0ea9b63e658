from django.urls import include, path
from rest_framework.routers import SimpleRouter

from dependencies.api.views import (
    ComponentViewSet,
    DependencyIndexView,
    DomainViewSet,
    LegalEntityViewSet,
    ProductViewSet,
)

router = SimpleRouter()
router.register("domains", DomainViewSet, basename="domain")
router.register("legal-entities", LegalEntityViewSet, basename="legal-entity")
router.register("products", ProductViewSet, basename="product")
router.register("components", ComponentViewSet, basename="component")

urlpatterns = [
    path("", include(router.urls)),
    path("dependency-index/", DependencyIndexView.as_view(), name="dependency-index"),
]
