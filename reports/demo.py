"""Demo reports: the intercommunality's last two quarterly reports, already issued."""

from __future__ import annotations

from django.utils import timezone

from nis2.demo import DemoTenancy
from nis2.periods import quarter_of
from reports import services
from reports.models import Report


def populate(tenancy: DemoTenancy) -> list[str]:
    last = quarter_of(timezone.localdate()).previous()
    lines = []
    for quarter in (last.previous(), last):
        if Report.objects.filter(organisation=tenancy.intercommunality, period=quarter.code).exists():
            continue
        report = services.report_request(
            organisation=tenancy.intercommunality,
            period=quarter.code,
            language="fr",
            actor=tenancy.users["rssi"],
            enqueue=False,
        )
        services.report_generate(report_id=report.pk)
        lines.append(f"Quarterly report {quarter.code} issued for {tenancy.intercommunality.name}")
    return lines
