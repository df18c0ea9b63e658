"""The OpenAPI schema documents the errors every operation can answer, in the shape nis2/api/errors.py gives."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorItemSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(
        allow_null=True, help_text="Dotted path of the field (rows.3.domain); null for the request as a whole."
    )
    code = serializers.CharField()
    message = serializers.CharField(help_text="In the request's language.")


class ErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    # A field named like Serializer.errors: declared fields are collected apart from attributes.
    errors = ErrorItemSerializer(many=True)  # type: ignore[assignment]


ERROR_RESPONSES = {
    "400": "Invalid input: each error names its field (body or query parameter).",
    "401": "No credentials, or credentials not valid.",
    "403": "The user's role does not allow this.",
    "404": "No such object among those the user may read (another organisation's included), or no such page.",
}
AUTHENTICATION_ERRORS = {"401", "403"}


class ErrorDocumentingAutoSchema(AutoSchema):
    """Adds the error responses to every operation, unless the view documents its own for that status:
    400 and 404 everywhere, 401 and 403 where signing in is required."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        open_to_all = any(isinstance(permission, AllowAny) for permission in self.view.get_permissions())
        for status_code, description in ERROR_RESPONSES.items():
            if status_code in responses or (open_to_all and status_code in AUTHENTICATION_ERRORS):
                continue
            responses[status_code] = self._get_response_for_code(  # type: ignore[no-untyped-call]  # drf-spectacular's private helper is untyped
                OpenApiResponse(response=ErrorSerializer, description=description), status_code, direction=direction
            )
        return responses
