"""Pre-filled content of each report, as the authority asks for it at that stage, with what is missing.

Directive (EU) 2022/2555, Art. 23(4): (a) early warning — whether the incident is suspected of being
caused by unlawful or malicious acts and whether it could have a cross-border impact; (b) notification —
an update of the early warning, an initial assessment with severity and impact, and indicators of
compromise where available; (c) intermediate report — status updates on request; (d) final report —
a detailed description with severity and impact, the type of threat or root cause, the mitigation
applied and ongoing, and the cross-border impact; (e) progress report when the incident is ongoing.
Regulation (EU) 2016/679, Art. 33(3): nature of the breach, categories and approximate number of people
and records concerned, contact point, likely consequences, measures taken or proposed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

# (field key, label) per step; every field listed is expected by the authority at that stage.
IDENTIFICATION = [
    ("organisation", _("Entity")),
    ("siren", _("SIREN")),
    ("nis2_status", _("NIS 2 status")),
    ("contact", _("Contact")),
]
SUMMARY = [
    ("title", _("Incident")),
    ("detected_at", _("Detected at")),
    ("aware_at", _("Aware of significance at")),
    ("category", _("Category (RSIT)")),
    ("severity", _("Severity")),
]
IMPACT = [
    ("services_affected", _("Services affected")),
    ("users_affected", _("Users affected")),
    ("duration_hours", _("Duration of the disruption (hours)")),
    ("geographic_spread", _("Geographic spread")),
    ("estimated_financial_loss_eur", _("Estimated financial loss (€)")),
]

STEP_FIELDS: dict[str, list[tuple[str, Any]]] = {
    "early_warning": IDENTIFICATION
    + SUMMARY
    + [
        ("suspected_malicious", _("Suspected unlawful or malicious act")),
        ("cross_border", _("Possible cross-border impact")),
        ("description", _("Description")),
    ],
    "notification": IDENTIFICATION
    + SUMMARY
    + [
        ("suspected_malicious", _("Suspected unlawful or malicious act")),
        ("cross_border", _("Possible cross-border impact")),
        ("description", _("Initial assessment")),
        *IMPACT,
        ("indicators_of_compromise", _("Indicators of compromise")),
        ("mitigation", _("Mitigation so far")),
    ],
    "intermediate": IDENTIFICATION
    + SUMMARY
    + [("status", _("Status")), ("recent_timeline", _("Latest events")), ("mitigation", _("Mitigation so far"))],
    "progress": IDENTIFICATION
    + SUMMARY
    + [
        ("status", _("Status")),
        ("description", _("Description")),
        *IMPACT,
        ("mitigation", _("Mitigation applied and ongoing")),
        ("recent_timeline", _("Latest events")),
    ],
    "final": IDENTIFICATION
    + SUMMARY
    + [
        ("description", _("Detailed description")),
        *IMPACT,
        ("root_cause_category", _("Type of threat or root cause")),
        ("root_cause", _("Root cause")),
        ("attack_technique", _("Attack technique")),
        ("mitigation", _("Mitigation applied and ongoing")),
        ("cross_border_effects", _("Cross-border impact")),
    ],
    "gdpr_breach": IDENTIFICATION
    + [
        ("title", _("Incident")),
        ("detected_at", _("Detected at")),
        ("aware_at", _("Aware at")),
        ("description", _("Nature of the breach")),
        ("users_affected", _("Approximate number of people concerned")),
        ("likely_consequences", _("Likely consequences")),
        ("mitigation", _("Measures taken or proposed")),
    ],
}
OPTIONAL = {"attack_technique", "cross_border_effects", "estimated_financial_loss_eur", "recent_timeline"}


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

    def as_json(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "fields": {field.key: {"label": field.label, "value": field.value} for field in self.fields},
            "missing": self.missing,
        }


def build_draft(step: str, facts: dict[str, str]) -> Draft:
    """``facts`` maps field keys to display strings (empty when unknown)."""
    if step not in STEP_FIELDS:
        raise KeyError(step)
    fields = [DraftField(key, str(label), facts.get(key, "")) for key, label in STEP_FIELDS[step]]
    missing = [field.label for field in fields if not field.value.strip() and field.key not in OPTIONAL]
    return Draft(step=step, fields=fields, missing=missing)
