"""Choices of the incident register that other apps show as labels (reports, dashboards).

They live apart from the models so that a reader of another pillar imports labels, not models;
``incidents.models`` keeps its historical names (``Incident.Severity``, ``Verdict``...) as aliases.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nis2.choices import LowToCritical


class Verdict(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


#: The core's four-step scale (``nis2.choices``), the one an action's priority uses too.
Severity = LowToCritical


class RootCauseCategory(models.TextChoices):
    SYSTEM_FAILURE = "system_failure", _("System failure")
    NATURAL_PHENOMENON = "natural_phenomenon", _("Natural phenomenon")
    HUMAN_ERROR = "human_error", _("Human error")
    MALICIOUS_ACTION = "malicious_action", _("Malicious action")
    THIRD_PARTY_FAILURE = "third_party_failure", _("Third-party failure")
    UNDETERMINED = "undetermined", _("Undetermined")
