from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from nis2 import sso, views
from nis2.forms import PasswordForgottenForm
from nis2.mfa import views as mfa_views

urlpatterns = [
    path("", views.home, name="home"),
    path("o/<int:organisation_id>/", views.organisation_home, name="organisation-home"),
    path("search/", views.search_page, name="search"),
    path("o/<int:organisation_id>/onboarding/", views.onboarding, name="onboarding"),
    path("o/<int:organisation_id>/export/", views.data_export_page, name="data-export"),
    path(
        "o/<int:organisation_id>/export/<int:export_id>/download/",
        views.data_export_download,
        name="data-export-download",
    ),
    path("", include("controls.urls")),
    path("", include("incidents.urls")),
    path("", include("dependencies.urls")),
    path("", include("reports.urls")),
    path("invitation/<str:token>/", views.invitation_accept_page, name="invitation-accept"),
    path("login/", sso.LoginPage.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/sso/", sso.SignInView.as_view(), name="sso-sign-in"),
    path("login/sso/callback/", sso.CallbackView.as_view(), name="sso-callback"),
    path("login/second-factor/", mfa_views.second_factor, name="second-factor"),
    path("account/security/", mfa_views.account_security, name="account-security"),
    path(
        "password/set/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            post_reset_login=False,
            template_name="registration/password_set_form.html",
            success_url=reverse_lazy("password-set-done"),
        ),
        name="password-set",
    ),
    path(
        "password/set/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_set_done.html"),
        name="password-set-done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordForgottenForm,
            template_name="registration/password_forgotten_form.html",
            email_template_name="registration/password_forgotten_email.txt",
            subject_template_name="registration/password_forgotten_subject.txt",
            extra_email_context={"site_url": settings.SITE_URL.rstrip("/")},
            success_url=reverse_lazy("password-reset-done"),
        ),
        name="password-reset",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_forgotten_done.html"),
        name="password-reset-done",
    ),
    path("favicon.ico", views.favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("nis2.api.urls")),
    path("api/v1/", include("controls.api.urls")),
    path("api/v1/", include("incidents.api.urls")),
    path("api/v1/", include("dependencies.api.urls")),
    path("api/v1/", include("reports.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (Content-Security-Policy).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
