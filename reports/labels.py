"""Words for the codes a snapshot holds, in the language of the report being rendered.

A snapshot keeps codes (``"availability"``, ``"migrate"``, ``"submitted_late"``) so that it renders in French or
English; these functions give the reader's words, taken from the pillars' own choices so that one label exists
per code."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dependencies.choices import Strategy
from incidents import taxonomy
from incidents.choices import RootCauseCategory, Severity, Verdict
from nis2.models import Organisation
from reports.models import Approval

OBLIGATION_STATUS_LABELS = {
    "submitted": gettext_lazy("Submitted on time"),
    "submitted_late": gettext_lazy("Submitted late"),
    "overdue": gettext_lazy("Overdue"),
    "pending": gettext_lazy("Pending"),
    "due_soon": gettext_lazy("Due soon"),
    "due_now": gettext_lazy("Due now, without undue delay"),
    "not_required": gettext_lazy("Not required"),
}
NIS2_STATUS_LABELS = {status.value: status.label for status in Organisation.Nis2StatusChoices}


def _choice(choices: type, code: str | None, empty: str = "—") -> str:
    if not code:
        return empty
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def obligation_status(code: str) -> str:
    return str(OBLIGATION_STATUS_LABELS.get(code, code))


def nis2_status(code: str) -> str:
    return str(NIS2_STATUS_LABELS.get(code, code))


def incident_category(code: str) -> str:
    return taxonomy.label(code) if code else "—"


def severity(code: str) -> str:
    return _choice(Severity, code)


def yes_no_unknown(code: str) -> str:
    return _choice(Verdict, code)


def root_cause(code: str) -> str:
    return _choice(RootCauseCategory, code, empty=_("Not known yet"))


def strategy(code: str | None) -> str:
    return _choice(Strategy, code, empty=_("None chosen"))


def exposure(level: int) -> str:
    """E0–E4 in words: how far a component rests on a vendor subject to non-European law."""
    return str(
        {
            0: _("not exposed"),
            1: _("slightly exposed"),
            2: _("partly exposed"),
            3: _("exposed"),
            4: _("fully exposed"),
        }.get(level, level)
    )


def approval_subject(code: str) -> str:
    return _choice(Approval.Subject, code)


def act_type(code: str) -> str:
    return _choice(Approval.ActType, code)


def assembly_body(code: str) -> str:
    return _choice(Approval.Body, code)
