"""The health URL answered before Django validates the Host header.

Container healthchecks and load balancers reach the application by container name, address or
``localhost``, which ALLOWED_HOSTS rightly does not list; the HTTPS redirect would also turn
their plain HTTP probe into a redirect. Placed first in MIDDLEWARE, this middleware hands the
health URL straight to HealthView, so the probe depends on neither. Every other URL goes on
through the whole stack and keeps the Host check.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from nis2.api.health import HealthView

HEALTH_PATH = "/api/v1/health/"  # reverse("api-health"); tests/test_deployment.py keeps them equal


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.health_view = HealthView.as_view()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            response = self.health_view(request)
            # A view's response is rendered by the handler after the middleware chain; this one
            # never reaches it.
            response.render()
            return response
        return self.get_response(request)
