from django.contrib.auth.views import LoginView, LogoutView
from django.urls import include, path, re_path

from tests.oidc_provider.views import ProConnectDiscoveryView

urlpatterns = [
    # Matched before django-oauth-toolkit's own route of the same path (whose name still builds the issuer).
    re_path(r"^o/\.well-known/openid-configuration/?$", ProConnectDiscoveryView.as_view()),
    # authorize/, token/, userinfo/, logout/ (end session), .well-known/jwks.json...
    path("o/", include("oauth2_provider.urls")),
    path("accounts/login/", LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
]
