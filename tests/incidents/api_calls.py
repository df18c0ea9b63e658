"""The incident API's addresses, and the datetimes it writes read back."""

import datetime
from typing import Any

from django.urls import reverse


def incident_url(incident: Any, action: str = "") -> str:
    if not action:
        return reverse("incident-detail", args=[incident.pk])
    return reverse(f"incident-{action}", args=[incident.pk])


def obligation_url(obligation: Any) -> str:
    return reverse("incident-obligation-detail", kwargs={"incident_pk": obligation.incident_id, "pk": obligation.pk})


def api_time(value: str | None) -> datetime.datetime | None:
    """A datetime as the API writes it, parsed back (it carries the Paris offset)."""
    return datetime.datetime.fromisoformat(value) if value else None
