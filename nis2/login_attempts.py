"""Failed sign-ins counted by django-axes, for the sign-ins that come from the network."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class NetworkSignInAxesBackend(AxesStandaloneBackend):  # type: ignore[misc]  # django-axes ships no types
    """Django-axes' lockout check, for sign-ins that come with a request.

    Every sign-in reachable from the network (login page, API token endpoint, admin) passes its request to
    ``authenticate()``. A call without one comes from inside the process (a management command, the shell,
    the test client's ``login()``): it has no address to count, and django-axes would refuse it with an error.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None
