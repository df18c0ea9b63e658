"""Demo incidents over the last three quarters: a significant ransomware case with every NIS 2 report
filed (one late), a phishing case with personal data (CNIL clock), a supplier outage, two incidents
closed with an undetermined cause after investigation, an open significant incident whose
notification is due within the day, a published flaw contained while its fix is awaited, and failures
that are not attacks (water in a server room, a storage failure)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from incidents import demo_scenarios as scenarios
from incidents.models import Filing, Incident, Obligation
from nis2.demo import DemoTenancy, spread_history

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def _date_history_in_the_past(incidents: Iterable[Incident], now: datetime.datetime) -> None:
    """Spread each incident's history (and its reports') over its own life, and record filings when made."""
    for incident in incidents:
        end = incident.closed_at or incident.resolved_at or min(now, incident.detected_at + DAY)
        if incident.root_cause_identified_at and incident.root_cause_identified_at > end:
            Incident.objects.filter(pk=incident.pk).update(root_cause_identified_at=end)
            Incident.history.filter(id=incident.pk, root_cause_identified_at__isnull=False).update(
                root_cause_identified_at=end
            )
        spread_history(list(Incident.history.filter(id=incident.pk)), incident.detected_at, end)
        for obligation in incident.obligations.all():
            spread_history(
                list(Obligation.history.filter(id=obligation.pk)), incident.aware_at or incident.detected_at, end
            )
        for filing in Filing.objects.filter(obligation__incident=incident):
            Filing.objects.filter(pk=filing.pk).update(recorded_at=filing.submitted_at)


@transaction.atomic
def populate(tenancy: DemoTenancy) -> list[str]:
    organisations = [tenancy.intercommunality, tenancy.commune_a, tenancy.commune_b]
    if Incident.objects.filter(organisation__in=organisations).exists():
        return []
    now = timezone.now()
    ca, rssi = tenancy.intercommunality, scenarios.person(tenancy, "rssi")
    scenarios.ransomware(ca, rssi, now)
    scenarios.phishing(ca, rssi, now)
    scenarios.supplier_outage(ca, rssi, now)
    scenarios.undetermined_in_communes(tenancy, now)
    scenarios.open_significant(ca, rssi, now)
    scenarios.everyday(ca, rssi, now)
    scenarios.vulnerability_contained(ca, rssi, now)
    scenarios.failures_resolved(ca, rssi, now)
    scenarios.drill(ca, rssi, now)
    _date_history_in_the_past(Incident.objects.filter(organisation__in=organisations), now)
    return [
        f"{Incident.objects.filter(organisation__in=organisations).count()} incidents "
        "over the last three quarters, one open with its notification due within the day"
    ]
