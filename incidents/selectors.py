"""Reads of the incident register: scoped lists, obligations with their status, statistics."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats

from incidents import deadlines, significance, statistics
from incidents.models import CorrectiveAction, Filing, Incident, Obligation, ReportingRule, Step, TimelineEntry
from nis2.clock import paris_time_for_display
from nis2.models import Organisation

User = AbstractBaseUser | AnonymousUser
PENDING_STATUSES = (
    deadlines.Status.PENDING,
    deadlines.Status.DUE_SOON,
    deadlines.Status.OVERDUE,
    deadlines.Status.DUE_NOW,
)


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
    """Counts are correlated subqueries, computed for the rows a page shows, never grouped over the
    organisation's whole history."""
    investigation = (
        TimelineEntry.objects.filter(incident=OuterRef("pk"), kind=TimelineEntry.Kind.INVESTIGATION)
        .order_by()
        .values("incident")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Incident.objects.readable_by(user)
        .select_related("organisation")
        .prefetch_related(Prefetch("obligations", queryset=obligation_queryset()))
        .annotate(investigation_steps=Coalesce(Subquery(investigation), 0))
        .order_by("-detected_at", "-pk")
    )


# An obligation still to be filed, with a due date (the stored state: incidents.services keeps it).
PENDING_WITH_DUE_DATE = Q(not_required=False, settled_at__isnull=True, due_at__isnull=False)


