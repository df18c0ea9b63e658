"""Reads of the incident register: scoped lists, obligations with their status, statistics."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet

from incidents import deadlines, lifecycle, significance
from incidents.models import Filing, Incident, Obligation, Step, TimelineEntry
from nis2.models import Organisation

User = AbstractBaseUser | AnonymousUser
PENDING_STATUSES = (deadlines.Status.PENDING, deadlines.Status.DUE_SOON, deadlines.Status.OVERDUE)


def obligation_queryset() -> QuerySet[Obligation]:
    return (
        Obligation.objects.select_related("authority", "rule", "decided_by")
        .prefetch_related(
            Prefetch("filings", queryset=Filing.objects.select_related("filed_by").order_by("submitted_at", "pk"))
        )
        .order_by("due_at", "pk")
    )


def obligation_prefetch() -> Prefetch:
    """Obligations with their filings and reminders, for tasks that walk many incidents."""
    return Prefetch("obligations", queryset=obligation_queryset().prefetch_related("reminders"))


def incident_list(*, user: User) -> QuerySet[Incident]:
    return (
        Incident.objects.readable_by(user)
        .select_related("organisation")
        .prefetch_related(Prefetch("obligations", queryset=obligation_queryset()))
        .annotate(investigation_steps=Count("timeline", filter=Q(timeline__kind=TimelineEntry.Kind.INVESTIGATION)))
        .order_by("-detected_at", "-pk")
    )


def timeline_of(incident: Incident) -> QuerySet[TimelineEntry]:
    return incident.timeline.select_related("author").order_by("occurred_at", "pk")


@dataclass(frozen=True)
class ObligationView:
    obligation: Obligation
    status: deadlines.Status
    submitted_at: datetime.datetime | None
    satisfied_by: str | None  # the step whose filing also satisfied this one

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES


def obligation_views(incident: Incident, *, now: datetime.datetime) -> list[ObligationView]:
    """The incident's obligations with their status (no query when obligations and filings are prefetched).
    A filing of a later step also satisfies the step it covers (the notification covers the early warning)."""
    obligations = list(incident.obligations.all())
    first_filed = {
        obligation.pk: min((filing.submitted_at for filing in obligation.filings.all()), default=None)
        for obligation in obligations
    }
    by_step = {obligation.step: obligation for obligation in obligations if obligation.step != Step.INTERMEDIATE}
    views = []
    for obligation in obligations:
        submitted_at, satisfied_by = first_filed[obligation.pk], None
        for other in by_step.values():
            covering = first_filed[other.pk]
            if (
                other.rule.satisfies_step == obligation.step
                and covering
                and (not submitted_at or covering < submitted_at)
            ):
                submitted_at, satisfied_by = covering, other.step
        status = deadlines.obligation_status(
            window_start=obligation.window_start,
            due_at=obligation.due_at,
            submitted_at=submitted_at,
            not_required=obligation.not_required,
            now=now,
        )
        views.append(ObligationView(obligation, status, submitted_at, satisfied_by))
    return views


def next_deadline(views: list[ObligationView]) -> ObligationView | None:
    pending = [view for view in views if view.is_pending and view.obligation.due_at is not None]
    return min(pending, key=lambda view: view.obligation.due_at, default=None)


def incident_proposal(incident: Incident) -> significance.SignificanceProposal:
    return significance.propose_significance(
        significance.Impact(
            services_affected=incident.services_affected,
            users_affected=incident.users_affected,
            duration_hours=incident.duration_hours,
            estimated_financial_loss_eur=incident.estimated_financial_loss_eur,
            personal_data_breach=incident.personal_data_breach,
            suspected_malicious=incident.suspected_malicious,
            cross_border=incident.cross_border,
            severity=incident.severity,
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


@dataclass(frozen=True)
class IncidentStats:
    total: int
    by_category: dict[str, int]
    by_severity: dict[str, int]
    by_status: dict[str, int]
    significant: int
    closed: int
    closed_with_root_cause: int
    unknown_cause_after_30_days: int
    median_hours_to_root_cause: float | None
    median_hours_to_containment: float | None
    obligations_on_time: int
    obligations_late: int
    obligations_overdue: int

    @property
    def root_cause_identified_share(self) -> float | None:
        return round(100 * self.closed_with_root_cause / self.closed, 1) if self.closed else None


def incident_stats(
    incidents: QuerySet[Incident],
    *,
    start: datetime.datetime | None,
    end: datetime.datetime | None,
    now: datetime.datetime,
) -> IncidentStats:
    """Statistics over real incidents (exercises excluded) detected in [start, end)."""
    queryset = incidents.real()
    if start:
        queryset = queryset.filter(detected_at__gte=start)
    if end:
        queryset = queryset.filter(detected_at__lt=end)
    rows = list(
        queryset.prefetch_related(None)
        .prefetch_related(Prefetch("obligations", queryset=obligation_queryset()))
        .order_by()
    )
    by_category: dict[str, int] = {}
    by_severity: dict[str, int] = {}
    by_status: dict[str, int] = {}
    to_root_cause, to_containment = [], []
    on_time = late = overdue = 0
    for incident in rows:
        by_category[incident.category] = by_category.get(incident.category, 0) + 1
        by_severity[incident.severity] = by_severity.get(incident.severity, 0) + 1
        by_status[incident.status] = by_status.get(incident.status, 0) + 1
        start_of_clock = incident.aware_at or incident.detected_at
        if incident.root_cause_identified and incident.root_cause_identified_at:
            to_root_cause.append((incident.root_cause_identified_at - start_of_clock).total_seconds() / 3600)
        if incident.contained_at:
            to_containment.append((incident.contained_at - incident.detected_at).total_seconds() / 3600)
        for view in obligation_views(incident, now=now):
            if view.status is deadlines.Status.SUBMITTED:
                on_time += 1
            elif view.status is deadlines.Status.SUBMITTED_LATE:
                late += 1
            elif view.status is deadlines.Status.OVERDUE:
                overdue += 1
    closed = [incident for incident in rows if incident.status == Incident.Status.CLOSED]
    return IncidentStats(
        total=len(rows),
        by_category=by_category,
        by_severity=by_severity,
        by_status=by_status,
        significant=sum(1 for incident in rows if incident.significant == "yes"),
        closed=len(closed),
        closed_with_root_cause=sum(1 for incident in closed if incident.root_cause_identified),
        unknown_cause_after_30_days=sum(
            1
            for incident in rows
            if lifecycle.cause_unknown_too_long(
                aware_at=incident.aware_at,
                detected_at=incident.detected_at,
                root_cause_identified=incident.root_cause_identified,
                now=now,
            )
        ),
        median_hours_to_root_cause=round(statistics.median(to_root_cause), 1) if to_root_cause else None,
        median_hours_to_containment=round(statistics.median(to_containment), 1) if to_containment else None,
        obligations_on_time=on_time,
        obligations_late=late,
        obligations_overdue=overdue,
    )


def organisations_incidents(*, user: User, organisation: Organisation | None = None) -> QuerySet[Incident]:
    queryset = Incident.objects.readable_by(user)
    return queryset.filter(organisation=organisation) if organisation else queryset


def draft_facts(incident: Incident) -> dict[str, str]:
    """The incident's facts as display strings for report drafts (times in Europe/Paris)."""
    from django.utils import formats
    from django.utils.timezone import localtime

    from incidents import taxonomy
    from nis2.models import Membership
    from nis2.roles import Role

    def moment(value: datetime.datetime | None) -> str:
        return formats.date_format(localtime(value), "DATETIME_FORMAT") + " (Europe/Paris)" if value else ""

    def verdict(name: str) -> str:
        value = getattr(incident, name)
        if value == "unknown":
            return ""
        justification = getattr(incident, f"{name}_justification", "")
        return f"{getattr(incident, f'get_{name}_display')()}. {justification}".strip()

    officer = (
        Membership.objects.filter(organisation=incident.organisation_id, role=Role.SECURITY_OFFICER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    recent = list(incident.timeline.order_by("-occurred_at", "-pk")[:5])
    return {
        "organisation": incident.organisation.name,
        "siren": incident.organisation.siren,
        "nis2_status": incident.organisation.get_nis2_status_display(),
        "contact": (
            f"{officer.user.get_full_name() or officer.user.get_username()} <{officer.user.email}>" if officer else ""
        ),
        "title": incident.title,
        "detected_at": moment(incident.detected_at),
        "aware_at": moment(incident.aware_at),
        "category": taxonomy.label(incident.category, incident.subcategory),
        "severity": incident.get_severity_display(),
        "status": incident.get_status_display(),
        "description": incident.description,
        "suspected_malicious": verdict("suspected_malicious"),
        "cross_border": verdict("cross_border"),
        "services_affected": incident.services_affected,
        "users_affected": "" if incident.users_affected is None else str(incident.users_affected),
        "duration_hours": "" if incident.duration_hours is None else formats.number_format(incident.duration_hours),
        "geographic_spread": incident.get_geographic_spread_display() if incident.geographic_spread else "",
        "estimated_financial_loss_eur": (
            ""
            if incident.estimated_financial_loss_eur is None
            else formats.number_format(incident.estimated_financial_loss_eur, 2, force_grouping=True) + " €"
        ),
        "indicators_of_compromise": incident.indicators_of_compromise,
        "mitigation": incident.mitigation,
        "root_cause_category": incident.get_root_cause_category_display() if incident.root_cause_category else "",
        "root_cause": incident.root_cause
        if incident.root_cause_category != "undetermined"
        else incident.undetermined_justification,
        "attack_technique": incident.attack_technique,
        "cross_border_effects": incident.cross_border_effects,
        "likely_consequences": incident.personal_data_consequences,
        "recent_timeline": "\n".join(f"{moment(entry.occurred_at)} — {entry.text}" for entry in reversed(recent)),
    }
