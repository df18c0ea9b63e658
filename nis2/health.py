"""The health URL answered before Django validates the Host header.

Container healthchecks and load balancers reach the application by container name, address or
``localhost``, which ALLOWED_HOSTS rightly does not list; the HTTPS redirect would also turn
their plain HTTP probe into a redirect. Placed first in MIDDLEWARE, this middleware answers the
health URL straight from the health check (``nis2.health_checks``), so the probe depends on neither.
Every other URL goes on through the whole stack and keeps the Host check.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from nis2.health_checks import health_check

HEALTH_PATH = "/api/v1/health/"  # reverse("api-health"); tests/test_deployment.py keeps them equal


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            body, status = health_check(timezone.now())
            return JsonResponse(body, status=status)
        return self.get_response(request)
