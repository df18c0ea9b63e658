"""Rempart settings: every deployment-dependent value comes from the environment.

Embedded defaults give a self-contained local install (SQLite file, eager Celery,
console e-mail, local-memory cache). `.env.example` documents every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu.entity import Exchange, Queue

from nis2.database_config import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"
# Previous keys, still accepted for sessions and password-reset links while SECRET_KEY is rotated
# (docs/operations.md); new signatures always use SECRET_KEY.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "nis2",
    "controls",
    "dependencies",
    "incidents",
    "reports",
]

MIDDLEWARE = [
    "nis2.health.HealthCheckMiddleware",  # first: the health URL answers whatever the Host header
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "nis2.api.null_characters.RefuseNullCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "nis2.mfa.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "nis2.private_responses.NoStoreWhenSignedInMiddleware",
    # Last, as django-axes asks: turns a sign-in refused during a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nis2.urls"
WSGI_APPLICATION = "nis2.wsgi.application"
ASGI_APPLICATION = "nis2.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nis2.web.organisation_navigation",
            ],
        },
    },
]

# PostgreSQL from separate variables when DATABASE_HOST or DATABASE_NAME is set (any password
# works), otherwise DATABASE_URL, otherwise an SQLite file.
DATABASES = {
    "default": database_settings(
        url=env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        host=env.str("DATABASE_HOST", default=""),
        port=env.str("DATABASE_PORT", default="5432"),
        name=env.str("DATABASE_NAME", default=""),
        user=env.str("DATABASE_USER", default=""),
        # Read as it is: django-environ would take a value starting with "$" for the name of another variable.
        password=os.environ.get("DATABASE_PASSWORD", ""),
        connection_max_age=env.int("DATABASE_CONN_MAX_AGE", default=0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes counts failed sign-ins first; ModelBackend then checks the password.
AUTHENTICATION_BACKENDS = [
    "nis2.login_attempts.NetworkSignInAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
    "nis2.sso.PublicAgentBackend",  # answers only when OIDC_RP_CLIENT_ID is set
]
# Brute-force protection (django-axes), on every sign-in that goes through authenticate(): the login page,
# the API token endpoint and the admin. Each failed attempt is recorded (AccessAttempt, shown in the admin).
# Rempart's design choice: a lockout applies to one username from one address. Agents of a town hall
# usually share one public address, so a lockout by address alone would shut out the whole town hall;
# a lockout by username alone would let anyone shut the security officer out during an incident.
# The address is REMOTE_ADDR: behind the Caddy proxy that is the proxy's address, so the lockout then
# acts per username (X-Forwarded-For is not read: a client reaching Django directly could forge it).
# An attempt during a lockout, even with the right password, starts the 15 minutes again (django-axes'
# default); a success before the limit clears the count. `manage.py axes_reset_username` lifts a lockout.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# Reverse proxies in front of the application (1 behind docker-compose.yml's Caddy): sign-in attempts are counted
# per client address read from X-Forwarded-For (nis2/client_address.py), not per proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "nis2.client_address.client_address"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A signed-in session lasts a working day (Django's default is two weeks), like an API token.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=10 * 60 * 60)
# Single sign-on (OpenID Connect, e.g. ProConnect): off unless OIDC_RP_CLIENT_ID is set. The provider's endpoints
# are in its discovery document (``/.well-known/openid-configuration``). See docs/operations.md.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email given_name usual_name siret")
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="ProConnect")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
# Ask for the authentication methods in the ID token (ProConnect's documented way to receive ``amr``).
OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"claims": '{"id_token": {"amr": {"essential": true}}}'}
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-callback"
LOGIN_REDIRECT_URL_FAILURE = "/login/?sso=failed"
# Second factor (django-otp): the name authenticator applications show beside the account.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Rempart")

# Internationalisation: French first, English second; times shown in Europe/Paris, stored in UTC.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False  # ids in HTML must stay plain; amounts use floatformat "g"

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Rempart <rempart@localhost>")

# Security: strict unless explicitly relaxed (local runs set DJANGO_DEBUG=1).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp): every script comes from the app itself, never inline. Inline styles
# stay allowed: htmx and the local Swagger UI set style attributes; styles cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "nis2.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "nis2.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "nis2.api.schema.ErrorDocumentingAutoSchema",
    "EXCEPTION_HANDLER": "nis2.api.errors.exception_handler",
    # ``?format=`` belongs to the endpoints (component export: csv or xlsx), not to content negotiation.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}

# API tokens (django-rest-knox): stored as hashes, a new one at each sign-in, revoked by
# POST /api/v1/auth/logout/. Design choice: they last a working day (10 hours) from sign-in and are not
# extended by use, so a leaked token is worth at most a day; scripts sign in again.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=10),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Rempart API",
    "DESCRIPTION": "NIS 2 maturity, dependency and incident tracker for French local authorities.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "VerdictEnum": "incidents.models.Verdict",
        "SeverityEnum": "incidents.models.Incident.Severity",
        "IncidentStatusEnum": "incidents.models.Incident.Status",
        "AssessmentStatusEnum": "controls.models.Assessment.Status",
        "ActionStatusEnum": "controls.models.ActionItem.Status",
        "ReportStatusEnum": "reports.models.Report.Status",
        "StrategyStatusEnum": "dependencies.models.Component.StrategyStatus",
    },
}

# Celery: with no broker configured, tasks run eagerly in the calling process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged job to another worker after this many seconds: longer than any task's hard
# time limit (reports: 300 s), so only a job whose worker died is delivered again.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 900}
CELERY_TIMEZONE = "Europe/Paris"
# One queue per kind of work, so that a storm of reports (1,600 on the first day of a quarter) never
# delays a deadline reminder. A worker started without -Q consumes them all (the embedded default, the
# test suite); production runs one worker per queue (docker-compose.yml, docs/operations.md).
CELERY_TASK_DEFAULT_QUEUE = "default"
TASK_QUEUE_NAMES = ("default", "reminders", "reports", "exports")
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name, type="direct"), routing_key=name)  # type: ignore[no-untyped-call]  # kombu ships no types
    for name in TASK_QUEUE_NAMES
]
CELERY_TASK_ROUTES = {
    "incidents.send_deadline_reminders": {"queue": "reminders"},
    "controls.send_duty_reminders": {"queue": "reminders"},
    "reports.generate_report": {"queue": "reports"},
    "reports.issue_quarterly_reports": {"queue": "reports"},
    "reports.sweep_reports": {"queue": "reports"},
    "nis2.write_data_export": {"queue": "exports"},
}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "incident-deadline-reminders": {"task": "incidents.send_deadline_reminders", "schedule": 300.0},
    # Reports the queue lost (broker down when requested, worker killed): queued again, or failed with a reason.
    "report-sweeper": {"task": "reports.sweep_reports", "schedule": 300.0},
    # Uploaded files no row refers to any more (history included), daily at 04:30 (Paris).
    "orphan-file-sweeper": {"task": "nis2.sweep_orphan_files", "schedule": crontab(minute=30, hour=4)},
    # Recurring ReCyF duties coming due or overdue (controls/reminders.py), daily at 07:00 (Paris).
    "duty-reminders": {"task": "controls.send_duty_reminders", "schedule": crontab(minute=0, hour=7)},
    # 06:00 (Paris) on the first day of each quarter: the reports of the quarter just ended.
    "quarterly-reports": {
        "task": "reports.issue_quarterly_reports",
        "schedule": crontab(minute=0, hour=6, day_of_month=1, month_of_year="1,4,7,10"),
    },
}

# Logs go to stdout, as text or one JSON object per line (nis2/logging.py) for log collectors.
LOG_FORMAT = env.str("LOG_FORMAT", default="text", choices=["text", "json"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "{asctime} {levelname} {name} {message}", "style": "{"},
        "json": {"()": "nis2.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # gunicorn's loggers do not propagate to the root: in each gunicorn worker they get the same
        # handler (their level stays gunicorn's --log-level).
        "gunicorn.error": {"handlers": ["console"], "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "propagate": False},
        # django-axes: failed sign-ins and lockouts are warnings; its start-up banner and details are not kept.
        "axes": {"level": "WARNING"},
    },
}
# The worker keeps the root handler above instead of installing its own text formatter.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
