"""What the register tells about its incidents: the significance proposed from the facts, recurring
causes, statistics."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.db.models import Count, F, Q

from incidents import significance, statistics
from incidents.models import Incident, IncidentQuerySet, Obligation
from incidents.selectors.register import PENDING_WITH_DUE_DATE


def incident_proposal(incident: Incident) -> significance.SignificanceProposal:
    return significance.propose_significance(
        significance.Impact(
            services_affected=incident.services_affected,
            users_affected=incident.users_affected,
            duration_hours=incident.duration_hours,
            estimated_financial_loss_eur=incident.estimated_financial_loss_eur,
            personal_data_breach=incident.personal_data_breach,
            suspected_malicious=incident.suspected_malicious,
            severity=incident.severity,
            data_subjects_count=incident.data_subjects_count,
        )
    )


def recurring_incidents(incident: Incident) -> list[int]:
    """Same-cause incidents of the organisation within six months (CIR 2024/2690 Art. 4 as a model)."""

    def record(row: dict[str, Any]) -> significance.CauseRecord:
        return significance.CauseRecord(
            incident_id=row["pk"],
            aware_or_detected_at=row["aware_at"] or row["detected_at"],
            root_cause_category=row["root_cause_category"],
            cause_key=row["attack_technique"],
        )

    rows = Incident.objects.filter(
        organisation=incident.organisation_id, is_exercise=False, root_cause_category=incident.root_cause_category
    ).values("pk", "aware_at", "detected_at", "root_cause_category", "attack_technique")
    target = record(
        {
            "pk": incident.pk,
            "aware_at": incident.aware_at,
            "detected_at": incident.detected_at,
            "root_cause_category": incident.root_cause_category,
            "attack_technique": incident.attack_technique,
        }
    )
    return significance.recurring_with(target, [record(row) for row in rows])


IncidentStats = statistics.IncidentStats


def incident_stats(
    incidents: IncidentQuerySet,
    *,
    start: datetime.datetime | None,
    end: datetime.datetime | None,
    now: datetime.datetime,
) -> statistics.IncidentStats:
    """Statistics over real incidents (exercises excluded) detected in [start, end): the incidents' facts
    in one narrow read, the reports' statuses counted in SQL from the stored clock state."""
    queryset = incidents.real()
    if start:
        queryset = queryset.filter(detected_at__gte=start)
    if end:
        queryset = queryset.filter(detected_at__lt=end)
    facts = queryset.order_by().values_list(*RECORD_FIELDS)
    stats = statistics.compute((statistics.IncidentRecord(*row) for row in facts), now=now)
    obligations = Obligation.objects.filter(incident__in=queryset.order_by().values("pk"), not_required=False)
    filed = Q(settled_at__isnull=False)
    late = filed & Q(due_at__lt=F("settled_at"), rule__without_undue_delay=False)
    counts = obligations.aggregate(
        on_time=Count("pk", filter=filed & ~late),
        late=Count("pk", filter=late),
        overdue=Count("pk", filter=Q(PENDING_WITH_DUE_DATE, due_at__lt=now, rule__without_undue_delay=False)),
    )
    return dataclasses.replace(
        stats,
        obligations_on_time=counts["on_time"],
        obligations_late=counts["late"],
        obligations_overdue=counts["overdue"],
    )


# The facts of ``statistics.IncidentRecord``, in its field order.
RECORD_FIELDS = (
    "category",
    "severity",
    "status",
    "significant",
    "detected_at",
    "aware_at",
    "contained_at",
    "root_cause_category",
    "root_cause_identified_at",
)
