from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from nis2 import views

urlpatterns = [
    path("", views.home, name="home"),
    path("o/<int:organisation_id>/", views.organisation_home, name="organisation-home"),
    path("search/", views.search_page, name="search"),
    path("o/<int:organisation_id>/onboarding/", views.onboarding, name="onboarding"),
    path("", include("controls.urls")),
    path("", include("incidents.urls")),
    path("", include("dependencies.urls")),
    path("", include("reports.urls")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("nis2.api.urls")),
    path("api/v1/", include("controls.api.urls")),
    path("api/v1/", include("incidents.api.urls")),
    path("api/v1/", include("dependencies.api.urls")),
    path("api/v1/", include("reports.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
