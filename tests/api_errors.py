"""What an API error response names: every refusal answers ``{"detail": ..., "errors": [{"field", "code",
"message"}, ...]}`` (nis2/api/errors.py)."""

from typing import Any


def error_fields(response: Any) -> list[str | None]:
    return [error["field"] for error in response.json()["errors"]]


def error_messages(response: Any) -> list[str]:
    return [error["message"] for error in response.json()["errors"]]
