"""Reads for report drafts beyond ``selectors.draft_facts``: the items of a personal data breach
(Regulation (EU) 2016/679, Art. 33(3)) and what was already filed for the step (initial or complementary
notification, reasons for a delay)."""

from __future__ import annotations

import datetime

from django.utils import formats

from incidents import deadlines, drafts, selectors
from incidents.models import Incident

LATE_STATUSES = (deadlines.Status.OVERDUE, deadlines.Status.SUBMITTED_LATE)


def breach_facts(incident: Incident) -> dict[str, str]:
    """The breach's items as display strings (times in Europe/Paris), keyed as ``drafts.STEP_ITEMS`` expects."""
    return {
        "occurred_at": selectors.displayed_moment(incident.occurred_at),
        "breach_aware_at": selectors.displayed_moment(incident.breach_aware_at),
        "breach_nature": incident.breach_nature,
        "data_subject_categories": incident.data_subject_categories,
        "data_subjects_count": _count(incident.data_subjects_count),
        "record_categories": incident.record_categories,
        "records_count": _count(incident.records_count),
        "dpo_contact": incident.dpo_contact,
    }


def filing_state(incident: Incident, step: str, *, now: datetime.datetime) -> drafts.FilingState:
    """What was filed for the step: its pending obligation if there is one, else its latest."""
    views = [view for view in selectors.obligation_views(incident, now=now) if view.obligation.step == step]
    if not views:
        return drafts.NOT_FILED
    view = next((view for view in views if view.is_pending), views[-1])
    filings = sorted(view.obligation.filings.all(), key=lambda filing: (filing.recorded_at, filing.pk))
    return drafts.FilingState(
        filed=bool(filings),
        late=view.status in LATE_STATUSES,
        delay_reason=filings[-1].delay_reason if filings else incident.breach_delay_reason,
    )


def incident_draft(incident: Incident, step: str, *, now: datetime.datetime) -> drafts.Draft:
    """The draft of the step's report or notice, from every fact the register holds."""
    facts = {
        **selectors.draft_facts(incident),
        **breach_facts(incident),
        "recipient_actions": incident.recipient_guidance,  # the notice to residents (NIS 2 Art. 23(2))
    }
    return drafts.build_draft(step, facts, filing=filing_state(incident, step, now=now))


def _count(value: int | None) -> str:
    return "" if value is None else formats.number_format(value, force_grouping=True)
