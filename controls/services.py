"""Writes of the self-assessment and the action plan."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from controls import duties
from controls.models import (
    ActionItem,
    Assessment,
    DutyCompletion,
    EntityCategory,
    Evidence,
    Framework,
    Requirement,
    RequirementAssessment,
    Section,
)
from nis2.clock import add_months
from nis2.history import save_with_author
from nis2.models import Membership, Organisation
from nis2.uploads import check_upload

ITEM_EDITABLE_FIELDS = (
    "applicable",
    "justification",
    "current_level",
    "target_level",
    "owner",
    "comment",
    "alternative_measure",
    "to_confirm",
)


class StaleVersionError(Exception):
    """The item changed since the client read it; nothing was written."""

    def __init__(self, item: RequirementAssessment) -> None:
        self.item = item
        super().__init__(f"item {item.pk} is at version {item.version}")


def entity_category_of(organisation: Organisation) -> str:
    """Essential entities are assessed on every requirement; important entities, and organisations
    assessing themselves voluntarily, on the requirements for important entities."""
    if organisation.nis2_status == Organisation.Nis2StatusChoices.ESSENTIAL:
        return EntityCategory.ESSENTIAL
    return EntityCategory.IMPORTANT


def _ensure_editable(assessment: Assessment) -> None:
    if assessment.is_read_only:
        raise ValidationError(
            _("This assessment is validated and can no longer be changed; start a new one from it instead.")
        )


def _ensure_member(organisation_id: int, user: AbstractBaseUser | None, field: str) -> None:
    if user is not None and not Membership.objects.filter(organisation_id=organisation_id, user=user).exists():
        raise ValidationError({field: _("The owner must be a member of the organisation.")})


@transaction.atomic
def assessment_create(
    *,
    organisation: Organisation,
    framework: Framework,
    label: str,
    period_start: datetime.date,
    period_end: datetime.date,
    actor: AbstractBaseUser | None,
    copied_from: Assessment | None = None,
    information_system: str = "",
) -> Assessment:
    """Create an assessment with one item per active requirement that applies to the organisation's
    NIS 2 status (ReCyF: 76 measures for an important entity, 152 for an essential one)."""
    assessment = Assessment(
        organisation=organisation,
        framework=framework,
        label=label,
        period_start=period_start,
        period_end=period_end,
        entity_category=entity_category_of(organisation),
        copied_from=copied_from,
        information_system=information_system.strip(),
    )
    if Assessment.objects.filter(
        organisation=organisation, framework=framework, label=label, information_system=assessment.information_system
    ).exists():
        raise ValidationError({"label": _("This organisation already has an assessment with this label.")})
    assessment.full_clean()
    assessment._history_user = actor  # type: ignore[attr-defined]
    assessment.save()
    requirements = Requirement.objects.filter(framework=framework).active().applicable_to(assessment.entity_category)
    previous = {item.requirement_id: item for item in copied_from.items.all()} if copied_from is not None else {}
    items = []
    for requirement in requirements:
        item = RequirementAssessment(assessment=assessment, requirement=requirement)
        source = previous.get(requirement.pk)
        if source is not None:
            for name in (
                "applicable",
                "justification",
                "current_level",
                "target_level",
                "owner_id",
                "comment",
                "alternative_measure",
            ):
                setattr(item, name, getattr(source, name))
            # A new campaign (ReCyF asks for a yearly review): each answer carried over waits to be confirmed.
            item.to_confirm = True
        items.append(item)
    bulk_create_with_history(items, RequirementAssessment, default_user=actor)
    return assessment


@transaction.atomic
def assessment_copy(
    *,
    assessment: Assessment,
    label: str,
    period_start: datetime.date,
    period_end: datetime.date,
    actor: AbstractBaseUser,
) -> Assessment:
    """Start the next period from a copy of this assessment's ratings (evidence stays with the original)."""
    return assessment_create(
        organisation=assessment.organisation,
        framework=assessment.framework,
        label=label,
        period_start=period_start,
        period_end=period_end,
        actor=actor,
        copied_from=assessment,
        information_system=assessment.information_system,
    )


