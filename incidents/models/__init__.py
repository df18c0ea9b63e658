"""The incident register: incidents, their timeline, the reports they owe and their root cause.

One module per topic; every model is importable from ``incidents.models``."""

from incidents.choices import Verdict
from incidents.models.incident import (
    EDITABLE_FIELDS,
    FACT_FIELDS,
    LINK_FIELDS,
    ROOT_CAUSE_FIELDS,
    Incident,
    IncidentChanges,
    IncidentFacts,
    IncidentQuerySet,
    RootCauseFacts,
)
from incidents.models.records import (
    Attachment,
    CalendarFeed,
    CorrectiveAction,
    TimelineEntry,
    attachment_upload_path,
    new_feed_token,
)
from incidents.models.reference import Authority, ReportingRule, Step
from incidents.models.reporting import Filing, Obligation, ReminderSent, filing_upload_path

__all__ = [
    "EDITABLE_FIELDS",
    "FACT_FIELDS",
    "LINK_FIELDS",
    "ROOT_CAUSE_FIELDS",
    "Attachment",
    "Authority",
    "CalendarFeed",
    "CorrectiveAction",
    "Filing",
    "Incident",
    "IncidentChanges",
    "IncidentFacts",
    "IncidentQuerySet",
    "Obligation",
    "ReminderSent",
    "ReportingRule",
    "RootCauseFacts",
    "Step",
    "TimelineEntry",
    "Verdict",
    "attachment_upload_path",
    "filing_upload_path",
    "new_feed_token",
]
