"""One JSON error shape for the whole API.

``{"detail": "<summary>", "errors": [{"field": "siren", "code": "invalid_siren", "message": "…"}]}``
Nested serializer errors get dotted paths (``rows.3.domain``); ``field`` is null for errors
that concern the request as a whole. Messages follow the request's language.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD_KEYS = {"non_field_errors", "detail"}


def flatten_errors(detail: Any, path: str = "") -> list[dict[str, Any]]:
    if isinstance(detail, dict):
        flattened: list[dict[str, Any]] = []
        for key, value in detail.items():
            key_path = path if key in NON_FIELD_KEYS else (f"{path}.{key}" if path else str(key))
            flattened.extend(flatten_errors(value, key_path))
        return flattened
    if isinstance(detail, list):
        flattened = []
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                flattened.extend(flatten_errors(value, f"{path}.{index}" if path else str(index)))
            else:
                flattened.extend(flatten_errors(value, path))
        return flattened
    # A Django ValidationError raised without a code arrives with ``code=None``: the shape promises text.
    return [{"field": path or None, "code": getattr(detail, "code", None) or "error", "message": str(detail)}]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):  # raised by services' full_clean()
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        summary = _("Invalid input.")
    else:
        detail = getattr(exc, "detail", str(exc))
        errors = flatten_errors(detail) if isinstance(detail, (dict, list)) else []
        summary = str(detail) if not isinstance(detail, (dict, list)) else _("Request refused.")
        if not errors:
            errors = [{"field": None, "code": getattr(detail, "code", "error"), "message": summary}]
    response.data = {"detail": summary, "errors": errors}
    if response.status_code == status.HTTP_400_BAD_REQUEST and not errors:
        response.data["errors"] = [{"field": None, "code": "invalid", "message": summary}]
    return response
