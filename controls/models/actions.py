"""The action plan and the recurring duties performed."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from controls.models.assessment import Assessment
from controls.models.catalogue import Requirement
from nis2.choices import ActionStatus, LowToCritical
from nis2.models import (
    OrganisationScopedModel,
    OrganisationScopedQuerySet,
    TimestampedModel,
    optional_quantity_field,
    user_field,
)

#: What a person (web form, API, services) may change on an action, in the form's order; every one but the
#: assessment is shown in the action's history.
ACTION_EDITABLE_FIELDS = (
    "title",
    "owner",
    "due_date",
    "status",
    "priority",
    "effort_days",
    "estimated_cost_eur",
    "description",
    "progress_note",
    "assessment",
)


class ActionItemQuerySet(OrganisationScopedQuerySet):
    def open(self) -> ActionItemQuerySet:
        return self.filter(status__in=ActionItem.OPEN_STATUSES)

    def overdue(self, *, today: datetime.date) -> ActionItemQuerySet:
        return self.open().filter(due_date__lt=today)


ActionItemManager = models.Manager.from_queryset(ActionItemQuerySet)


class ActionItem(OrganisationScopedModel):
    """An entry of the organisation's security action plan (ReCyF 2.C.2)."""

    Priority = LowToCritical
    Status = ActionStatus

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    requirements = models.ManyToManyField(
        Requirement, verbose_name=_("requirements"), blank=True, related_name="actions"
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    owner = user_field(_("owner"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    estimated_cost_eur = optional_quantity_field(_("estimated cost (€)"), max_digits=12, decimal_places=2)
    effort_days = optional_quantity_field(_("effort (person-days)"), max_digits=6, decimal_places=1)
    progress_note = models.TextField(_("progress note"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[requirements])
    objects: ClassVar[ActionItemManager[ActionItem]] = ActionItemManager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["organisation", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, *, today: datetime.date) -> bool:
        return self.status in self.OPEN_STATUSES and self.due_date is not None and self.due_date < today


class DutyCompletion(OrganisationScopedModel):
    """One performance of a recurring ReCyF duty (``controls.duties``): the calendar's next date
    follows from the latest one."""

    duty = models.CharField(_("duty"), max_length=32)
    done_on = models.DateField(_("done on"))
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("duty performed")
        verbose_name_plural = _("duties performed")
        ordering = ["organisation", "duty", "-done_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "duty", "-done_on"], name="duty_latest")]

    def __str__(self) -> str:
        return f"{self.duty} {self.done_on}"


class DutyReminder(TimestampedModel):
    """A reminder sent for one due date of one duty, so that each threshold is mailed once."""

    class Threshold(models.TextChoices):
        SOON = "soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    organisation = models.ForeignKey(
        "nis2.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    duty = models.CharField(_("duty"), max_length=32)
    due_on = models.DateField(_("due on"))
    threshold = models.CharField(_("threshold"), max_length=8, choices=Threshold.choices)

    class Meta:
        verbose_name = _("duty reminder")
        verbose_name_plural = _("duty reminders")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "duty", "due_on", "threshold"], name="duty_reminder_once")
        ]
