from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from controls import duties
from controls.maturity import MAX_LEVEL, MIN_LEVEL
from controls.models import (
    ACTION_EDITABLE_FIELDS,
    ITEM_EDITABLE_FIELDS,
    ActionItem,
    Assessment,
    ChecklistItem,
    DutyCompletion,
    Evidence,
    Framework,
    Requirement,
    RequirementAssessment,
)
from nis2.api.fields import ScopedPrimaryKeyRelatedField
from nis2.api.schema import ErrorSerializer
from nis2.api.write_scope import OrganisationWriteScopeMixin
from nis2.bilingual import localized
from nis2.models import Organisation
from nis2.periods import parse_quarter, quarter_of

User = get_user_model()


class FrameworkSerializer(serializers.ModelSerializer[Framework]):
    name = serializers.CharField(read_only=True)
    requirement_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Framework
        fields = [
            "id",
            "code",
            "version",
            "name",
            "name_fr",
            "name_en",
            "publisher",
            "published_on",
            "source_url",
            "requirement_count",
        ]


class ChecklistItemSerializer(serializers.ModelSerializer[ChecklistItem]):
    class Meta:
        model = ChecklistItem
        fields = ["ref", "text_fr", "text_en"]


class RequirementSerializer(serializers.ModelSerializer[Requirement]):
    section = serializers.CharField(source="section.ref", read_only=True)
    applies_to = serializers.SerializerMethodField()
    art21_points = serializers.SerializerMethodField()
    checklist_items = ChecklistItemSerializer(many=True, read_only=True)
    retired = serializers.SerializerMethodField()

    class Meta:
        model = Requirement
        fields = [
            "id",
            "ref",
            "section",
            "title_fr",
            "title_en",
            "statement_fr",
            "statement_en",
            "applies_to",
            "art21_points",
            "weight",
            "checklist_items",
            "retired",
        ]

    def get_applies_to(self, requirement: Requirement) -> list[str]:
        return [
            name
            for name, flag in (
                ("important", requirement.applies_to_important),
                ("essential", requirement.applies_to_essential),
            )
            if flag
        ]

    def get_art21_points(self, requirement: Requirement) -> list[str]:
        return list(requirement.art21_points)

    def get_retired(self, requirement: Requirement) -> bool:
        return requirement.retired_at is not None


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    framework = serializers.PrimaryKeyRelatedField(queryset=Framework.objects.all())
    organisation = ScopedPrimaryKeyRelatedField(scope="pk", queryset=Organisation.objects.all())
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)
    applicable_count = serializers.IntegerField(read_only=True)
    assessed_count = serializers.IntegerField(read_only=True)
    validated_by = serializers.CharField(source="validated_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "organisation",
            "framework",
            "label",
            "information_system",
            "period_start",
            "period_end",
            "entity_category",
            "status",
            "validated_at",
            "validated_by",
            "copied_from",
            "applicable_count",
            "assessed_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["entity_category", "status", "validated_at", "copied_from"]
        validators: list[Any] = []  # uniqueness is checked by the service, with a clear message

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return with_period(attrs)


def with_period(attrs: dict[str, Any]) -> dict[str, Any]:
    """Without explicit dates, the period is the quarter the label names ("2026-T4"), else the current one."""
    if "period_start" not in attrs or "period_end" not in attrs:
        quarter = parse_quarter(attrs.get("label", "")) or quarter_of(timezone.localdate())
        attrs.setdefault("period_start", quarter.start)
        attrs.setdefault("period_end", quarter.end)
    if attrs["period_end"] < attrs["period_start"]:
        raise serializers.ValidationError({"period_end": _("The period cannot end before it starts.")})
    return attrs


class AssessmentCopySerializer(serializers.Serializer[Any]):
    label = serializers.CharField(max_length=64)  # type: ignore[assignment]  # shadows Field.label in the DRF stubs
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return with_period(attrs)


class EvidenceSerializer(serializers.ModelSerializer[Evidence]):
    item = ScopedPrimaryKeyRelatedField(scope="assessment__organisation", queryset=RequirementAssessment.objects.all())
    file = serializers.FileField(required=False, write_only=True)
    url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    download_url = serializers.SerializerMethodField()
    file_name = serializers.SerializerMethodField()
    added_by = serializers.CharField(source="added_by.username", read_only=True, default=None)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "item",
            "title",
            "file",
            "file_name",
            "url",
            "download_url",
            "content_type",
            "size",
            "sha256",
            "added_by",
            "created_at",
        ]
        read_only_fields = ["content_type", "size", "sha256", "created_at"]

    def get_download_url(self, evidence: Evidence) -> str | None:
        if not evidence.file:
            return None
        return reverse("evidence-download", kwargs={"pk": evidence.pk})

    def get_file_name(self, evidence: Evidence) -> str | None:
        name = evidence.file.name  # a file field is true when it has a name
        return name.rsplit("/", 1)[-1] if name else None


