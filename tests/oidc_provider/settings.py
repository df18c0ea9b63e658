"""Settings of the test OpenID Connect provider (ProConnect's behaviour, django-oauth-toolkit's machinery).

Environment: ``OIDC_PROVIDER_DB`` is the SQLite file, ``OIDC_PROVIDER_KEY_FILE`` the RSA private key (PEM) signing
ID tokens and userinfo answers; without it a key is generated for this process only.
"""

import os
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

SECRET_KEY = "oidc-provider-tests-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = True
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oauth2_provider",
    "tests.oidc_provider.claims",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "tests.oidc_provider.urls"
WSGI_APPLICATION = "tests.oidc_provider.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("OIDC_PROVIDER_DB", str(Path(tempfile.gettempdir()) / "oidc-provider.sqlite3")),
        # The server's threads and the setup commands (other processes) share the file.
        "OPTIONS": {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL;"},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A test provider: fast hashing of passwords and of the (hashed) client secrets.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/accounts/login/"


def _private_key_pem() -> str:
    key_file = os.environ.get("OIDC_PROVIDER_KEY_FILE")
    if key_file:
        return Path(key_file).read_text()
    from jwcrypto import jwk

    return jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None).decode()


# ProConnect's scopes: one per claim (https://partenaires.proconnect.gouv.fr/docs/fournisseur-service).
OIDC_SCOPES = {
    "openid": "Identifiant de l'agent (sub)",
    "email": "Adresse électronique professionnelle",
    "given_name": "Prénoms",
    "usual_name": "Nom d'usage",
    "siret": "SIRET de l'établissement",
}

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _private_key_pem(),
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    # ProConnect ends the session and redirects at once when the id_token_hint is the signed-in agent's.
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "PKCE_REQUIRED": False,
    "SCOPES": OIDC_SCOPES,
    "DEFAULT_SCOPES": ["openid"],
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validator.ProConnectValidator",
    # ProConnect's lifetimes: a code lives 30 seconds, an access token and an ID token 60.
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 30,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 60,
    "ID_TOKEN_EXPIRE_SECONDS": 60,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "oauth2_provider": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "oauthlib": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
