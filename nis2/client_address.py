"""The address a request comes from, as sign-in throttling counts it (django-axes ``AXES_CLIENT_IP_CALLABLE``).

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, ``REMOTE_ADDR`` is the nearest proxy's address: every person would
share it, so one attacker could lock anyone out and no address would ever be refused. Each proxy appends the address
it received the request from to ``X-Forwarded-For``, so the client is the n-th entry from the right; entries further
left were written by the client itself and are ignored (Caddy, the proxy of docker-compose.yml, even discards them).
"""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [entry.strip() for entry in header.split(",") if entry.strip()]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote
