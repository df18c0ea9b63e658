"""Every write of the incident register, one module per topic: the incident itself (``register``), its
timeline, its reporting obligations, and its corrective actions and attachments. Each state change leaves
a dated timeline entry, and the reporting obligations are recomputed after anything that can move a
deadline."""

from incidents.services.actions import (
    attachment_add,
    calendar_feed_rotate,
    corrective_action_create,
    corrective_action_update,
)
from incidents.services.obligations import (
    deadline_rule,
    first_filings,
    incident_clock,
    incident_sync_obligations,
    obligation_file,
    obligation_mark_not_required,
    obligation_request_intermediate,
    obligations_backfill,
)
from incidents.services.register import (
    CLOSING_MESSAGES,
    INCIDENT_FIELDS,
    VERDICT_FIELDS,
    incident_create,
    incident_transition,
    incident_update,
)
from incidents.services.timeline import timeline_add, timeline_record

__all__ = [
    "CLOSING_MESSAGES",
    "INCIDENT_FIELDS",
    "VERDICT_FIELDS",
    "attachment_add",
    "calendar_feed_rotate",
    "corrective_action_create",
    "corrective_action_update",
    "deadline_rule",
    "first_filings",
    "incident_clock",
    "incident_create",
    "incident_sync_obligations",
    "incident_transition",
    "incident_update",
    "obligation_file",
    "obligation_mark_not_required",
    "obligation_request_intermediate",
    "obligations_backfill",
    "timeline_add",
    "timeline_record",
]
