from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "tests.oidc_provider.claims"
    label = "oidc_claims"
    verbose_name = "ProConnect claims"
