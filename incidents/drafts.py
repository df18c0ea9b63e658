"""Pre-filled content of each report, as the authority asks for it at that stage, with what is missing;
and of the notices addressed to people rather than to an authority.

Directive (EU) 2022/2555, Art. 23(4): (a) early warning — whether the incident is suspected of being
caused by unlawful or malicious acts and whether it could have a cross-border impact; (b) notification —
an update of the early warning, an initial assessment with severity and impact, and indicators of
compromise where available; (c) intermediate report — status updates on request; (d) final report —
a detailed description with severity and impact, the type of threat or root cause, the mitigation
applied and ongoing, and the cross-border impact; (e) progress report when the incident is ongoing.
Art. 23(1)-(2): where appropriate, the recipients of the services are told, without undue delay, of a
significant incident likely to affect them and of the measures they can take themselves.
Regulation (EU) 2016/679, Art. 33(3): nature of the breach, categories and approximate number of people
and of records concerned, the data protection officer's contact, likely consequences, measures taken or
proposed; Art. 33(1): the reasons for the delay when notified after 72 hours. The CNIL's online form also
asks the organisation's SIREN and whether the notification is initial or complements an earlier one.
Art. 34(2): the communication to the people concerned describes the nature of the breach in clear and
plain language, with the contact point, the likely consequences and the measures of Art. 33(3)(b)-(d).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.utils.translation import gettext_lazy as _

LazyText = Any  # a lazy translation: str() gives it in the active language


class Need(Enum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    WHEN_LATE = "when_late"  # required only once the deadline has passed (GDPR Art. 33(1): reasons for the delay)


class Audience(Enum):
    AUTHORITY = "authority"
    PEOPLE = "people"  # a notice to residents or to the people whose data were breached, in plain language


@dataclass(frozen=True)
class Item:
    key: str
    label: LazyText
    need: Need = Need.REQUIRED


IDENTIFICATION = [
    Item("organisation", _("Entity")),
    Item("siren", _("SIREN")),
    Item("nis2_status", _("NIS 2 status")),
    Item("contact", _("Contact")),
]
SUMMARY = [
    Item("title", _("Incident")),
    Item("detected_at", _("Detected at")),
    Item("aware_at", _("Aware of significance at")),
    Item("category", _("Category (RSIT)")),
    Item("severity", _("Severity")),
]
IMPACT = [
    Item("services_affected", _("Services affected")),
    Item("users_affected", _("Users affected")),
    Item("duration_hours", _("Duration of the disruption (hours)")),
    Item("geographic_spread", _("Geographic spread")),
    Item("estimated_financial_loss_eur", _("Estimated financial loss (€)"), Need.OPTIONAL),
]
SUSPECTED_CAUSE = [
    Item("suspected_malicious", _("Suspected unlawful or malicious act")),
    Item("cross_border", _("Possible cross-border impact")),
]
RECENT_TIMELINE = Item("recent_timeline", _("Latest events"), Need.OPTIONAL)
# Regulation (EU) 2016/679, Art. 33(3), in the order of the CNIL's online form.
GDPR_BREACH = [
    Item("notification_kind", _("Initial or complementary notification")),
    Item("organisation", _("Entity")),
    Item("siren", _("SIREN")),
    Item("contact", _("Contact")),
    Item("dpo_contact", _("Data protection officer's contact")),
    Item("title", _("Incident")),
    Item("occurred_at", _("Breach started at"), Need.OPTIONAL),
    Item("detected_at", _("Detected at")),
    Item("breach_aware_at", _("Aware of the personal data breach at")),
    Item("breach_nature", _("Nature of the breach")),
    Item("description", _("Circumstances of the breach")),
    Item("data_subject_categories", _("Categories of people concerned")),
    Item("data_subjects_count", _("Approximate number of people concerned")),
    Item("record_categories", _("Categories of personal data records concerned")),
    Item("records_count", _("Approximate number of records concerned")),
    Item("likely_consequences", _("Likely consequences")),
    Item("mitigation", _("Measures taken or proposed")),
    Item("delay_reason", _("Reasons for the delay"), Need.WHEN_LATE),
]

STEP_ITEMS: dict[str, list[Item]] = {
    "early_warning": [*IDENTIFICATION, *SUMMARY, *SUSPECTED_CAUSE, Item("description", _("Description"))],
    "notification": [
        *IDENTIFICATION,
        *SUMMARY,
        *SUSPECTED_CAUSE,
        Item("description", _("Initial assessment")),
        *IMPACT,
        Item("indicators_of_compromise", _("Indicators of compromise")),
        Item("mitigation", _("Mitigation so far")),
    ],
    "intermediate": [
        *IDENTIFICATION,
        *SUMMARY,
        Item("status", _("Status")),
        RECENT_TIMELINE,
        Item("mitigation", _("Mitigation so far")),
    ],
    "progress": [
        *IDENTIFICATION,
        *SUMMARY,
        Item("status", _("Status")),
        Item("description", _("Description")),
        *IMPACT,
        Item("mitigation", _("Mitigation applied and ongoing")),
        RECENT_TIMELINE,
    ],
    "final": [
        *IDENTIFICATION,
        *SUMMARY,
        Item("description", _("Detailed description")),
        *IMPACT,
        Item("root_cause_category", _("Type of threat or root cause")),
        Item("root_cause", _("Root cause")),
        Item("attack_technique", _("Attack technique"), Need.OPTIONAL),
        Item("mitigation", _("Mitigation applied and ongoing")),
        Item("cross_border_effects", _("Cross-border impact"), Need.OPTIONAL),
    ],
    "gdpr_breach": GDPR_BREACH,
    # Regulation (EU) 2016/679, Art. 34(2): in clear and plain language, to the people concerned.
    "gdpr_data_subjects": [
        Item("organisation", _("Sender")),
        Item("breach_nature", _("What happened")),
        Item("record_categories", _("Which of your data are concerned"), Need.OPTIONAL),
        Item("likely_consequences", _("What this may mean for you")),
        Item("mitigation", _("What we have done and what we propose")),
        Item("dpo_contact", _("Whom to contact")),
    ],
    # Directive (EU) 2022/2555, Art. 23(1)-(2): to the residents and other recipients of the services.
    "recipients": [
        Item("organisation", _("Sender")),
        Item("description", _("What happened")),
        Item("services_affected", _("Which services are affected")),
        Item("mitigation", _("What we are doing")),
        Item("recipient_actions", _("What you can do")),
        Item("contact", _("Whom to contact")),
    ],
}
INTRODUCTIONS = {
    "gdpr_data_subjects": _(
        "%(organisation)s informs you that personal data concerning you were affected by a security incident. "
        "This letter explains what happened, what it may mean for you, what we have done and whom to contact."
    ),
    "recipients": _(
        "%(organisation)s informs you of a computer security incident that affects some of its services. "
        "This notice explains what happened, which services are affected, what you can do and whom to contact."
    ),
}
GREETING = _("Dear Sir or Madam,")


@dataclass(frozen=True)
class FilingState:
    """The step's filings so far, for the items that depend on them."""

    filed: bool = False  # a filing exists: the next one complements it (the CNIL's form asks which)
    late: bool = False  # filed after the deadline, or the deadline passed without a filing
    delay_reason: str = ""  # the reasons for the delay the latest filing gave


