from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework import serializers

from nis2.api.fields import ScopedPrimaryKeyRelatedField
from nis2.api.write_scope import PEOPLE_SCOPE, OrganisationWriteScopeMixin
from nis2.models import Organisation
from reports import selectors
from reports.models import Approval, Report, Training
from reports.services import UNKNOWN_OBJECT


class ReportSerializer(serializers.ModelSerializer[Report]):
    organisation = ScopedPrimaryKeyRelatedField(scope="pk", queryset=Organisation.objects.all())
    pdf_url = serializers.SerializerMethodField()
    odt_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "organisation",
            "kind",
            "period",
            "period_start",
            "period_end",
            "language",
            "consolidated",
            "version",
            "status",
            "progress",
            "error",
            "sha256",
            "generated_at",
            "pdf_url",
            "odt_url",
            "created_at",
        ]
        read_only_fields = [
            "period_start",
            "period_end",
            "version",
            "status",
            "progress",
            "error",
            "sha256",
            "generated_at",
            "created_at",
        ]
        validators: list[object] = []

    def get_pdf_url(self, report: Report) -> str | None:
        return reverse("report-pdf", kwargs={"pk": report.pk}) if report.status == Report.Status.DONE else None

    def get_odt_url(self, report: Report) -> str | None:
        """The draft délibération (annual reports), editable in any office suite."""
        ready = report.status == Report.Status.DONE and report.kind == Report.Kind.ANNUAL
        return reverse("report-odt", kwargs={"pk": report.pk}) if ready else None


Recorded = TypeVar("Recorded", Approval, Training)


class GovernanceSerializer(serializers.ModelSerializer[Recorded]):
    """A row of the management body's register: its organisation, and who recorded it."""

    organisation = ScopedPrimaryKeyRelatedField(scope="pk", queryset=Organisation.objects.all())
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True, default=None)


class ApprovalSerializer(GovernanceSerializer[Approval]):
    """An approval of the management body (NIS 2 Art. 20(1)). ``object_id`` names what is approved: the
    assessment for the security measures (optional: the current assessment), the action plan and the
    statement of applicability; the report for a report."""

    object_id = serializers.IntegerField(
        write_only=True,
        required=False,
        allow_null=True,
        min_value=1,
        help_text="Id of the assessment or of the report approved; optional for the security measures.",
    )
    act_file = serializers.FileField(write_only=True, required=False, help_text="The signed act, a PDF.")
    act_url = serializers.SerializerMethodField()

    class Meta:
        model = Approval
        fields = [
            "id",
            "organisation",
            "subject",
            "object_id",
            "assessment",
            "report",
            "act_type",
            "act_reference",
            "decided_on",
            "body",
            "act_file",
            "act_url",
            "act_sha256",
            "approved_state",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["assessment", "report", "act_sha256", "approved_state", "created_at"]

    def get_act_url(self, approval: Approval) -> str | None:
        return reverse("approval-act", kwargs={"pk": approval.pk}) if approval.act_file else None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """``object_id`` read as the subject says: an assessment or a report of the organisation written,
        any other id (another organisation's included) refused as an unknown one."""
        object_id = attrs.pop("object_id", None)
        if object_id is None:
            return attrs
        organisation = attrs["organisation"]
        if attrs["subject"] == Approval.Subject.REPORT:
            found: Any = selectors.approvable_reports(organisation_id=organisation.pk).filter(pk=object_id).first()
            attrs["report"] = found
        else:
            found = (
                selectors.approvable_assessments(user=self.context["request"].user, organisation_id=organisation.pk)
                .filter(pk=object_id)
                .first()
            )
            attrs["assessment"] = found
        if found is None:
            raise serializers.ValidationError({"object_id": [UNKNOWN_OBJECT % {"pk": object_id}]})
        return attrs


class TrainingSerializer(OrganisationWriteScopeMixin, GovernanceSerializer[Training]):
    """A training of a member of the management body (NIS 2 Art. 20(2)): ``person`` (a member's user id) or
    ``person_name`` (an assembly member without an account), one of the two."""

    person = ScopedPrimaryKeyRelatedField(
        scope=PEOPLE_SCOPE, queryset=get_user_model().objects.all(), allow_null=True, required=False
    )
    person_display = serializers.CharField(source="display_name", read_only=True)
    attestation = serializers.FileField(write_only=True, required=False, help_text="A PDF or an image.")
    attestation_url = serializers.SerializerMethodField()

    class Meta:
        model = Training
        fields = [
            "id",
            "organisation",
            "person",
            "person_name",
            "person_display",
            "course",
            "provider",
            "completed_on",
            "hours",
            "attestation",
            "attestation_url",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def get_attestation_url(self, training: Training) -> str | None:
        return reverse("training-attestation", kwargs={"pk": training.pk}) if training.attestation else None
