"""Reads of the incident register for its pages and API: scoped lists, one incident's records, the
calendar feed."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from incidents.models import (
    Attachment,
    CalendarFeed,
    CorrectiveAction,
    Filing,
    Incident,
    IncidentQuerySet,
    Obligation,
    TimelineEntry,
)
from nis2.models import Organisation

User = AbstractBaseUser | AnonymousUser


def obligation_queryset() -> QuerySet[Obligation]:
    return (
        Obligation.objects.select_related("authority", "rule", "decided_by")
        .prefetch_related(
            Prefetch("filings", queryset=Filing.objects.select_related("filed_by").order_by("submitted_at", "pk"))
        )
        .order_by("due_at", "pk")
    )


def obligation_prefetch() -> Prefetch[str, QuerySet[Obligation], str]:
    """Obligations with their filings and reminders, for tasks that walk many incidents."""
    return Prefetch("obligations", queryset=obligation_queryset().prefetch_related("reminders"))


def incident_list(*, user: User) -> IncidentQuerySet:
    """Counts are correlated subqueries, computed for the rows a page shows, never grouped over the
    organisation's whole history."""
    investigation = (
        TimelineEntry.objects.filter(incident=OuterRef("pk"), kind=TimelineEntry.Kind.INVESTIGATION)
        .order_by()
        .values("incident")
        .annotate(count=Count("pk"))
        .values("count")
    )
    incidents: IncidentQuerySet = (
        Incident.objects.readable_by(user)
        .select_related("organisation")
        .prefetch_related(Prefetch("obligations", queryset=obligation_queryset()))
        .annotate(investigation_steps=Coalesce(Subquery(investigation), 0))
        .order_by("-detected_at", "-pk")
    )
    return incidents


# An obligation still to be filed, with a due date (the stored state: incidents.services keeps it).
PENDING_WITH_DUE_DATE = Q(not_required=False, settled_at__isnull=True, due_at__isnull=False)


def with_clock(incidents: IncidentQuerySet, *, now: datetime.datetime) -> IncidentQuerySet:
    """``next_due`` (the earliest pending deadline) and ``overdue_count`` on each incident, in SQL, so that
    lists sort by deadline and count overdue reports in the database."""
    pending = Obligation.objects.filter(PENDING_WITH_DUE_DATE, incident=OuterRef("pk")).order_by()
    overdue = (
        pending.filter(due_at__lt=now, rule__without_undue_delay=False)
        .values("incident")
        .annotate(count=Count("pk"))
        .values("count")
    )
    annotated: IncidentQuerySet = incidents.annotate(
        next_due=Subquery(pending.order_by("due_at").values("due_at")[:1]),
        overdue_count=Coalesce(Subquery(overdue), 0),
    )
    return annotated


def timeline_of(incident: Incident) -> QuerySet[TimelineEntry]:
    return incident.timeline.select_related("author").order_by("occurred_at", "pk")


def organisations_incidents(*, user: User, organisation: Organisation | None = None) -> IncidentQuerySet:
    queryset = Incident.objects.readable_by(user)
    return queryset.filter(organisation=organisation) if organisation else queryset


def open_significant_incident_counts(organisation_ids: list[int]) -> dict[int, int]:
    """Per organisation, its real, significant incidents not yet closed (organisations without any are absent)."""
    rows = (
        Incident.objects.real()
        .significant()
        .open()
        .filter(organisation_id__in=organisation_ids)
        .order_by()
        .values("organisation_id")
        .annotate(count=Count("pk"))
        .values_list("organisation_id", "count")
    )
    return dict(rows)


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
    return [(link.plan_action_id, link.incident) for link in links if link.plan_action_id is not None]


# --- The pages and the API --------------------------------------------------------------------------

#: The register's sort orders (``deadline`` sorts by the next due date, from ``with_clock``).
SORTS = {
    "detected": ("-detected_at", "-pk"),
    "severity": ("severity", "-detected_at"),
    "status": ("status", "-detected_at"),
    "title": ("title",),
}


def register_incidents(
    *, user: User, organisation: Organisation, sort: str, status: str, now: datetime.datetime
) -> IncidentQuerySet:
    """The organisation's incidents as the register lists them: ``status`` is ``open``, a status or empty
    (all); sorted and cut in the database, so a page costs its page."""
    incidents = incident_list(user=user).filter(organisation=organisation).order_by(*SORTS.get(sort, SORTS["detected"]))
    if status == "open":
        incidents = incidents.open()
    elif status in Incident.Status.values:
        incidents = incidents.filter(status=status)
    if sort == "deadline":
        incidents = with_clock(incidents, now=now).order_by(F("next_due").asc(nulls_last=True), "-detected_at", "-pk")
    return incidents


def readable_incident(*, user: User, incident_id: int | str) -> Incident | None:
    """The incident if ``user`` may read it (else None: it does not exist for them)."""
    return Incident.objects.readable_by(user).filter(pk=incident_id).first()


def incident_fresh(incident_id: int) -> Incident:
    """The incident as stored, without the annotations of the lists (what a form edits)."""
    return Incident.objects.get(pk=incident_id)


def incidents_by_ids(incident_ids: list[int]) -> QuerySet[Incident]:
    return Incident.objects.filter(pk__in=incident_ids)


def obligations_of(incident: Incident) -> QuerySet[Obligation]:
    return obligation_queryset().filter(incident=incident).select_related("incident")


def obligation_of(incident: Incident, obligation_id: int) -> Obligation | None:
    """One of the incident's obligations, with what filing it needs (None when it is not the incident's)."""
    return incident.obligations.filter(pk=obligation_id).select_related("authority", "rule", "incident").first()


def corrective_actions_of(incident: Incident) -> QuerySet[CorrectiveAction]:
    return CorrectiveAction.objects.filter(incident=incident).select_related("incident", "owner", "plan_action")


def attachments_of(incident: Incident) -> QuerySet[Attachment]:
    return Attachment.objects.filter(incident=incident).select_related("incident", "uploaded_by")


def calendar_feeds() -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.select_related("organisation")


def calendar_feed_of(token: str) -> CalendarFeed | None:
    """The feed whose secret address ends with ``token`` (the only credential of the calendar)."""
    return calendar_feeds().filter(token=token).first()


def calendar_incidents(organisation: Organisation) -> QuerySet[Incident]:
    """The organisation's open incidents with their obligations, for its deadline calendar."""
    return Incident.objects.open().filter(organisation=organisation).prefetch_related(obligation_prefetch())
