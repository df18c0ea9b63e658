"""NUL characters refused at the door of every request, API and pages alike.

No text a person types contains U+0000, and PostgreSQL refuses it in any string: left through, it would
reach a query (a search, a filter, a calendar address) and end as a server error. Request bodies are
checked by the fields that read them (DRF's ``CharField`` and Django's forms refuse NUL characters).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"
API_PREFIX = "/api/"


class RefuseNullCharactersMiddleware:
    """A NUL character in the path or in a query parameter gets a 400: on the API in its JSON error shape
    (nis2/api/errors.py) naming the parameter, on a page as plain text."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path:
            return self.refuse(request, field=None)
        for name, values in request.GET.lists():
            if NUL in name or any(NUL in value for value in values):
                return self.refuse(request, field=name.replace(NUL, "\\x00"))
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, *, field: str | None) -> HttpResponse:
        message = _("Null characters are not allowed.")
        if not request.path.startswith(API_PREFIX):
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return JsonResponse(
            {
                "detail": _("Invalid input."),
                "errors": [{"field": field, "code": "null_characters_not_allowed", "message": message}],
            },
            status=400,
        )
