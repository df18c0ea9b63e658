from __future__ import annotations

from typing import TypeVar

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from dependencies import selectors, services, tabular
from dependencies.api.presenters import index_payload
from dependencies.api.serializers import ComponentSerializer, DomainSerializer, LegalEntitySerializer, ProductSerializer
from dependencies.models import Component, Domain, LegalEntity, Product
from nis2 import spreadsheets
from nis2.api.viewsets import HistoryMixin, OrganisationScopedViewSetMixin
from nis2.roles import Resource
from nis2.web import readable_organisation, request_actor

Row = TypeVar("Row")


class DomainViewSet(viewsets.ReadOnlyModelViewSet[Domain]):
    """The 18 domains of a local authority's information system (reference data)."""

    serializer_class = DomainSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[Domain]:
        return selectors.domain_list()


class LegalEntityViewSet(viewsets.ReadOnlyModelViewSet[LegalEntity]):
    """Vendors, operators and hosts with their ownership chain: the shared catalogue and the
    organisation's own additions."""

    serializer_class = LegalEntitySerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["country"]
    search_fields = ["name"]

    def get_queryset(self) -> QuerySet[LegalEntity]:
        return selectors.legal_entity_list(user=self.request.user).order_by("name")


class ProductViewSet(viewsets.ReadOnlyModelViewSet[Product]):
    serializer_class = ProductSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["licence_model", "domains__code"]

    def get_queryset(self) -> QuerySet[Product]:
        return selectors.product_list(user=self.request.user).order_by("name")


class ComponentViewSet(HistoryMixin, OrganisationScopedViewSetMixin, viewsets.ModelViewSet[Component]):
    serializer_class = ComponentSerializer
    resource = Resource.DEPENDENCY
    filterset_fields = ["organisation", "domain__code", "strategy", "deployment"]
    ordering_fields = ["name", "annual_cost_eur", "contract_end", "criticality"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def select(self) -> QuerySet[Component]:
        return selectors.component_list(user=self.request.user)

    def filter_queryset(self, queryset: QuerySet[Component, Row]) -> QuerySet[Component, Row]:
        queryset = super().filter_queryset(queryset)
        if self.action != "list":
            return queryset
        return selectors.with_score(
            queryset,
            today=timezone.localdate(),
            exposure=self.request.query_params.get("exposure", ""),
            dependency_class=self.request.query_params.get("class", ""),
        )

    def perform_create(self, serializer: BaseSerializer[Component]) -> None:
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation")
        self.check_organisation_writable(organisation)
        component = services.component_create(organisation=organisation, actor=request_actor(self.request), **data)
        serializer.instance = selectors.component_get(user=self.request.user, pk=component.pk)

    def perform_update(self, serializer: BaseSerializer[Component]) -> None:
        data = dict(serializer.validated_data)
        data.pop("organisation", None)
        assert serializer.instance is not None  # an update has the instance it changes
        component = services.component_update(component=serializer.instance, actor=request_actor(self.request), **data)
        serializer.instance = selectors.component_get(user=self.request.user, pk=component.pk)

    def perform_destroy(self, instance: Component) -> None:
        services.component_delete(component=instance, actor=request_actor(self.request))

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["csv", "xlsx"]), OpenApiParameter("organisation", int)],
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request: Request) -> HttpResponse:
        """Components in the import format; with no component, the header alone."""
        fmt = request.query_params.get("format", "csv")
        if fmt not in ("csv", "xlsx"):
            raise ValidationError({"format": _("Expected csv or xlsx.")})
        rows = services.component_rows(list(self.filter_queryset(self.get_queryset())))
        content = tabular.write_xlsx(rows) if fmt == "xlsx" else tabular.write_csv(rows)
        return spreadsheets.attachment(content, file_format=fmt, name="components")

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "ComponentImport", {"organisation": serializers.IntegerField(), "file": serializers.FileField()}
            )
        },
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_file(self, request: Request) -> Response:
        """CSV or XLSX, all or nothing: 400 with every error by row and column, or 200 with the counts."""
        organisation_id = request.data.get("organisation") if isinstance(request.data, dict) else None
        upload = request.FILES.get("file")
        if not organisation_id or upload is None:
            raise ValidationError({"file" if upload is None else "organisation": _("This field is required.")})
        # Any text may be posted as the organisation: only a whole number can name one.
        organisation = (
            selectors.readable_organisation_or_none(user=request.user, organisation_id=int(organisation_id))
            if str(organisation_id).isascii() and str(organisation_id).isdigit() and len(str(organisation_id)) <= 18
            else None
        )
        if organisation is None:
            raise ValidationError(
                {"organisation": _("Invalid pk “%(pk)s” - object does not exist.") % {"pk": organisation_id}}
            )
        self.check_organisation_writable(organisation)
        try:
            report = services.components_import(
                organisation=organisation,
                actor=request_actor(request),
                content=upload.read(tabular.MAX_BYTES + 1),  # enough to tell the file is too large
                filename=upload.name or "",
            )
        except tabular.FileRejected as rejected:
            return Response(
                {
                    "detail": _("The file was rejected; nothing was imported."),
                    "errors": [
                        {"row": error.row, "field": error.column, "code": "invalid", "message": error.message}
                        for error in rejected.errors
                    ],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {
                "created": len(report.created),
                "updated": len(report.updated),
                "unchanged": len(report.unchanged),
                "catalogue_added": report.catalogue_added,
            }
        )


class DependencyIndexView(APIView):
    """``GET /api/v1/dependency-index/?organisation=ID``: the aggregates of one organisation, per domain
    and overall, with the decision windows. For an intercommunality, ``include=shared`` adds the
    anonymised aggregate of the member communes that opted in."""

    @extend_schema(
        parameters=[
            OpenApiParameter("organisation", int, required=True),
            OpenApiParameter("include", str, enum=["shared"]),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        organisation_id = request.query_params.get("organisation", "")
        if not organisation_id.isdigit():
            raise ValidationError({"organisation": _("This field is required.")})
        organisation = readable_organisation(request.user, int(organisation_id))
        today = timezone.localdate()
        components = selectors.organisation_components(user=request.user, organisation=organisation)
        records = selectors.records(selectors.scored(components, today=today))
        payload = index_payload(records, today=today)
        payload["organisation"] = organisation.pk
        if request.query_params.get("include") == "shared":
            shared_components = selectors.shared_components(organisation)
            shared_records = selectors.records(selectors.scored(shared_components, today=today))
            payload["shared"] = {
                "organisations": selectors.shared_children(organisation).count(),
                **{
                    key: value
                    for key, value in index_payload(shared_records, today=today).items()
                    if key != "decision_windows"
                },
            }
        return Response(payload)
