"""Writes of the self-assessment: assessments, their items (one by one or an objective at once), evidence."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from controls.models import (
    ITEM_EDITABLE_FIELDS,
    Assessment,
    Evidence,
    Framework,
    Requirement,
    RequirementAssessment,
    Section,
    entity_category_of,
)
from controls.services.updates import ensure_member
from nis2.history import UNCHANGED, Unchanged, given, model_create, model_delete, model_update
from nis2.models import Organisation
from nis2.uploads import check_upload

# What a new campaign carries over from the previous one (each answer then waits to be reconfirmed).
CARRIED_OVER_FIELDS = tuple(
    "owner_id" if name == "owner" else name for name in ITEM_EDITABLE_FIELDS if name != "to_confirm"
)


class StaleVersionError(Exception):
    """The item changed since the client read it; nothing was written."""

    def __init__(self, item: RequirementAssessment) -> None:
        self.item = item
        super().__init__(f"item {item.pk} is at version {item.version}")


def _ensure_editable(assessment: Assessment) -> None:
    if assessment.is_read_only:
        raise ValidationError(
            _("This assessment is validated and can no longer be changed; start a new one from it instead.")
        )


@transaction.atomic
def assessment_create(
    *,
    organisation: Organisation,
    framework: Framework,
    label: str,
    period_start: datetime.date,
    period_end: datetime.date,
    actor: User | None,
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
    model_create(assessment, actor=actor)
    requirements = Requirement.objects.filter(framework=framework).active().applicable_to(assessment.entity_category)
    previous = {item.requirement_id: item for item in copied_from.items.all()} if copied_from is not None else {}
    items = []
    for requirement in requirements:
        item = RequirementAssessment(assessment=assessment, requirement=requirement)
        source = previous.get(requirement.pk)
        if source is not None:
            for name in CARRIED_OVER_FIELDS:
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
    actor: User,
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
def assessment_validate(*, assessment: Assessment, actor: User) -> Assessment:
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
    model_update(
        assessment,
        actor=actor,
        data={"status": Assessment.Status.VALIDATED, "validated_at": timezone.now(), "validated_by": actor},
    )
    return assessment


@transaction.atomic
def assessment_delete(*, assessment: Assessment, actor: User) -> None:
    _ensure_editable(assessment)
    model_delete(assessment, actor=actor)


@transaction.atomic
def item_update(
    *,
    item: RequirementAssessment,
    expected_version: int,
    actor: User,
    applicable: bool | Unchanged = UNCHANGED,
    justification: str | Unchanged = UNCHANGED,
    current_level: int | Unchanged | None = UNCHANGED,
    target_level: int | Unchanged = UNCHANGED,
    owner: User | Unchanged | None = UNCHANGED,
    comment: str | Unchanged = UNCHANGED,
    alternative_measure: str | Unchanged = UNCHANGED,
    to_confirm: bool | Unchanged = UNCHANGED,
) -> RequirementAssessment:
    """Change an item if nobody else changed it since ``expected_version`` was read
    (optimistic concurrency: a stale write raises StaleVersionError and writes nothing). Every call is a
    review: the version and the review time move even when no answer changed."""
    changes = given(
        {
            "applicable": applicable,
            "justification": justification,
            "current_level": current_level,
            "target_level": target_level,
            "owner": owner,
            "comment": comment,
            "alternative_measure": alternative_measure,
            "to_confirm": to_confirm,
        }
    )
    item = RequirementAssessment.objects.select_for_update().select_related("assessment").get(pk=item.pk)
    _ensure_editable(item.assessment)
    if item.version != expected_version:
        raise StaleVersionError(item)
    if owner is not UNCHANGED:
        ensure_member(item.assessment.organisation_id, owner, "owner")
    if applicable is True and justification is UNCHANGED:
        changes["justification"] = ""
    changes.setdefault("to_confirm", False)  # rated or changed: the answer is this campaign's own
    item.version += 1
    item.reviewed_at = timezone.now()
    model_update(item, actor=actor, data=changes, also_save=("version", "reviewed_at"))
    _mark_in_progress(item.assessment, actor)
    return item


@transaction.atomic
def items_target_level_set(*, assessment: Assessment, section: Section, target_level: int, actor: User) -> int:
    """Give every measure of an objective (``section`` and its sub-sections) the same target level; how
    many items changed."""
    return _section_items_update(
        assessment=assessment, section=section, actor=actor, changes={"target_level": target_level}
    )


@transaction.atomic
def items_not_applicable_set(*, assessment: Assessment, section: Section, justification: str, actor: User) -> int:
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


def _section_items_update(*, assessment: Assessment, section: Section, actor: User, changes: dict[str, object]) -> int:
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


def _mark_in_progress(assessment: Assessment, actor: User) -> None:
    """A draft is under way once one of its items is answered (a status change alone: nothing to validate)."""
    if assessment.status == Assessment.Status.DRAFT:
        model_update(assessment, actor=actor, data={"status": Assessment.Status.IN_PROGRESS}, validate=False)


@transaction.atomic
def evidence_add(
    *,
    item: RequirementAssessment,
    title: str,
    actor: User,
    upload: UploadedFile[bytes] | None = None,
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
        evidence.file.save(upload.name or "", upload, save=False)
    return model_create(evidence, actor=actor)


@transaction.atomic
def evidence_delete(*, evidence: Evidence, actor: User) -> None:
    _ensure_editable(evidence.item.assessment)
    # The file stays: the history row of the deletion still refers to it (nis2/stored_files.py).
    model_delete(evidence, actor=actor)
