"""An incident declared through the API or the services some hours ago, and its obligations by step:
shared by the obligation API tests."""

import datetime

from incidents.models import Incident, Obligation
from tests.incidents.factories import significant_incident

HOUR = datetime.timedelta(hours=1)


def _payload(organisation, now, **fields):
    return {
        "organisation": organisation.pk,
        "title": "Rançongiciel à la médiathèque",
        "category": "malicious-code",
        "subcategory": "infected-system",
        "severity": "critical",
        "detected_at": (now - 3 * HOUR).isoformat(),
        "aware_at": (now - 2 * HOUR).isoformat(),
        "significant": "yes",
        "significant_justification": "Prêts et inscriptions interrompus dans tout le réseau.",
        **fields,
    }


def _obligations(incident_id: int) -> dict[str, Obligation]:
    return {obligation.step: obligation for obligation in Obligation.objects.filter(incident_id=incident_id)}


def _incident(organisation, officer, now, *, aware_hours_ago: int, **fields) -> Incident:
    return significant_incident(
        organisation,
        actor=officer,
        detected_at=now - (aware_hours_ago + 1) * HOUR,
        aware_at=now - aware_hours_ago * HOUR,
        **fields,
    )