def with_clock(incidents: QuerySet[Incident], *, now: datetime.datetime) -> QuerySet[Incident]:
    """``next_due`` (the earliest pending deadline) and ``overdue_count`` on each incident, in SQL, so that
    lists sort by deadline and count overdue reports in the database."""
    pending = Obligation.objects.filter(PENDING_WITH_DUE_DATE, incident=OuterRef("pk")).order_by()
    overdue = (
        pending.filter(due_at__lt=now, rule__without_undue_delay=False)
        .values("incident")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return incidents.annotate(
        next_due=Subquery(pending.order_by("due_at").values("due_at")[:1]),
        overdue_count=Coalesce(Subquery(overdue), 0),
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
    first_filed = {obligation.pk: _first_filing_time(obligation) for obligation in obligations}
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
            without_undue_delay=obligation.rule.without_undue_delay,
        )
        views.append(ObligationView(obligation, status, submitted_at, satisfied_by))
    return views


def _first_filing_time(obligation: Obligation) -> datetime.datetime | None:
    """The first recorded filing's submission time: corrections never change lateness."""
    originals = [filing for filing in obligation.filings.all() if filing.supersedes_id is None]
    return min(originals, key=lambda filing: (filing.recorded_at, filing.pk)).submitted_at if originals else None


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
    incidents: QuerySet[Incident],
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


def organisations_incidents(*, user: User, organisation: Organisation | None = None) -> QuerySet[Incident]:
    queryset = Incident.objects.readable_by(user)
    return queryset.filter(organisation=organisation) if organisation else queryset


def incidents_feeding_actions(plan_action_ids: list[int]) -> list[tuple[int, Incident]]:
    """(action plan entry id, incident) for each corrective action that joined the plan, within the
    entry's own organisation."""
    links = (
        CorrectiveAction.objects.filter(
            plan_action_id__in=plan_action_ids, incident__organisation_id=F("plan_action__organisation_id")
        )
        .select_related("incident")
        .order_by("incident__detected_at", "pk")
    )
    return [(link.plan_action_id, link.incident) for link in links]


def draft_recipient(incident: Incident, step: str) -> str:
    """Who a step's report goes to: its obligation's authority, or else the one its rule names."""
    obligation = incident.obligations.filter(step=step).select_related("authority").first()
    if obligation is not None:
        return obligation.authority.name
    rule = ReportingRule.objects.filter(step=step, active=True).select_related("authority").first()
    return rule.authority.name if rule else ""


def displayed_moment(value: datetime.datetime | None) -> str:
    """A time as a draft shows it: on the Paris clock, named (an absurd stored date is shown, not fatal)."""
    if value is None:
        return ""
    return formats.date_format(paris_time_for_display(value), "DATETIME_FORMAT") + " (Europe/Paris)"


def draft_facts(incident: Incident) -> dict[str, str]:
    """The incident's facts as display strings for report drafts (times in Europe/Paris)."""
    from incidents import taxonomy
    from nis2.models import Membership
    from nis2.roles import Role

    moment = displayed_moment

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
            f"{officer.user.get_full_name() or officer.user.get_username()} <{officer.user.email}>"
            if officer and officer.user.email
            else ""  # without an address to write to, the draft lists the contact as missing
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
        "users_affected": _grouped(incident.users_affected),
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


# --- As of a date (quarterly reports read the history tables) ---------------------------------------


@dataclass(frozen=True)
class IncidentAsOf:
    record: statistics.IncidentRecord
    incident_id: int
    organisation_id: int
    title: str


def _real_incidents_as_of(
    organisation_ids: list[int], as_of: datetime.datetime, detected_from: datetime.datetime | None
) -> QuerySet[Incident]:
    queryset = Incident.history.as_of(as_of).filter(organisation_id__in=organisation_ids, is_exercise=False)
    if detected_from is not None:
        queryset = queryset.filter(detected_at__gte=detected_from)
    return queryset


def incidents_as_of(
    *, organisation_ids: list[int], as_of: datetime.datetime, detected_from: datetime.datetime | None = None
) -> list[IncidentAsOf]:
    """Real incidents as they stood at ``as_of`` (detected before it), with their reports' statuses then,
    in the order of detection. Four queries, whatever the number of organisations and incidents."""
    incidents = list(
        _real_incidents_as_of(organisation_ids, as_of, detected_from).values(
            "id",
            "organisation_id",
            "title",
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
    )
    statuses = _obligation_statuses_as_of([row["id"] for row in incidents], as_of)
    return [
        IncidentAsOf(
            record=statistics.IncidentRecord(
                category=row["category"],
                severity=row["severity"],
                status=row["status"],
                significant=row["significant"],
                detected_at=row["detected_at"],
                aware_at=row["aware_at"],
                contained_at=row["contained_at"],
                root_cause_category=row["root_cause_category"],
                root_cause_identified_at=row["root_cause_identified_at"],
                obligation_statuses=tuple(statuses.get(row["id"], ())),
            ),
            incident_id=row["id"],
            organisation_id=row["organisation_id"],
            title=row["title"],
        )
        for row in sorted(incidents, key=lambda row: row["detected_at"])
    ]


def _obligation_statuses_as_of(incident_ids: list[int], as_of: datetime.datetime) -> dict[int, list[str]]:
    """The status at ``as_of`` of each incident's reports, by incident id. A filing of a later step also
    satisfies the step it covers. Filings are append-only, so a filing counts when it was both submitted and
    recorded by ``as_of``."""
    obligations = list(
        Obligation.history.as_of(as_of)
        .filter(incident_id__in=incident_ids)
        .values("id", "incident_id", "step", "rule_id", "window_start", "due_at", "not_required")
    )
    rules = _rule_facts()
    satisfies = {pk: step for pk, step, _immediate in rules}
    immediate = {pk for pk, _step, without_undue_delay in rules if without_undue_delay}
    first_filed: dict[int, datetime.datetime] = {}
    for obligation_id, submitted_at in (
        Filing.objects.filter(
            obligation_id__in=[row["id"] for row in obligations],
            submitted_at__lte=as_of,
            recorded_at__lte=as_of,
            supersedes__isnull=True,
        )
        .order_by("recorded_at", "pk")
        .values_list("obligation_id", "submitted_at")
    ):
        first_filed.setdefault(obligation_id, submitted_at)
    by_incident: dict[int, list[dict[str, Any]]] = {}
    for row in obligations:
        by_incident.setdefault(row["incident_id"], []).append(row)
    statuses: dict[int, list[str]] = {}
    for incident_id, rows in by_incident.items():
        for row in rows:
            submitted_at = first_filed.get(row["id"])
            for other in rows:
                covering = first_filed.get(other["id"])
                if (
                    satisfies.get(other["rule_id"]) == row["step"]
                    and covering
                    and (not submitted_at or covering < submitted_at)
                ):
                    submitted_at = covering
            status = deadlines.obligation_status(
                window_start=row["window_start"],
                due_at=row["due_at"],
                submitted_at=submitted_at,
                not_required=row["not_required"],
                now=as_of,
                without_undue_delay=row["rule_id"] in immediate,
            )
            statuses.setdefault(incident_id, []).append(status.value)
    return statuses


def _rule_facts() -> list[tuple[int, str, bool]]:
    """(id, step it also satisfies, due without undue delay) of every reporting rule, in one query."""
    return list(ReportingRule.objects.order_by().values_list("pk", "satisfies_step", "without_undue_delay"))


@dataclass(frozen=True)
class IncidentCounts:
    total: int
    significant: int


def incident_counts_as_of(
    *, organisation_ids: list[int], as_of: datetime.datetime, detected_from: datetime.datetime | None = None
) -> IncidentCounts:
    """How many of the incidents ``incidents_as_of`` gives there are, and how many of them are significant,
    in one query (a report's trend over past quarters)."""
    counts = _real_incidents_as_of(organisation_ids, as_of, detected_from).aggregate(
        total=Count("history_id"), significant=Count("history_id", filter=Q(significant="yes"))
    )
    return IncidentCounts(total=counts["total"], significant=counts["significant"])


def _grouped(count: int | None) -> str:
    """A count as the reader's language writes it (40 000 in French), empty when unknown."""
    return "" if count is None else formats.number_format(count, force_grouping=True)
