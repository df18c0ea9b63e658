from __future__ import annotations

import datetime
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from controls import selectors as controls_selectors
from dependencies import selectors as dependencies_selectors
from incidents import selectors, taxonomy
from incidents.filing_changes import filing_changes, filing_values
from incidents.lifecycle import cause_unknown_too_long
from incidents.models import (
    EDITABLE_FIELDS,
    Attachment,
    CalendarFeed,
    CorrectiveAction,
    Filing,
    Incident,
    Obligation,
    TimelineEntry,
)
from nis2.api.fields import ScopedPrimaryKeyRelatedField, StrictDateTimeField, StrictTimesModelSerializer
from nis2.api.write_scope import OrganisationWriteScopeMixin
from nis2.models import Organisation

User = get_user_model()


class FilingChangeSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    before = serializers.CharField(allow_null=True)
    after = serializers.CharField(allow_null=True)


class FilingSerializer(StrictTimesModelSerializer):
    filed_by = serializers.CharField(source="filed_by.username", read_only=True, default=None)
    supersedes: serializers.PrimaryKeyRelatedField[Filing] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    changes = serializers.SerializerMethodField()

    @extend_schema_field(FilingChangeSerializer(many=True))
    def get_changes(self, filing: Filing) -> list[dict[str, str | None]]:
        """For a correction, what differs from the filing it corrects, field by field (read from the
        obligation's filings already loaded)."""
        if filing.supersedes_id is None:
            return []
        previous = next((other for other in filing.obligation.filings.all() if other.pk == filing.supersedes_id), None)
        if previous is None:
            return []
        return [
            {"field": change.field, "before": _plain(change.before), "after": _plain(change.after)}
            for change in filing_changes(filing_values(previous), filing_values(filing))
        ]

    class Meta:
        model = Filing
        fields = [
            "id",
            "submitted_at",
            "channel",
            "reference",
            "delay_reason",
            "filed_by",
            "supersedes",
            "changes",
            "recorded_at",
        ]


def _plain(value: object) -> str | None:
    if isinstance(value, datetime.datetime):
        text: str = StrictDateTimeField().to_representation(value)
        return text
    return None if value is None else str(value)


class ObligationSerializer(StrictTimesModelSerializer):
    authority = serializers.CharField(source="authority.code", read_only=True)
    authority_name = serializers.CharField(source="authority.name", read_only=True)
    legal_basis = serializers.CharField(source="rule.legal_basis", read_only=True)
    status = serializers.SerializerMethodField()
    submitted_at = serializers.SerializerMethodField()
    satisfied_by = serializers.SerializerMethodField()
    reference = serializers.SerializerMethodField()
    filings = FilingSerializer(many=True, read_only=True)

    class Meta:
        model = Obligation
        fields = [
            "id",
            "step",
            "authority",
            "authority_name",
            "legal_basis",
            "window_start",
            "due_at",
            "provisional",
            "status",
            "submitted_at",
            "satisfied_by",
            "reference",
            "requested_at",
            "request_note",
            "not_required",
            "not_required_rationale",
            "decided_at",
            "filings",
        ]
        read_only_fields = fields

    def _view(self, obligation: Obligation) -> selectors.ObligationView:
        # The serializer's context is the view's dictionary: one computation per incident and response.
        context = cast(dict[str, dict[int, selectors.ObligationView]], self.context)
        views = context.setdefault("_obligation_views", {})
        if obligation.pk not in views:
            for view in selectors.obligation_views(obligation.incident, now=timezone.now()):
                views[view.obligation.pk] = view
        return views[obligation.pk]

    def get_status(self, obligation: Obligation) -> str:
        return self._view(obligation).status.value

    def get_submitted_at(self, obligation: Obligation) -> str | None:
        moment = self._view(obligation).submitted_at
        return StrictDateTimeField().to_representation(moment) if moment else None

    def get_satisfied_by(self, obligation: Obligation) -> str | None:
        return self._view(obligation).satisfied_by

    def get_reference(self, obligation: Obligation) -> str:
        latest = [filing for filing in obligation.filings.all() if filing.reference]
        return latest[-1].reference if latest else ""


class ObligationUpdateSerializer(serializers.Serializer[Any]):
    """Record a filing (``submitted_at``, ``reference``, ``channel``, ``delay_reason`` when it is late) or a
    decision not to report."""

    submitted_at = StrictDateTimeField(required=False)
    reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    channel = serializers.ChoiceField(choices=Filing.Channel.choices, required=False)
    delay_reason = serializers.CharField(required=False, allow_blank=True)
    not_required = serializers.BooleanField(required=False)
    not_required_rationale = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("not_required"):
            if "submitted_at" in attrs:
                raise serializers.ValidationError(
                    {"not_required": _("Either file the report or decide it is not required.")}
                )
        elif "submitted_at" not in attrs:
            raise serializers.ValidationError({"submitted_at": _("Give the time the report was submitted.")})
        return attrs


class IntermediateRequestSerializer(serializers.Serializer[Any]):
    requested_at = StrictDateTimeField()
    due_at = StrictDateTimeField(deadline=True)
    note = serializers.CharField(required=False, allow_blank=True)


class TimelineEntrySerializer(StrictTimesModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True, default=None)
    occurred_at = StrictDateTimeField(required=False)

    class Meta:
        model = TimelineEntry
        fields = ["id", "occurred_at", "recorded_at", "author", "kind", "text"]
        read_only_fields = ["recorded_at"]


