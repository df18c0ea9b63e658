from __future__ import annotations

from dataclasses import asdict

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nis2.api.pagination import StandardPagination
from nis2.archive.deletions import deleted_records
from nis2.models import Organisation


class DeletedRecordsView(APIView):
    """``GET /api/v1/deleted-records/?organisation=ID``: what was deleted in the organisation, by whom and
    when, newest first (every member reads it: a deletion leaves a trace the organisation can see)."""

    pagination_class = StandardPagination  # read by the schema generator: the list is documented as paginated

    @extend_schema(
        parameters=[OpenApiParameter("organisation", int, required=True)],
        responses=inline_serializer(
            "DeletedRecord",
            {
                "model": serializers.CharField(),
                "kind": serializers.CharField(),
                "object_id": serializers.IntegerField(),
                "label": serializers.CharField(),
                "deleted_at": serializers.DateTimeField(),
                "deleted_by": serializers.CharField(allow_null=True),
            },
            many=True,
        ),
    )
    def get(self, request: Request) -> Response:
        organisation_id = request.query_params.get("organisation", "")
        if not organisation_id.isdigit() or len(organisation_id) > 18:
            raise ValidationError({"organisation": _("A valid integer is required.")})
        organisation = get_object_or_404(Organisation.objects.readable_by(request.user), pk=organisation_id)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(deleted_records(organisation), request, view=self)
        rows = [
            {**asdict(record), "deleted_at": serializers.DateTimeField().to_representation(record.deleted_at)}
            for record in page or []
        ]
        return paginator.get_paginated_response(rows)
