from __future__ import annotations

import datetime
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from incidents import draft_selectors, selectors, services
from incidents.api.serializers import (
    AttachmentSerializer,
    CalendarFeedSerializer,
    CorrectiveActionSerializer,
    IncidentDetailSerializer,
    IncidentListSerializer,
    IncidentSerializer,
    IntermediateRequestSerializer,
    ObligationSerializer,
    ObligationUpdateSerializer,
    TimelineEntrySerializer,
    TransitionSerializer,
)
from incidents.draft_document import render_draft_pdf
from incidents.models import Attachment, CalendarFeed, CorrectiveAction, Incident, IncidentQuerySet, Obligation, Step
from nis2.api.filters import StrictDateTimeFilter
from nis2.api.viewsets import HistoryMixin, OrganisationScopedViewSetMixin
from nis2.clock import PARIS
from nis2.event_time import validate_deadline_time
from nis2.roles import Resource
from nis2.web import request_actor


class IncidentFilter(filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type hints
    detected_after = StrictDateTimeFilter(field_name="detected_at", lookup_expr="gte")
    detected_before = StrictDateTimeFilter(field_name="detected_at", lookup_expr="lt")

    class Meta:
        model = Incident
        fields = [
            "organisation",
            "status",
            "category",
            "subcategory",
            "severity",
            "significant",
            "personal_data_breach",
            "is_exercise",
        ]


def _day_start(text: str | None, field: str) -> datetime.datetime | None:
    if not text:
        return None
    try:
        day = parse_date(text)
    except ValueError:  # well formed, but no such day: 30 February, month 13
        day = None
    if day is None:
        raise serializers.ValidationError({field: _("Expected a date as YYYY-MM-DD.")})
    moment = datetime.datetime.combine(day, datetime.time(), tzinfo=PARIS)
    try:
        validate_deadline_time(moment, now=timezone.now())
    except DjangoValidationError as error:
        raise serializers.ValidationError({field: error.messages}) from None
    return moment


class IncidentViewSet(
    HistoryMixin,
    OrganisationScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Incident],
):
    """The incident register. Status changes go through ``transition``; reports through ``obligations``."""

    resource = Resource.INCIDENT
    filterset_class = IncidentFilter
    ordering_fields = ["detected_at", "severity", "status", "title"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def select(self) -> QuerySet[Incident]:
        return selectors.incident_list(user=self.request.user)

    def get_serializer_class(self) -> type[BaseSerializer[Incident]]:
        if self.action == "list":
            return IncidentListSerializer
        if self.action == "retrieve":
            return IncidentDetailSerializer
        return IncidentSerializer

    def reloaded(self, incident: Incident) -> Incident:
        """The incident as the register lists it (annotated), after a change."""
        reloaded: Incident = get_object_or_404(self.get_queryset(), pk=incident.pk)
        return reloaded

    def perform_create(self, serializer: BaseSerializer[Incident]) -> None:
        data = dict(serializer.validated_data)
        organisation = data.pop("organisation")
        self.check_organisation_writable(organisation)
        incident = services.incident_create(organisation=organisation, actor=request_actor(self.request), **data)
        serializer.instance = self.reloaded(incident)

    def perform_update(self, serializer: BaseSerializer[Incident]) -> None:
        data = dict(serializer.validated_data)
        data.pop("organisation", None)
        assert serializer.instance is not None  # an update
        incident = services.incident_update(incident=serializer.instance, actor=request_actor(self.request), **data)
        serializer.instance = self.reloaded(incident)

    @extend_schema(request=TransitionSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        incident = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        incident = services.incident_transition(
            incident=incident,
            actor=request_actor(request),
            status=payload.validated_data["status"],
            at=payload.validated_data.get("at"),
        )
        return Response(IncidentSerializer(self.reloaded(incident), context=self.get_serializer_context()).data)

    @extend_schema(request=TimelineEntrySerializer, responses=TimelineEntrySerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def timeline(self, request: Request, pk: str | None = None) -> Response:
        incident = self.get_object()
        if request.method == "POST":
            payload = TimelineEntrySerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            entry = services.timeline_add(incident=incident, actor=request_actor(request), **payload.validated_data)
            return Response(TimelineEntrySerializer(entry).data, status=status.HTTP_201_CREATED)
        entries = selectors.timeline_of(incident)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(TimelineEntrySerializer(page, many=True).data)

    @extend_schema(request=IntermediateRequestSerializer, responses=ObligationSerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None)  # a handful per incident: a plain list
    def obligations(self, request: Request, pk: str | None = None) -> Response:
        """GET the incident's reports; POST records an intermediate report requested by the authority."""
        incident = self.get_object()
        if request.method == "POST":
            payload = IntermediateRequestSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            obligation = services.obligation_request_intermediate(
                incident=incident, actor=request_actor(request), **payload.validated_data
            )
            created = get_object_or_404(selectors.obligations_of(incident), pk=obligation.pk)
            return Response(ObligationSerializer(created).data, status=status.HTTP_201_CREATED)
        return Response(ObligationSerializer(selectors.obligations_of(incident), many=True).data)

    @extend_schema(
        responses={(200, "application/json"): OpenApiTypes.OBJECT, (200, "application/pdf"): OpenApiTypes.BINARY}
    )
    @action(detail=True, methods=["get"], url_path=r"drafts/(?P<step>[a-z_]+)\.(?P<fmt>json|pdf)")
    def drafts(self, request: Request, pk: str | None = None, step: str = "", fmt: str = "json") -> HttpResponse:
        """Pre-filled content of a report at this stage, with the fields still missing."""
        incident = self.get_object()
        if step not in Step.values:
            raise NotFound(_("Unknown report “%(step)s”.") % {"step": step})
        draft = draft_selectors.incident_draft(incident, step, now=timezone.now())
        if fmt == "json":
            return Response(draft.as_json())
        pdf = render_draft_pdf(
            draft,
            step_label=str(Step(step).label),
            incident_title=incident.title,
            authority=selectors.draft_recipient(incident, step),
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="incident-{incident.pk}-{step}.pdf"'
        return response

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description="YYYY-MM-DD"),
            OpenApiParameter("to", str, description="YYYY-MM-DD (excluded)"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["get"])
    def stats(self, request: Request) -> Response:
        """Statistics over the readable organisations' real incidents (exercises excluded)."""
        queryset = cast(IncidentQuerySet, self.filter_queryset(self.get_queryset()))
        result = selectors.incident_stats(
            queryset,
            start=_day_start(request.query_params.get("from"), "from"),
            end=_day_start(request.query_params.get("to"), "to"),
            now=timezone.now(),
        )
        return Response({**result.__dict__, "root_cause_identified_share": result.root_cause_identified_share})


class IncidentChildViewSetMixin(OrganisationScopedViewSetMixin):
    """Objects listed under ``/incidents/{incident_pk}/...``."""

    resource = Resource.INCIDENT
    scope_field = "incident__organisation"

    def incident(self) -> Incident:
        incident = selectors.readable_incident(user=self.request.user, incident_id=self.kwargs["incident_pk"])
        if incident is None:
            raise NotFound()
        return incident

    def organisation_id_of(self, obj: Any) -> int:
        return int(obj.incident.organisation_id)

    def check_permissions(self, request: Request) -> None:
        if getattr(self, "swagger_fake_view", False):
            return
        self.incident()  # an incident the user cannot read does not exist for them: 404 before any 403
        super().check_permissions(request)


class ObligationViewSet(
    IncidentChildViewSetMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet[Obligation]
):
    """``PATCH`` records a submission (``submitted_at``, ``reference``) or a justified decision not to report."""

    serializer_class = ObligationSerializer
    model = Obligation
    http_method_names = ["get", "patch", "head", "options"]

    def select(self) -> QuerySet[Obligation]:
        return selectors.obligations_of(self.incident())

    @extend_schema(request=ObligationUpdateSerializer, responses=ObligationSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obligation = self.get_object()
        payload = ObligationUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if data.get("not_required"):
            services.obligation_mark_not_required(
                obligation=obligation, actor=request_actor(request), rationale=data.get("not_required_rationale", "")
            )
        else:
            services.obligation_file(
                obligation=obligation,
                actor=request_actor(request),
                submitted_at=data["submitted_at"],
                reference=data.get("reference", ""),
                channel=data.get("channel", "portal"),
                delay_reason=data.get("delay_reason", ""),
            )
        return Response(ObligationSerializer(get_object_or_404(self.get_queryset(), pk=obligation.pk)).data)


class CorrectiveActionViewSet(IncidentChildViewSetMixin, HistoryMixin, viewsets.ModelViewSet[CorrectiveAction]):
    serializer_class = CorrectiveActionSerializer
    model = CorrectiveAction
    http_method_names = ["get", "post", "patch", "head", "options"]

    def select(self) -> QuerySet[CorrectiveAction]:
        return selectors.corrective_actions_of(self.incident())

    def perform_create(self, serializer: BaseSerializer[CorrectiveAction]) -> None:
        incident = self.incident()
        self.check_organisation_writable(incident.organisation)
        serializer.instance = services.corrective_action_create(
            incident=incident, actor=request_actor(self.request), **serializer.validated_data
        )

    def perform_update(self, serializer: BaseSerializer[CorrectiveAction]) -> None:
        changes = dict(serializer.validated_data)
        changes.pop("add_to_action_plan", None)  # joining the plan happens when the action is created
        assert serializer.instance is not None  # an update
        serializer.instance = services.corrective_action_update(
            action=serializer.instance, actor=request_actor(self.request), **changes
        )


class AttachmentViewSet(
    IncidentChildViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Attachment],
):
    serializer_class = AttachmentSerializer
    model = Attachment
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def select(self) -> QuerySet[Attachment]:
        return selectors.attachments_of(self.incident())

    def perform_create(self, serializer: BaseSerializer[Attachment]) -> None:
        incident = self.incident()
        self.check_organisation_writable(incident.organisation)
        data = serializer.validated_data
        serializer.instance = services.attachment_add(
            incident=incident, actor=request_actor(self.request), title=data["title"], upload=data["file"]
        )

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        attachment = self.get_object()
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.file.name.rsplit("/", 1)[-1],
            content_type=attachment.content_type,
        )
        response["X-Content-SHA256"] = attachment.sha256
        return response


class CalendarFeedViewSet(
    OrganisationScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[CalendarFeed],
):
    """Secret ICS addresses of the organisations' deadline calendars. POST creates or rotates one."""

    serializer_class = CalendarFeedSerializer
    resource = Resource.INCIDENT

    def select(self) -> QuerySet[CalendarFeed]:
        return selectors.calendar_feeds()

    def perform_create(self, serializer: BaseSerializer[CalendarFeed]) -> None:
        organisation = serializer.validated_data["organisation"]
        self.check_organisation_writable(organisation)
        serializer.instance = services.calendar_feed_rotate(
            organisation=organisation, actor=request_actor(self.request)
        )
