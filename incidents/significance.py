"""Helpers that propose a significance verdict; the decision stays with the organisation.

Directive (EU) 2022/2555, Art. 23(3): an incident is significant if it has caused or is capable of
causing (a) severe operational disruption of the services or financial loss for the entity, or
(b) considerable material or non-material damage to other natural or legal persons.
Implementing Regulation (EU) 2024/2690 (Arts 3–4) sets thresholds for digital providers only; it is
used here as a model: EUR 500 000 of direct loss, suspected malicious unauthorised access able to
cause severe disruption, and recurring incidents with the same apparent root cause within six months.
The thresholds for a local authority (users, hours) are Rempart's design choices, shown as such.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from nis2.clock import to_utc

FINANCIAL_LOSS_THRESHOLD_EUR = Decimal(500_000)  # CIR 2024/2690 Art. 3(1)(a), as a model
DISRUPTION_HOURS = Decimal(4)  # design choice: half a working day without an essential service
USERS_THRESHOLD = 1_000  # design choice: residents or agents affected
PERSONAL_DATA_SUBJECTS_THRESHOLD = 100  # design choice
RECURRENCE_WINDOW = datetime.timedelta(days=183)  # six months, CIR 2024/2690 Art. 4


@dataclass(frozen=True)
class Impact:
    services_affected: str
    users_affected: int | None
    duration_hours: Decimal | None
    estimated_financial_loss_eur: Decimal | None
    personal_data_breach: bool
    suspected_malicious: str
    cross_border: str
    severity: str


@dataclass(frozen=True)
class SignificanceProposal:
    verdict: str  # yes, no, unknown
    criteria: tuple[str, ...]
    missing: tuple[str, ...]


CRITERIA = {
    "severe_disruption": _(
        "Art. 23(3)(a): an essential service disrupted for 4 h or more, or 1,000 or more users affected"
    ),
    "financial_loss": _("Art. 23(3)(a), modelled on CIR 2024/2690 Art. 3(1)(a): direct loss of EUR 500,000 or more"),
    "damage_to_others": _(
        "Art. 23(3)(b): personal data of 100 or more people breached, or effects in another Member State"
    ),
    "malicious_access": _(
        "CIR 2024/2690 Art. 3(1)(e) as a model: suspected malicious access at high or critical severity"
    ),
}


def propose_significance(impact: Impact) -> SignificanceProposal:
    criteria = []
    if (impact.services_affected.strip() and (impact.duration_hours or 0) >= DISRUPTION_HOURS) or (
        impact.users_affected or 0
    ) >= USERS_THRESHOLD:
        criteria.append("severe_disruption")
    if (impact.estimated_financial_loss_eur or 0) >= FINANCIAL_LOSS_THRESHOLD_EUR:
        criteria.append("financial_loss")
    if (impact.personal_data_breach and (impact.users_affected or 0) >= PERSONAL_DATA_SUBJECTS_THRESHOLD) or (
        impact.cross_border == "yes"
    ):
        criteria.append("damage_to_others")
    if impact.suspected_malicious == "yes" and impact.severity in ("high", "critical"):
        criteria.append("malicious_access")
    missing = tuple(
        name
        for name, value in (
            ("users_affected", impact.users_affected),
            ("duration_hours", impact.duration_hours),
            ("estimated_financial_loss_eur", impact.estimated_financial_loss_eur),
        )
        if value is None
    )
    if criteria:
        return SignificanceProposal("yes", tuple(criteria), missing)
    return SignificanceProposal("unknown" if missing else "no", (), missing)


@dataclass(frozen=True)
class CauseRecord:
    incident_id: int
    aware_or_detected_at: datetime.datetime
    root_cause_category: str
    cause_key: str  # attack technique or failing component: what makes two causes "the same"


def recurring_with(target: CauseRecord, others: list[CauseRecord]) -> list[int]:
    """Other incidents within six months sharing the target's identified root cause (CIR 2024/2690
    Art. 4): a proposal to treat them together as one significant incident."""
    if not target.root_cause_category or target.root_cause_category == "undetermined" or not target.cause_key:
        return []
    return sorted(
        other.incident_id
        for other in others
        if other.incident_id != target.incident_id
        and other.root_cause_category == target.root_cause_category
        and other.cause_key.strip().lower() == target.cause_key.strip().lower()
        and abs(to_utc(other.aware_or_detected_at) - to_utc(target.aware_or_detected_at)) <= RECURRENCE_WINDOW
    )
