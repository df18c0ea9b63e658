"""The incident's facts as report drafts show them (display strings, times in Europe/Paris)."""

from __future__ import annotations

import datetime

from django.utils import formats

from incidents import taxonomy
from incidents.models import (
    Incident,
    ReportingRule,
)
from nis2.clock import paris_time_for_display
from nis2.models import Membership
from nis2.roles import Role


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


def _grouped(count: int | None) -> str:
    """A count as the reader's language writes it (40 000 in French), empty when unknown."""
    return "" if count is None else formats.number_format(count, force_grouping=True)