NOT_FILED = FilingState()


@dataclass(frozen=True)
class DraftField:
    key: str
    label: str
    value: str


@dataclass(frozen=True)
class Draft:
    step: str
    fields: list[DraftField]
    missing: list[str]  # labels of expected fields that are still empty
    audience: Audience = Audience.AUTHORITY
    introduction: str = ""  # notices only: the opening lines, in plain language

    def as_json(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "audience": self.audience.value,
            "introduction": self.introduction,
            "fields": {field.key: {"label": field.label, "value": field.value} for field in self.fields},
            "missing": self.missing,
        }


def build_draft(step: str, facts: dict[str, str], *, filing: FilingState = NOT_FILED) -> Draft:
    """``facts`` maps field keys to display strings (empty when unknown); ``filing`` says what was already
    filed for this step, for the items that depend on it."""
    if step not in STEP_ITEMS:
        raise KeyError(step)
    facts = {**facts, **_filing_facts(filing)}
    fields = [DraftField(item.key, str(item.label), facts.get(item.key, "")) for item in STEP_ITEMS[step]]
    expected = {item.key for item in STEP_ITEMS[step] if _is_expected(item.need, filing)}
    missing = [field.label for field in fields if field.key in expected and not field.value.strip()]
    if step not in INTRODUCTIONS:
        return Draft(step=step, fields=fields, missing=missing)
    introduction = str(GREETING) + "\n\n" + str(INTRODUCTIONS[step]) % {"organisation": facts.get("organisation", "")}
    return Draft(step=step, fields=fields, missing=missing, audience=Audience.PEOPLE, introduction=introduction)


def _is_expected(need: Need, filing: FilingState) -> bool:
    return need is Need.REQUIRED or (need is Need.WHEN_LATE and filing.late)


def _filing_facts(filing: FilingState) -> dict[str, str]:
    kind = _("Complementary notification (completes an earlier filing)") if filing.filed else _("Initial notification")
    return {"notification_kind": str(kind), "delay_reason": filing.delay_reason}