class IncidentListSerializer(StrictTimesModelSerializer):
    organisation = ScopedPrimaryKeyRelatedField(scope="pk", queryset=Organisation.objects.all())
    category = serializers.ChoiceField(choices=[])
    next_deadline = serializers.SerializerMethodField()
    cause_unknown_after_30_days = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id",
            "organisation",
            "title",
            "status",
            "category",
            "subcategory",
            "severity",
            "is_exercise",
            "detected_at",
            "aware_at",
            "significant",
            "personal_data_breach",
            "root_cause_category",
            "next_deadline",
            "cause_unknown_after_30_days",
        ]
        read_only_fields = ["status"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        category = fields["category"]
        assert isinstance(category, serializers.ChoiceField)  # declared above
        category.choices = [entry.tag for entry in taxonomy.classes()]
        return fields

    def get_next_deadline(self, incident: Incident) -> dict[str, Any] | None:
        view = selectors.next_deadline(selectors.obligation_views(incident, now=timezone.now()))
        if view is None:
            return None
        return {
            "step": view.obligation.step,
            "due_at": StrictDateTimeField().to_representation(view.obligation.due_at),
            "status": view.status.value,
        }

    def get_cause_unknown_after_30_days(self, incident: Incident) -> bool:
        return cause_unknown_too_long(
            aware_at=incident.aware_at,
            detected_at=incident.detected_at,
            root_cause_identified=incident.root_cause_identified,
            now=timezone.now(),
        )


class IncidentSerializer(OrganisationWriteScopeMixin, IncidentListSerializer):
    implicated_requirements = serializers.PrimaryKeyRelatedField(
        queryset=controls_selectors.requirement_choices(), many=True, required=False
    )
    affected_components = ScopedPrimaryKeyRelatedField(
        scope="organisation", queryset=dependencies_selectors.component_choices(), many=True, required=False
    )
    root_cause_component = ScopedPrimaryKeyRelatedField(
        scope="organisation", queryset=dependencies_selectors.component_choices(), allow_null=True, required=False
    )
    obligations = ObligationSerializer(many=True, read_only=True)
    proposed_significance = serializers.SerializerMethodField()

    class Meta(IncidentListSerializer.Meta):
        fields = [
            *IncidentListSerializer.Meta.fields,
            *(name for name in EDITABLE_FIELDS if name not in IncidentListSerializer.Meta.fields),
            "contained_at",
            "resolved_at",
            "closed_at",
            "obligations",
            "proposed_significance",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "contained_at",
            "resolved_at",
            "closed_at",
            "root_cause_identified_at",
            "created_at",
            "updated_at",
        ]

    def get_proposed_significance(self, incident: Incident) -> dict[str, Any]:
        proposal = selectors.incident_proposal(incident)
        return {"verdict": proposal.verdict, "criteria": list(proposal.criteria), "missing": list(proposal.missing)}


class IncidentDetailSerializer(IncidentSerializer):
    recurring_with = serializers.SerializerMethodField()

    class Meta(IncidentSerializer.Meta):
        fields = [*IncidentSerializer.Meta.fields, "recurring_with"]

    def get_recurring_with(self, incident: Incident) -> list[int]:
        return selectors.recurring_incidents(incident)


class TransitionSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=Incident.Status.choices)
    at = StrictDateTimeField(required=False)


class CorrectiveActionSerializer(OrganisationWriteScopeMixin, serializers.ModelSerializer[CorrectiveAction]):
    owner = ScopedPrimaryKeyRelatedField(
        scope="memberships__organisation", queryset=User.objects.all(), allow_null=True, required=False
    )
    add_to_action_plan = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = CorrectiveAction
        fields = ["id", "incident", "title", "owner", "due_date", "status", "plan_action", "add_to_action_plan"]
        read_only_fields = ["incident", "plan_action"]

    def organisation_written_id(self, attrs: dict[str, Any]) -> int | None:
        # Created under /incidents/{incident_pk}/: the incident comes from the URL, through the view.
        incident = self.instance.incident if self.instance is not None else self.context["view"].incident()
        return int(incident.organisation_id)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A new action starts open (incidents.services.corrective_action_create); its progress is recorded
        # afterwards, by a PATCH of the status.
        attrs = super().validate(attrs)
        if self.instance is None:
            status = attrs.pop("status", CorrectiveAction.Status.OPEN)
            if status != CorrectiveAction.Status.OPEN:
                raise serializers.ValidationError(
                    {"status": _("A new corrective action is open: change its status once it is created.")}
                )
        return attrs


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    file = serializers.FileField(write_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True, default=None)

    class Meta:
        model = Attachment
        fields = ["id", "incident", "title", "file", "content_type", "size", "sha256", "uploaded_by", "created_at"]
        read_only_fields = ["incident", "content_type", "size", "sha256", "created_at"]


class CalendarFeedSerializer(serializers.ModelSerializer[CalendarFeed]):
    organisation = ScopedPrimaryKeyRelatedField(scope="pk", queryset=Organisation.objects.all())
    url = serializers.SerializerMethodField()

    class Meta:
        model = CalendarFeed
        fields = ["id", "organisation", "url", "created_at", "updated_at"]

    def get_url(self, feed: CalendarFeed) -> str:
        request = self.context.get("request")
        path = reverse("incident-calendar", kwargs={"token": feed.token})
        return request.build_absolute_uri(path) if request else path
