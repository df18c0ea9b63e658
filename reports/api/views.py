from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from nis2.api.permissions import RoleWritePermission
from nis2.api.viewsets import HistoryMixin, OrganisationScopedViewSetMixin
from nis2.roles import Resource
from reports import services
from reports.api.serializers import ReportSerializer
from reports.models import Report


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
    viewsets.GenericViewSet,
):
    """Quarterly reports. POST queues a new version (202); GET shows its status and progress;
    ``pdf/`` streams the immutable PDF with its SHA-256 in ``X-Content-SHA256``."""

    serializer_class = ReportSerializer
    resource = Resource.REPORT
    permission_classes = [IsAuthenticated, ReportRequestPermission]
    filterset_fields = ["organisation", "period", "language", "status", "consolidated"]

    def select(self) -> QuerySet[Report]:
        return Report.objects.select_related("organisation").defer("snapshot").order_by("-period", "-version")

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
            actor=request.user,
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
