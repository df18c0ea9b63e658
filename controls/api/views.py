from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from controls import duties, selectors, services
from controls.api import presenters
from controls.api.serializers import (
    ActionSerializer,
    AssessmentCopySerializer,
    AssessmentSerializer,
    DutyCalendarSerializer,
    DutyCompletionSerializer,
    EvidenceSerializer,
    FrameworkSerializer,
    ItemSerializer,
    RequirementSerializer,
    StaleItemSerializer,
)
from controls.filters import ActionFilter
from controls.models import (
    ActionItem,
    Assessment,
    DutyCompletion,
    Evidence,
    Framework,
    RequirementAssessment,
    entity_category_of,
)
from nis2.api.viewsets import HistoryMixin, OrganisationScopedViewSetMixin
from nis2.roles import Resource
from nis2.web import readable_organisation, request_actor


class FrameworkViewSet(viewsets.ReadOnlyModelViewSet[Framework]):
    """Catalogues shared by every organisation (reference data, read-only)."""

    serializer_class = FrameworkSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["code"]

    def get_queryset(self) -> QuerySet[Framework]:
        return selectors.framework_list()

    @extend_schema(
        responses=RequirementSerializer(many=True),
        parameters=[
            OpenApiParameter("applies_to", str, enum=["important", "essential"]),
            OpenApiParameter("art21", str, description="Article 21(2) point, a to j"),
            OpenApiParameter("include_retired", bool),
        ],
    )
    @action(detail=True, methods=["get"])
    def requirements(self, request: Request, pk: str | None = None) -> Response:
        framework = self.get_object()
        queryset = selectors.requirements_shown(
            framework=framework,
            include_retired=request.query_params.get("include_retired") in ("1", "true"),
            applies_to=request.query_params.get("applies_to"),
            art21_point=request.query_params.get("art21"),
        )
        # The viewset's own rows are frameworks: its paginator pages these requirements.
        paginator = self.paginator
        assert paginator is not None  # the API paginates every list (DEFAULT_PAGINATION_CLASS)
        page = paginator.paginate_queryset(queryset, request, view=self)
        return self.get_paginated_response(RequirementSerializer(page, many=True).data)