@transaction.atomic
def assessment_validate(*, assessment: Assessment, actor: AbstractBaseUser) -> Assessment:
    """Freeze the assessment. Every applicable requirement must have been rated."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _ensure_editable(assessment)
    unrated = list(
        assessment.items.filter(applicable=True, current_level__isnull=True)
        .order_by("requirement__position")
        .values_list("requirement__ref", flat=True)[:10]
    )
    if unrated:
        raise ValidationError(
            _("Rate every applicable requirement before validating; still unrated: %(refs)s.")
            % {"refs": ", ".join(unrated)}
        )
    assessment.status = Assessment.Status.VALIDATED
    assessment.validated_at = timezone.now()
    assessment.validated_by = actor
    assessment._history_user = actor  # type: ignore[attr-defined]
    assessment.save(update_fields=["status", "validated_at", "validated_by", "updated_at"])
    return assessment


@transaction.atomic
def assessment_delete(*, assessment: Assessment, actor: AbstractBaseUser) -> None:
    _ensure_editable(assessment)
    assessment._history_user = actor  # type: ignore[attr-defined]
    assessment.delete()


@transaction.atomic
def item_update(
    *, item: RequirementAssessment, expected_version: int, actor: AbstractBaseUser, **fields: Any
) -> RequirementAssessment:
    """Change an item if nobody else changed it since ``expected_version`` was read
    (optimistic concurrency: a stale write raises StaleVersionError and writes nothing)."""
    unknown = set(fields) - set(ITEM_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    item = RequirementAssessment.objects.select_for_update().select_related("assessment").get(pk=item.pk)
    _ensure_editable(item.assessment)
    if item.version != expected_version:
        raise StaleVersionError(item)
    if "owner" in fields:
        _ensure_member(item.assessment.organisation_id, fields["owner"], "owner")
    for name, value in fields.items():
        setattr(item, name, value)
    if item.applicable is True and "applicable" in fields and "justification" not in fields:
        item.justification = ""
    if "to_confirm" not in fields:
        item.to_confirm = False  # rated or changed: the answer is this campaign's own
    item.full_clean()
    item.version += 1
    item.reviewed_at = timezone.now()
    item._history_user = actor  # type: ignore[attr-defined]
    item.save(update_fields=[*fields, "justification", "to_confirm", "version", "reviewed_at", "updated_at"])
    if item.assessment.status == Assessment.Status.DRAFT:
        assessment = item.assessment
        assessment.status = Assessment.Status.IN_PROGRESS
        assessment._history_user = actor  # type: ignore[attr-defined]
        assessment.save(update_fields=["status", "updated_at"])
    return item


@transaction.atomic
def items_target_level_set(
    *, assessment: Assessment, section: Section, target_level: int, actor: AbstractBaseUser
) -> int:
    """Give every measure of an objective (``section`` and its sub-sections) the same target level; how
    many items changed."""
    return _section_items_update(
        assessment=assessment, section=section, actor=actor, changes={"target_level": target_level}
    )


@transaction.atomic
def items_not_applicable_set(
    *, assessment: Assessment, section: Section, justification: str, actor: AbstractBaseUser
) -> int:
    """Declare every measure of an objective not applicable, for one reason; how many items changed.
    An alternative measure only covers an applicable requirement: it is removed (the history keeps it)."""
    justification = justification.strip()
    if not justification:
        raise ValidationError({"justification": _("Explain why the measures of this objective do not apply.")})
    return _section_items_update(
        assessment=assessment,
        section=section,
        actor=actor,
        changes={"applicable": False, "justification": justification, "alternative_measure": ""},
    )


def _section_items_update(
    *, assessment: Assessment, section: Section, actor: AbstractBaseUser, changes: dict[str, Any]
) -> int:
    """Apply ``changes`` to the items of an objective and its sub-sections, as ``item_update`` would one
    by one: validated, version bumped (a row opened before is then refused as stale), no longer waiting to be
    reconfirmed, recorded in the history with its author. Items already so are left as they are."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _ensure_editable(assessment)
    if section.framework_id != assessment.framework_id:
        raise ValidationError(_("This objective belongs to another framework."))
    requirements = Requirement.objects.filter(Q(section=section) | Q(section__parent=section)).values("pk")
    items = RequirementAssessment.objects.select_for_update(of=("self",)).filter(
        assessment=assessment, requirement__in=requirements
    )
    now = timezone.now()
    changed = []
    for item in items.order_by("requirement__position"):
        if all(getattr(item, name) == value for name, value in changes.items()):
            continue
        for name, value in changes.items():
            setattr(item, name, value)
        item.to_confirm = False
        # The relations are not changed here: checking them would cost a query per item.
        item.full_clean(exclude=["assessment", "requirement", "owner"], validate_constraints=False)
        item.version += 1
        item.reviewed_at = item.updated_at = now
        changed.append(item)
    if changed:
        fields = [*changes, "to_confirm", "version", "reviewed_at", "updated_at"]
        bulk_update_with_history(changed, RequirementAssessment, fields, default_user=actor)
        _mark_in_progress(assessment, actor)
    return len(changed)