class ItemSerializer(OrganisationWriteScopeMixin, serializers.ModelSerializer[RequirementAssessment]):
    requirement = RequirementSerializer(read_only=True)
    owner = ScopedPrimaryKeyRelatedField(
        scope="memberships__organisation", queryset=User.objects.all(), allow_null=True, required=False
    )
    current_level = serializers.IntegerField(min_value=MIN_LEVEL, max_value=MAX_LEVEL, allow_null=True, required=False)
    target_level = serializers.IntegerField(min_value=MIN_LEVEL, max_value=MAX_LEVEL, required=False)
    version = serializers.IntegerField(help_text="The version you read; a stale one gives 409 and changes nothing.")
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = RequirementAssessment
        fields = [
            "id",
            "assessment",
            "requirement",
            *ITEM_EDITABLE_FIELDS,
            "reviewed_at",
            "version",
            "evidence",
            "updated_at",
        ]
        read_only_fields = ["assessment", "reviewed_at", "updated_at"]

    def organisation_written_id(self, attrs: dict[str, Any]) -> int | None:
        return None if self.instance is None else self.instance.assessment.organisation_id


class ActionSerializer(OrganisationWriteScopeMixin, serializers.ModelSerializer[ActionItem]):
    organisation = ScopedPrimaryKeyRelatedField(scope="pk", queryset=Organisation.objects.all())
    requirements = serializers.PrimaryKeyRelatedField(queryset=Requirement.objects.all(), many=True, required=False)
    owner = ScopedPrimaryKeyRelatedField(
        scope="memberships__organisation", queryset=User.objects.all(), allow_null=True, required=False
    )
    assessment = ScopedPrimaryKeyRelatedField(
        scope="organisation", queryset=Assessment.objects.all(), allow_null=True, required=False
    )
    requirement_refs = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "organisation",
            *ACTION_EDITABLE_FIELDS,
            "requirements",
            "requirement_refs",
            "completed_at",
            "overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["completed_at", "created_at", "updated_at"]

    def get_requirement_refs(self, action: ActionItem) -> list[str]:
        return [requirement.ref for requirement in action.requirements.all()]

    def get_overdue(self, action: ActionItem) -> bool:
        return action.is_overdue(today=timezone.localdate())


class DutyCompletionSerializer(serializers.ModelSerializer[DutyCompletion]):
    organisation = ScopedPrimaryKeyRelatedField(scope="pk", queryset=Organisation.objects.all())
    duty = serializers.ChoiceField(
        choices=[duty.code for duty in duties.all_duties()],
        help_text="The recurring duty's code (GET /duties/ lists those the organisation owes).",
    )

    class Meta:
        model = DutyCompletion
        fields = ["id", "organisation", "duty", "done_on", "note", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class DutyCalendarEntrySerializer(serializers.Serializer[Any]):
    """One duty of an organisation's calendar, from its latest recorded performance."""

    duty = serializers.CharField(source="duty.code")
    recyf_ref = serializers.CharField(source="duty.recyf_ref")
    title = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    applies_to = serializers.CharField(
        source="duty.applies_to", help_text="EI/EE: important and essential entities; EE: essential entities only."
    )
    every_months = serializers.IntegerField(source="duty.every_months")
    reference = serializers.CharField(source="duty.source", help_text="The text that sets the duty and its period.")
    last_done_on = serializers.DateField(allow_null=True)
    last_done_by = serializers.CharField(help_text="Who recorded the latest performance; empty when unknown.")
    next_due_on = serializers.DateField(source="next_due", help_text="A duty never recorded is due today.")
    status = serializers.CharField(help_text="never_done, overdue, due_soon (within due_soon_days) or on_track.")
    status_label = serializers.CharField(source="status.label")

    def get_title(self, row: Any) -> str:
        return localized(row.duty, "title")

    def get_description(self, row: Any) -> str:
        return localized(row.duty, "description")


class DutyCalendarSerializer(serializers.Serializer[Any]):
    organisation = serializers.IntegerField()
    entity_category = serializers.CharField(help_text="important or essential: the status that selects the duties.")
    due_soon_days = serializers.IntegerField(help_text="Rempart's window before a due date, not ReCyF's.")
    results = DutyCalendarEntrySerializer(many=True)


class StaleItemSerializer(ErrorSerializer):
    """The 409 answer to a PATCH with a stale ``version``: the error, and the item as it now stands."""

    current = ItemSerializer()
