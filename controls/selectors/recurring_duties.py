"""Recurring duties (ReCyF): the calendar of what each organisation owes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber

from controls import duties
from controls.models import (
    DutyCompletion,
    entity_category_of,
)
from controls.selectors.assessments import User
from nis2.models import Organisation


@dataclass(frozen=True)
class DutyCalendarRow:
    duty: duties.Duty
    last_done_on: datetime.date | None
    last_done_by: str  # who recorded the latest performance, "" when nobody is known
    last_note: str
    next_due: datetime.date
    status: duties.DutyStatus


def latest_duty_completions(
    *, organisation_ids: list[int] | QuerySet[Any] | None = None
) -> dict[tuple[int, str], DutyCompletion]:
    """The latest performance of every duty, by (organisation id, duty code), in one query; each carries
    ``recorded_by_id``, the author of its creation in the history. Every organisation's when ``organisation_ids``
    is None (the reminders)."""
    completions = DutyCompletion.objects.all()
    if organisation_ids is not None:
        completions = completions.filter(organisation_id__in=organisation_ids)
    creation = DutyCompletion.history.filter(id=OuterRef("pk"), history_type="+").order_by("history_id")
    latest = (
        completions.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("organisation_id"), F("duty")],
                order_by=[F("done_on").desc(), F("pk").desc()],
            ),
            recorded_by_id=Subquery(creation.values("history_user_id")[:1]),
        )
        .filter(rank=1)
        .order_by()
    )
    return {(completion.organisation_id, completion.duty): completion for completion in latest}


def duty_calendar(*, organisation: Organisation, today: datetime.date) -> list[DutyCalendarRow]:
    """The recurring duties the organisation's NIS 2 status requires, each with its latest performance, its next
    due date and its status, the earliest due first (two queries, whatever the number of duties or performances)."""
    latest = latest_duty_completions(organisation_ids=[organisation.pk])
    # ``recorded_by_id`` is annotated by latest_duty_completions.
    author_ids = {completion.recorded_by_id for completion in latest.values()}  # type: ignore[attr-defined]
    authors = get_user_model().objects.in_bulk(author_ids - {None})
    rows = []
    for duty in duties.duties_for(entity_category_of(organisation)):
        completion = latest.get((organisation.pk, duty.code))
        last_done_on = completion.done_on if completion else None
        next_due = duties.next_due(last_done_on, duty.every_months, today=today)
        author = authors.get(completion.recorded_by_id) if completion else None  # type: ignore[attr-defined]
        rows.append(
            DutyCalendarRow(
                duty=duty,
                last_done_on=last_done_on,
                last_done_by=(author.get_full_name() or author.get_username()) if author else "",
                last_note=completion.note if completion else "",
                next_due=next_due,
                status=duties.status(next_due, today, ever_done=completion is not None),
            )
        )
    return sorted(rows, key=lambda row: row.next_due)  # stable: the catalogue's order among equal dates


def duty_completion_list(*, user: User) -> QuerySet[DutyCompletion]:
    return DutyCompletion.objects.readable_by(user).order_by("-done_on", "-pk")
