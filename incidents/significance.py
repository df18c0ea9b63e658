"""Helpers that propose a significance verdict; the decision stays with the organisation.

Directive (EU) 2022/2555, Art. 23(3): an incident is significant if it has caused or is capable of
causing (a) severe operational disruption of the services or financial loss for the entity, or
(b) considerable material or non-material damage to other natural or legal persons.
The Directive sets no figure for a local authority. Implementing Regulation (EU) 2024/2690 (Arts 3-4)
binds digital providers only (DNS, cloud, data centres, managed services...): Rempart borrows some of its
criteria as guidance and says so — direct financial loss above EUR 500 000 or 5 % of the annual turnover,
whichever is lower (Art. 3(1)(a)); suspected malicious unauthorised access capable of causing severe
disruption (Art. 3(1)(e)); recurring incidents with the same apparent root cause within six months
(Art. 4). Every other figure (hours, users, people) is Rempart's design choice, and each label says which.
A cross-border impact is an item of the reports (Art. 23(4)(a) and (d)), not a criterion of significance.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from nis2.clock import to_utc

# CIR 2024/2690 Art. 3(1)(a), as guidance: its other branch, 5 % of the annual turnover when lower, has
# no counterpart Rempart knows for a local authority, so a lower loss is left to the organisation's judgement.
FINANCIAL_LOSS_THRESHOLD_EUR = Decimal(500_000)
DISRUPTION_HOURS = Decimal(4)  # design choice: half a working day without an essential service
USERS_THRESHOLD = 1_000  # design choice: residents or agents affected
PERSONAL_DATA_SUBJECTS_THRESHOLD = 100  # design choice
RECURRENCE_WINDOW = datetime.timedelta(days=183)  # six months, CIR 2024/2690 Art. 4, as guidance


@dataclass(frozen=True)
class Impact:
    services_affected: str
    users_affected: int | None
    duration_hours: Decimal | None
    estimated_financial_loss_eur: Decimal | None
    personal_data_breach: bool
    suspected_malicious: str
    severity: str
    data_subjects_count: int | None = None  # people whose personal data were breached, when recorded


@dataclass(frozen=True)
class SignificanceProposal:
    verdict: str  # yes, no, unknown
    criteria: tuple[str, ...]
    missing: tuple[str, ...]


CRITERIA = {
    "severe_disruption": _(
        "Art. 23(3)(a), severe operational disruption: a service disrupted for 4 hours or more, or 1,000 users or "
        "more affected (both figures are Rempart's design choices)"
    ),
    "financial_loss": _(
        "Art. 23(3)(a), financial loss: a direct loss of more than EUR 500,000 (guidance from Implementing "
        "Regulation (EU) 2024/2690, Art. 3(1)(a), binding on digital providers only: EUR 500,000 or 5 % of the "
        "annual turnover, whichever is lower)"
    ),
    "damage_to_others": _(
        "Art. 23(3)(b), damage to other persons: personal data of 100 people or more breached (Rempart's design choice)"
    ),
    "malicious_access": _(
        "Art. 23(3)(a), suspected malicious access: an unauthorised access capable of causing severe disruption "
        "(guidance from Implementing Regulation (EU) 2024/2690, Art. 3(1)(e), binding on digital providers only), "
        "read by Rempart as such an access at high or critical severity (design choice)"
    ),
}


def propose_significance(impact: Impact) -> SignificanceProposal:
    criteria = []
    if (impact.services_affected.strip() and (impact.duration_hours or 0) >= DISRUPTION_HOURS) or (
        impact.users_affected or 0
    ) >= USERS_THRESHOLD:
        criteria.append("severe_disruption")
    if (impact.estimated_financial_loss_eur or 0) > FINANCIAL_LOSS_THRESHOLD_EUR:  # "exceeds", Art. 3(1)(a)
        criteria.append("financial_loss")
    people = impact.data_subjects_count if impact.data_subjects_count is not None else impact.users_affected
    if impact.personal_data_breach and (people or 0) >= PERSONAL_DATA_SUBJECTS_THRESHOLD:
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
    """Other incidents within six months sharing the target's identified root cause (CIR 2024/2690 Art. 4,
    as guidance): a proposal to treat them together as one significant incident."""
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
