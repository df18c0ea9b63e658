"""The default database connection, from separate variables or from one URL.

Separate variables carry any password as it is. In a URL, a password containing ``@``, ``/``
or ``:`` must be percent-encoded, which docker-compose.yml cannot do when it builds the URL
from POSTGRES_PASSWORD; so compose passes DATABASE_HOST, DATABASE_NAME, ... and a local
install may keep DATABASE_URL.
"""

from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured


def database_settings(
    *,
    url: str,
    host: str,
    port: str,
    name: str,
    user: str,
    password: str,
    connection_max_age: int,
) -> dict[str, Any]:
    """``DATABASES["default"]``: PostgreSQL from the separate variables when a host or a name is
    given, otherwise the database the URL describes."""
    if host or name:
        if not name:
            raise ImproperlyConfigured("DATABASE_NAME must be set with DATABASE_HOST.")
        config: dict[str, Any] = {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": host,
            "PORT": port,
            "NAME": name,
            "USER": user,
            "PASSWORD": password,
        }
    else:
        config = dict(environ.Env.db_url_config(url))
    config["ATOMIC_REQUESTS"] = False
    config["CONN_MAX_AGE"] = connection_max_age
    return config
