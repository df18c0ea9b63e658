"""The governance API's addresses and request bodies, shared by the approval and training API tests."""

from typing import Any

from django.urls import reverse

APPROVALS = reverse("approval-list")
TRAININGS = reverse("training-list")


def approval_url(approval_id: int, action: str = "detail") -> str:
    return reverse(f"approval-{action}", args=[approval_id])


def training_url(training_id: int, action: str = "detail") -> str:
    return reverse(f"training-{action}", args=[training_id])


def approval_body(organisation, **fields: Any) -> dict[str, Any]:
    return {
        "organisation": organisation.pk,
        "subject": "measures",
        "act_type": "deliberation",
        "act_reference": "2026-045",
        "decided_on": "2026-10-12",
        "body": "municipal_council",
        **fields,
    }


def training_body(organisation, **fields: Any) -> dict[str, Any]:
    return {
        "organisation": organisation.pk,
        "course": "Cybersécurité pour les élus",
        "provider": "CNFPT",
        "completed_on": "2026-03-12",
        "hours": "3.5",
        **fields,
    }


def downloaded(response: Any) -> bytes:
    return b"".join(response.streaming_content)
