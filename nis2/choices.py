"""Choices that mean the same thing in several pillars, declared once in the core.

Each pillar keeps its own name for them as an alias (``Incident.Severity``, ``ActionItem.Priority``,
``ActionItem.Status``, ``CorrectiveAction.Status``): the values, labels and msgids are the ones the
pillars declared, so the migrations and translations are unchanged.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LowToCritical(models.TextChoices):
    """The four-step scale of how much something matters: an incident's severity, an action's priority."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class ActionStatus(models.TextChoices):
    """Where an action stands: an entry of the action plan, an incident's corrective action (which may
    join the action plan)."""

    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    ABANDONED = "abandoned", _("Abandoned")
