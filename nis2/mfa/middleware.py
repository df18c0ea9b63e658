"""The gate: a session that still owes its second factor reaches only the pages that let it give one."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from nis2.mfa.policy import Owed, owed

# Pages open to a session that owes a second factor, by what it owes. Someone who knows only the password
# cannot reach the security page of an account that has an authenticator (they could remove it).
OPEN_WHILE_OWED: dict[Owed, frozenset[str]] = {
    Owed.VERIFY: frozenset({"second-factor", "logout", "set_language"}),
    Owed.ENROL: frozenset({"account-security", "logout", "set_language"}),
}
DESTINATION = {Owed.VERIFY: "second-factor", Owed.ENROL: "account-security"}


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        session = getattr(request, "session", None)
        due = owed(session) if session is not None else None
        match = request.resolver_match
        if due is None or (match is not None and match.url_name in OPEN_WHILE_OWED[due]):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Confirm your sign-in with your second factor in the web interface first.")},
                status=403,
            )
        return HttpResponseRedirect(f"{reverse(DESTINATION[due])}?{urlencode({'next': request.get_full_path()})}")
