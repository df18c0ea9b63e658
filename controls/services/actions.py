"""Writes of the action plan and of the recurring duties performed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from controls import duties
from controls.models import (
    ACTION_EDITABLE_FIELDS,
    ActionItem,
    Assessment,
    DutyCompletion,
    Requirement,
    RequirementAssessment,
    entity_category_of,
)
from controls.services.updates import ensure_member
from nis2.clock import add_months
from nis2.history import UNCHANGED, Unchanged, given, model_create, model_delete, model_update
from nis2.models import Organisation

ACTION_FIELDS = ACTION_EDITABLE_FIELDS
# An action made from a gap is due three months later unless its owner says otherwise (Rempart's
# design choice: one quarter, the rhythm of the executives' report).
GAP_ACTION_DELAY_MONTHS = 3


@transaction.atomic
def action_create(
    *,
    organisation: Organisation,
    actor: User | None,
    title: str,
    owner: User | None = None,
    due_date: datetime.date | None = None,
    status: str = ActionItem.Status.OPEN,
    priority: str = ActionItem.Priority.MEDIUM,
    effort_days: Decimal | None = None,
    estimated_cost_eur: Decimal | None = None,
    description: str = "",
    progress_note: str = "",
    assessment: Assessment | None = None,
    requirements: list[Requirement] | None = None,
) -> ActionItem:
    action = ActionItem(
        organisation=organisation,
        title=title,
        owner=owner,
        due_date=due_date,
        status=status,
        priority=priority,
        effort_days=effort_days,
        estimated_cost_eur=estimated_cost_eur,
        description=description,
        progress_note=progress_note,
        assessment=assessment,
    )
    ensure_member(organisation.pk, owner, "owner")
    if assessment is not None and assessment.organisation_id != organisation.pk:
        raise ValidationError({"assessment": _("The assessment belongs to another organisation.")})
    if status == ActionItem.Status.DONE:
        action.completed_at = timezone.now()
    model_create(action, actor=actor)
    if requirements:
        action.requirements.set(requirements)
    return action


@transaction.atomic
def action_update(
    *,
    action: ActionItem,
    actor: User,
    title: str | Unchanged = UNCHANGED,
    owner: User | Unchanged | None = UNCHANGED,
    due_date: datetime.date | Unchanged | None = UNCHANGED,
    status: str | Unchanged = UNCHANGED,
    priority: str | Unchanged = UNCHANGED,
    effort_days: Decimal | Unchanged | None = UNCHANGED,
    estimated_cost_eur: Decimal | Unchanged | None = UNCHANGED,
    description: str | Unchanged = UNCHANGED,
    progress_note: str | Unchanged = UNCHANGED,
    assessment: Assessment | Unchanged | None = UNCHANGED,
    requirements: list[Requirement] | None = None,
) -> ActionItem:
    """Change the fields given; ``requirements`` (when given) replace the action's measures. Done records
    when; reopened forgets it."""
    changes = given(
        {
            "title": title,
            "owner": owner,
            "due_date": due_date,
            "status": status,
            "priority": priority,
            "effort_days": effort_days,
            "estimated_cost_eur": estimated_cost_eur,
            "description": description,
            "progress_note": progress_note,
            "assessment": assessment,
        }
    )
    if owner is not UNCHANGED:
        ensure_member(action.organisation_id, owner, "owner")
    new_status = action.status if status is UNCHANGED else status
    if new_status != ActionItem.Status.DONE:
        changes["completed_at"] = None
    elif action.status != ActionItem.Status.DONE:
        changes["completed_at"] = timezone.now()
    model_update(action, actor=actor, data=changes)
    if requirements is not None:
        action.requirements.set(requirements)
    return action


@transaction.atomic
def action_delete(*, action: ActionItem, actor: User) -> None:
    model_delete(action, actor=actor)


@transaction.atomic
def action_create_from_gap(*, item: RequirementAssessment, actor: User) -> tuple[ActionItem, bool]:
    """One click from a gap to its action: (action, created). A gap has one action: when an open
    action of the organisation already covers the requirement, that one is returned, not a copy."""
    requirement = item.requirement
    organisation = item.assessment.organisation
    existing = (
        ActionItem.objects.filter(organisation=organisation, requirements=requirement).open().order_by("pk").first()
    )
    if existing is not None:
        return existing, False
    action = action_create(
        organisation=organisation,
        actor=actor,
        requirements=[requirement],
        assessment=item.assessment,
        title=(
            _("Reach level %(target)s on %(ref)s — %(title)s")
            % {"target": item.target_level, "ref": requirement.ref, "title": requirement.title}
        )[:200],
        description=_("Current level: %(current)s. Target level: %(target)s.")
        % {"current": item.current_level if item.current_level is not None else "—", "target": item.target_level},
        owner=item.owner,
        due_date=add_months(timezone.localdate(), GAP_ACTION_DELAY_MONTHS),
        priority=ActionItem.Priority.HIGH
        if item.target_level - (item.current_level or 0) >= 3
        else ActionItem.Priority.MEDIUM,
    )
    return action, True


@transaction.atomic
def duty_record(
    *,
    organisation: Organisation,
    duty_code: str,
    done_on: datetime.date,
    note: str = "",
    actor: User | None,
) -> DutyCompletion:
    """Record that a recurring ReCyF duty was performed (``controls.duties``); the calendar's next date follows
    from the latest performance. Only a duty the organisation's NIS 2 status requires, and not in the future."""
    duty = duties.duty_by_code(duty_code)
    if duty is None:
        raise ValidationError({"duty": _("This is not one of the recurring duties.")})
    if not duty.applies_to_category(entity_category_of(organisation)):
        raise ValidationError({"duty": _("This duty applies to essential entities only.")})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("A duty cannot be recorded as done on a future date.")})
    return model_create(
        DutyCompletion(organisation=organisation, duty=duty.code, done_on=done_on, note=note), actor=actor
    )