def _mark_in_progress(assessment: Assessment, actor: AbstractBaseUser) -> None:
    if assessment.status == Assessment.Status.DRAFT:
        assessment.status = Assessment.Status.IN_PROGRESS
        save_with_author(assessment, actor, update_fields=["status", "updated_at"])


@transaction.atomic
def evidence_add(
    *,
    item: RequirementAssessment,
    title: str,
    actor: AbstractBaseUser,
    upload: UploadedFile | None = None,
    url: str = "",
) -> Evidence:
    _ensure_editable(item.assessment)
    if (upload is None) == (not url):
        raise ValidationError(_("Give either a file or a link."))
    evidence = Evidence(item=item, title=title, url=url, added_by=actor)
    if upload is not None:
        try:
            checked = check_upload(upload)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        evidence.content_type, evidence.size, evidence.sha256 = checked.content_type, checked.size, checked.sha256
        evidence.file.save(upload.name, upload, save=False)
    evidence.full_clean()
    evidence._history_user = actor  # type: ignore[attr-defined]
    evidence.save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, actor: AbstractBaseUser) -> None:
    _ensure_editable(evidence.item.assessment)
    evidence._history_user = actor  # type: ignore[attr-defined]
    # The file stays: the history row of the deletion still refers to it (nis2/stored_files.py).
    evidence.delete()


ACTION_FIELDS = (
    "title",
    "description",
    "owner",
    "due_date",
    "priority",
    "status",
    "estimated_cost_eur",
    "effort_days",
    "progress_note",
    "assessment",
)
# An action made from a gap is due three months later unless its owner says otherwise (Rempart's
# design choice: one quarter, the rhythm of the executives' report).
GAP_ACTION_DELAY_MONTHS = 3


@transaction.atomic
def action_create(
    *,
    organisation: Organisation,
    actor: AbstractBaseUser,
    requirements: list[Requirement] | None = None,
    **fields: Any,
) -> ActionItem:
    action = ActionItem(organisation=organisation, **fields)
    _ensure_member(organisation.pk, action.owner, "owner")
    if action.assessment is not None and action.assessment.organisation_id != organisation.pk:
        raise ValidationError({"assessment": _("The assessment belongs to another organisation.")})
    if action.status == ActionItem.Status.DONE:
        action.completed_at = timezone.now()
    action.full_clean()
    action._history_user = actor  # type: ignore[attr-defined]
    action.save()
    if requirements:
        action.requirements.set(requirements)
    return action


@transaction.atomic
def action_update(
    *, action: ActionItem, actor: AbstractBaseUser, requirements: list[Requirement] | None = None, **fields: Any
) -> ActionItem:
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    if "owner" in fields:
        _ensure_member(action.organisation_id, fields["owner"], "owner")
    was_done = action.status == ActionItem.Status.DONE
    for name, value in fields.items():
        setattr(action, name, value)
    if action.status == ActionItem.Status.DONE and not was_done:
        action.completed_at = timezone.now()
    elif action.status != ActionItem.Status.DONE:
        action.completed_at = None
    action.full_clean()
    action._history_user = actor  # type: ignore[attr-defined]
    action.save()
    if requirements is not None:
        action.requirements.set(requirements)
    return action


@transaction.atomic
def action_create_from_gap(*, item: RequirementAssessment, actor: AbstractBaseUser) -> tuple[ActionItem, bool]:
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
    actor: AbstractBaseUser | None,
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
    completion = DutyCompletion(organisation=organisation, duty=duty.code, done_on=done_on, note=note)
    save_with_author(completion, actor)
    return completion
