from rest_framework import serializers

from nis2.api.fields import ScopedPrimaryKeyRelatedField
from nis2.models import Organisation
from reports.models import Report


class ReportSerializer(serializers.ModelSerializer[Report]):
    organisation = ScopedPrimaryKeyRelatedField(scope="pk", queryset=Organisation.objects.all())
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "organisation",
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
        from django.urls import reverse

        return reverse("report-pdf", kwargs={"pk": report.pk}) if report.status == Report.Status.DONE else None
