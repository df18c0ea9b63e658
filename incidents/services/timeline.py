"""The incident's timeline: entries people add, and the dated entries every state change leaves."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.models import Incident, TimelineEntry
from nis2.history import model_create

#: Written by Rempart itself as the incident changes; a person never adds them.
AUTOMATIC_KINDS = (TimelineEntry.Kind.STATUS_CHANGE, TimelineEntry.Kind.VERDICT_CHANGE, TimelineEntry.Kind.FILING)
#: A little tolerance for the clocks of the person's device and of the server.
CLOCK_TOLERANCE = datetime.timedelta(minutes=5)


def timeline_record(
    *, incident: Incident, actor: User | None, kind: str, text: str, occurred_at: datetime.datetime | None = None
) -> TimelineEntry:
    """One entry, dated ``occurred_at`` (now by default): the trace a service leaves of a change."""
    entry = TimelineEntry(
        incident=incident, author=actor, kind=kind, text=text, occurred_at=occurred_at or timezone.now()
    )
    return model_create(entry, actor=actor)


def not_in_the_future(moment: datetime.datetime | None, *, field: str, message: str) -> None:
    if moment is not None and moment > timezone.now() + CLOCK_TOLERANCE:
        raise ValidationError({field: message})


@transaction.atomic
def timeline_add(
    *, incident: Incident, actor: User, kind: str, text: str, occurred_at: datetime.datetime | None = None
) -> TimelineEntry:
    if kind in AUTOMATIC_KINDS:
        raise ValidationError({"kind": _("This kind of entry is written by Rempart itself.")})
    not_in_the_future(occurred_at, field="occurred_at", message=_("A timeline entry cannot be in the future."))
    return timeline_record(incident=incident, actor=actor, kind=kind, text=text, occurred_at=occurred_at)
