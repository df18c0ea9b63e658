from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from nis2.api.permissions import RoleWritePermission
from nis2.api.viewsets import HistoryMixin, OrganisationScopedViewSetMixin
from nis2.roles import Resource
from nis2.web import request_actor
from reports import selectors, services
from reports.api.serializers import ApprovalSerializer, ReportSerializer, TrainingSerializer
from reports.deliberation import ODT_MIME_TYPE
from reports.models import Approval, Report, Training

Recorded = TypeVar("Recorded", Approval, Training)


class ReportRequestPermission(RoleWritePermission):
    """A request is decided in ``create``, once its organisation and kind are known: an executive may ask
    for a consolidated report although the roles table gives them no write on reports."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(view, "action", None) == "create":
            return True
        return super().has_permission(request, view)


class ReportViewSet(
    HistoryMixin,
    OrganisationScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Report],
):
    """Quarterly reports. POST queues a new version (202); GET shows its status and progress;
    ``pdf/`` streams the immutable PDF with its SHA-256 in ``X-Content-SHA256``."""

    serializer_class = ReportSerializer
    resource = Resource.REPORT
    permission_classes = [IsAuthenticated, ReportRequestPermission]
    filterset_fields = ["organisation", "kind", "period", "language", "status", "consolidated"]

    def select(self) -> QuerySet[Report]:
        return selectors.report_list()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not data.get("consolidated", False):
            self.check_organisation_writable(data["organisation"])
        # A consolidated request is checked by the service (admins and executives of the organisation).
        report = services.report_request(
            organisation=data["organisation"],
            period=data["period"],
            language=data.get("language", "fr"),
            consolidated=data.get("consolidated", False),
            kind=data.get("kind", Report.Kind.QUARTERLY),
            actor=request_actor(request),
        )
        report.refresh_from_db()
        return Response(self.get_serializer(report).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str | None = None) -> FileResponse:
        report = self.get_object()
        if report.status != Report.Status.DONE or not report.pdf:
            raise NotFound()
        response = FileResponse(
            report.pdf.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=report.pdf.name.rsplit("/", 1)[-1],
        )
        response["X-Content-SHA256"] = report.sha256
        return response

    @extend_schema(responses={(200, ODT_MIME_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def odt(self, request: Request, pk: str | None = None) -> FileResponse:
        """The draft délibération of an annual report, as an OpenDocument text."""
        report = self.get_object()
        if report.status != Report.Status.DONE or not report.odt:
            raise NotFound()
        return _file_response(report.odt, content_type=ODT_MIME_TYPE)


def _file_response(field: Any, *, content_type: str | None = None) -> FileResponse:
    if not field:
        raise NotFound()
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=field.name.rsplit("/", 1)[-1], content_type=content_type
    )


class GovernanceViewSet(
    HistoryMixin,
    OrganisationScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Recorded],
):
    """The management body's register (NIS 2 Art. 20), files uploaded with their rows: a creation is made by
    the app's service (``record``) once the organisation written is checked, and the response shows the row
    the service recorded."""

    resource = Resource.GOVERNANCE
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def record(self, data: dict[str, Any], *, actor: User) -> Recorded:
        raise NotImplementedError

    def perform_create(self, serializer: BaseSerializer[Recorded]) -> None:
        data = serializer.validated_data
        self.check_organisation_writable(data["organisation"])
        serializer.instance = self.record(data, actor=request_actor(self.request))


class ApprovalViewSet(GovernanceViewSet[Approval]):
    """The management body's approvals (NIS 2 Art. 20(1)): recorded, listed, never changed nor deleted (no PUT,
    PATCH or DELETE); a later approval of a subject supersedes the earlier one. ``act/`` downloads the signed
    act with its SHA-256 in ``X-Content-SHA256``."""

    serializer_class = ApprovalSerializer
    model = Approval
    filterset_fields = ["organisation", "subject"]

    def select(self) -> QuerySet[Approval]:
        return selectors.approval_list()

    def record(self, data: dict[str, Any], *, actor: User) -> Approval:
        try:
            return services.approval_record(
                organisation=data["organisation"],
                subject=data["subject"],
                assessment=data.get("assessment"),
                report=data.get("report"),
                act_type=data["act_type"],
                act_reference=data["act_reference"],
                decided_on=data["decided_on"],
                body=data["body"],
                act_file=data.get("act_file"),
                actor=actor,
            )
        except DjangoValidationError as error:
            # The API names what is approved ``object_id``, whichever of the two the service checked.
            raise serializers.ValidationError(
                {
                    ("object_id" if field in ("assessment", "report") else field): messages
                    for field, messages in error.message_dict.items()
                }
            ) from error

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def act(self, request: Request, pk: str | None = None) -> FileResponse:
        approval = self.get_object()
        response = _file_response(approval.act_file, content_type="application/pdf")
        response["X-Content-SHA256"] = approval.act_sha256
        return response


class TrainingViewSet(mixins.DestroyModelMixin, GovernanceViewSet[Training]):
    """Trainings of the management body's members (NIS 2 Art. 20(2)). A deletion keeps the history and shows
    in the organisation's deleted records. ``attestation/`` downloads the attestation."""

    serializer_class = TrainingSerializer
    model = Training
    filterset_fields = ["organisation", "person"]

    def select(self) -> QuerySet[Training]:
        return selectors.training_list()

    def record(self, data: dict[str, Any], *, actor: User) -> Training:
        return services.training_record(
            organisation=data["organisation"],
            person=data.get("person"),
            person_name=data.get("person_name", ""),
            course=data["course"],
            provider=data["provider"],
            completed_on=data["completed_on"],
            hours=data["hours"],
            attestation=data.get("attestation"),
            actor=actor,
        )

    def perform_destroy(self, instance: Training) -> None:
        services.training_delete(training=instance, actor=request_actor(self.request))

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def attestation(self, request: Request, pk: str | None = None) -> FileResponse:
        return _file_response(self.get_object().attestation)
