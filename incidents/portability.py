"""The incident register in an organisation's archive: incidents with their timelines, reporting
obligations, filings, corrective actions, attachments and reminders sent; the calendar feed."""

from incidents.models import (
    Attachment,
    Authority,
    CalendarFeed,
    CorrectiveAction,
    Filing,
    Incident,
    Obligation,
    ReminderSent,
    ReportingRule,
    TimelineEntry,
)
from nis2.archive.declarations import Owned, Portability, Reference

PORTABILITY = Portability(
    owned=[
        Owned(Incident, parent="organisation"),
        Owned(TimelineEntry, parent="incident"),
        Owned(Obligation, parent="incident"),
        Owned(Filing, parent="obligation"),
        Owned(CorrectiveAction, parent="incident"),
        Owned(Attachment, parent="incident"),
        # Which reminders were already e-mailed: without them another instance would send them again.
        Owned(ReminderSent, parent="obligation"),
        # The feed's token is a password to the calendar: never in an archive, a new one on import.
        Owned(CalendarFeed, parent="organisation", secret_fields=frozenset({"token"})),
    ],
    # The reporting rules and authorities ship with Rempart (incidents/data/reporting-rules.yaml).
    references=[Reference(Authority, key=("code",)), Reference(ReportingRule, key=("code",))],
)