class AssessmentViewSet(
    HistoryMixin,
    OrganisationScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Assessment],
):
    serializer_class = AssessmentSerializer
    resource = Resource.ASSESSMENT
    filterset_fields = ["organisation", "framework", "status", "label"]
    ordering_fields = ["period_start", "label"]

    def select(self) -> QuerySet[Assessment]:
        return selectors.assessment_list(user=self.request.user)

    def perform_create(self, serializer: BaseSerializer[Assessment]) -> None:
        data = serializer.validated_data
        self.check_organisation_writable(data["organisation"])
        assessment = services.assessment_create(actor=request_actor(self.request), **data)
        serializer.instance = self.get_queryset().get(pk=assessment.pk)

    def perform_destroy(self, instance: Assessment) -> None:
        services.assessment_delete(assessment=instance, actor=request_actor(self.request))

    @extend_schema(request=None, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def validate(self, request: Request, pk: str | None = None) -> Response:
        assessment = services.assessment_validate(assessment=self.get_object(), actor=request_actor(request))
        return Response(self.get_serializer(self.get_queryset().get(pk=assessment.pk)).data)

    @extend_schema(request=AssessmentCopySerializer, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request: Request, pk: str | None = None) -> Response:
        source = self.get_object()
        payload = AssessmentCopySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        copy = services.assessment_copy(assessment=source, actor=request_actor(request), **payload.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=copy.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def scores(self, request: Request, pk: str | None = None) -> Response:
        return Response(presenters.scores(selectors.assessment_scores(self.get_object())))

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def gaps(self, request: Request, pk: str | None = None) -> Response:
        gaps = selectors.assessment_gaps(self.get_object())
        page = self.paginate_queryset(gaps)
        assert page is not None  # the API paginates every list (DEFAULT_PAGINATION_CLASS)
        return self.get_paginated_response([presenters.gap(gap, item) for gap, item in page])

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def comparison(self, request: Request, pk: str | None = None) -> Response:
        comparison = selectors.assessment_comparison(self.get_object())
        return Response(presenters.comparison(comparison))

    @extend_schema(
        parameters=[
            OpenApiParameter("target", str, description="Code of the other framework (default: the first mapped one)")
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def coverage(self, request: Request, pk: str | None = None) -> Response:
        """Coverage of another framework implied by this assessment through the mapping: derived, indicative."""
        assessment = self.get_object()
        code = request.query_params.get("target")
        target = (
            get_object_or_404(selectors.framework_list(), code=code)
            if code
            else selectors.mapped_frameworks(assessment.framework).first()
        )
        if target is None:
            return Response(presenters.coverage(None, []))
        return Response(presenters.coverage(target, selectors.derived_coverage(assessment, target)))


class ItemViewSet(
    HistoryMixin,
    OrganisationScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[RequirementAssessment],
):
    """Requirements as rated in one assessment: ``/assessments/{assessment_pk}/items/``."""

    serializer_class = ItemSerializer
    model = RequirementAssessment
    resource = Resource.ASSESSMENT
    scope_field = "assessment__organisation"
    filterset_fields = ["applicable", "current_level", "owner", "to_confirm"]
    http_method_names = ["get", "patch", "post", "head", "options"]

    def select(self) -> QuerySet[RequirementAssessment]:
        assessment_pk = self.kwargs.get("assessment_pk")
        if assessment_pk is None:
            return selectors.item_list(user=self.request.user)
        items = selectors.items_of_readable_assessment(user=self.request.user, assessment_id=assessment_pk)
        if items is None:
            raise NotFound()
        return items

    def organisation_id_of(self, obj: RequirementAssessment) -> int:
        return obj.assessment.organisation_id

    @extend_schema(
        request=ItemSerializer,
        responses={
            200: ItemSerializer,
            409: OpenApiResponse(
                response=StaleItemSerializer,
                description="Changed by someone since the version sent: nothing saved; here is its current state.",
            ),
        },
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        serializer = self.get_serializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        expected_version = fields.pop("version", None)
        if expected_version is None:
            raise serializers.ValidationError({"version": [serializers.Field.default_error_messages["required"]]})
        try:
            updated = services.item_update(
                item=item, expected_version=expected_version, actor=request_actor(request), **fields
            )
        except services.StaleVersionError as stale:
            current = self.get_queryset().get(pk=stale.item.pk)
            return Response(
                {
                    "detail": presenters.stale_message(),
                    "errors": [{"field": "version", "code": "stale", "message": presenters.stale_message()}],
                    "current": self.get_serializer(current).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=updated.pk)).data)

    @extend_schema(
        request=None,
        responses={201: ActionSerializer, 200: ActionSerializer},
        description="The gap's action: created (201), or the open action that already covers the requirement (200).",
    )
    @action(detail=True, methods=["post"], url_path="create-action")
    def create_action(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        action_item, created = services.action_create_from_gap(item=self.get_object(), actor=request_actor(request))
        found = selectors.action_list(user=request.user).get(pk=action_item.pk)
        return Response(
            ActionSerializer(found, context=self.get_serializer_context()).data, status=201 if created else 200
        )


class EvidenceViewSet(
    HistoryMixin,
    OrganisationScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Evidence],
):
    """Files (size- and type-checked) and links proving a requirement is met."""

    serializer_class = EvidenceSerializer
    resource = Resource.ASSESSMENT
    scope_field = "item__assessment__organisation"
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["item"]

    def select(self) -> QuerySet[Evidence]:
        return selectors.evidence_list(user=self.request.user)

    def organisation_id_of(self, obj: Evidence) -> int:
        return obj.item.assessment.organisation_id

    def perform_create(self, serializer: BaseSerializer[Evidence]) -> None:
        data = serializer.validated_data
        item = data["item"]
        self.check_organisation_writable(item.assessment.organisation)
        serializer.instance = services.evidence_add(
            item=item,
            title=data["title"],
            upload=data.get("file"),
            url=data.get("url", ""),
            actor=request_actor(self.request),
        )

    def perform_destroy(self, instance: Evidence) -> None:
        services.evidence_delete(evidence=instance, actor=request_actor(self.request))

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        evidence = self.get_object()
        if not evidence.file:
            raise NotFound()
        response = FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=evidence.file.name.rsplit("/", 1)[-1],
            content_type=evidence.content_type or "application/octet-stream",
        )
        response["X-Content-SHA256"] = evidence.sha256
        return response


class ActionViewSet(HistoryMixin, OrganisationScopedViewSetMixin, viewsets.ModelViewSet[ActionItem]):
    """The action plan: what will be done, by whom, by when, for which requirements."""

    serializer_class = ActionSerializer
    resource = Resource.ASSESSMENT
    filterset_class = ActionFilter
    ordering_fields = ["due_date", "priority", "status", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def select(self) -> QuerySet[ActionItem]:
        return selectors.action_list(user=self.request.user)

    def perform_create(self, serializer: BaseSerializer[ActionItem]) -> None:
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation")
        self.check_organisation_writable(organisation)
        action_item = services.action_create(organisation=organisation, actor=request_actor(self.request), **data)
        serializer.instance = self.get_queryset().get(pk=action_item.pk)

    def perform_update(self, serializer: BaseSerializer[ActionItem]) -> None:
        data = dict(serializer.validated_data)
        data.pop("organisation", None)
        assert serializer.instance is not None  # an update
        action_item = services.action_update(action=serializer.instance, actor=request_actor(self.request), **data)
        serializer.instance = self.get_queryset().get(pk=action_item.pk)

    def perform_destroy(self, instance: ActionItem) -> None:
        services.action_delete(action=instance, actor=request_actor(self.request))


class DutyCalendarView(APIView):
    """``GET /api/v1/duties/?organisation=ID``: the recurring ReCyF duties the organisation's NIS 2 status
    requires, each with its latest recorded performance, next due date and status, the earliest due first."""

    @extend_schema(parameters=[OpenApiParameter("organisation", int, required=True)], responses=DutyCalendarSerializer)
    def get(self, request: Request) -> Response:
        organisation_id = request.query_params.get("organisation", "")
        if not organisation_id:
            raise ValidationError({"organisation": _("This field is required.")})
        if not organisation_id.isascii() or not organisation_id.isdigit():
            raise ValidationError({"organisation": _("A valid integer is required.")})
        if len(organisation_id) > 18:  # beyond any id, and beyond what the database's integers hold
            raise NotFound()
        organisation = readable_organisation(request.user, int(organisation_id))
        today = timezone.localdate()
        calendar = {
            "organisation": organisation.pk,
            "entity_category": entity_category_of(organisation),
            "due_soon_days": duties.catalogue().due_soon_days,
            "results": selectors.duty_calendar(organisation=organisation, today=today),
        }
        return Response(DutyCalendarSerializer(calendar).data)


class DutyCompletionViewSet(
    HistoryMixin,
    OrganisationScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[DutyCompletion],
):
    """Recorded performances of the recurring ReCyF duties; ``GET /duties/`` gives the calendar they make.
    A performance is recorded, not edited: a mistake is corrected by recording the right date."""

    serializer_class = DutyCompletionSerializer
    resource = Resource.ASSESSMENT
    filterset_fields = ["organisation", "duty"]
    ordering_fields = ["done_on", "created_at"]

    def select(self) -> QuerySet[DutyCompletion]:
        return selectors.duty_completion_list(user=self.request.user)

    def perform_create(self, serializer: BaseSerializer[DutyCompletion]) -> None:
        data = serializer.validated_data
        self.check_organisation_writable(data["organisation"])
        serializer.instance = services.duty_record(
            organisation=data["organisation"],
            duty_code=data["duty"],
            done_on=data["done_on"],
            note=data.get("note", ""),
            actor=request_actor(self.request),
        )
