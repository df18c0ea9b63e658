"""The pieces every domain viewset is built from: scoping, write permission, history."""

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Value
from django.utils.translation import gettext_lazy as _
from django_filters.filters import ModelChoiceFilter, ModelMultipleChoiceFilter
from django_filters.filterset import BaseFilterSet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from nis2.api.permissions import RoleWritePermission
from nis2.models import SCOPED_FOR, Membership, Organisation, readable_organisation_ids
from nis2.roles import Resource

if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView

    # The mixins below are only ever combined with a DRF generic view: typed as one, they see its methods.
    _GenericView = GenericAPIView[Any]
else:
    _GenericView = object


class ScopedFilterBackend(DjangoFilterBackend):  # type: ignore[misc]  # django-filter ships no type hints
    """Filters naming an object by id (``?organisation=``, ``?assessment=``, ``?item=``, ``?owner=``) accept only
    the objects the user may read: another authority's id is refused as an unknown one is, never a hint that it
    exists. People are readable when they belong to a readable organisation; shared reference data stays open."""

    def get_filterset(self, request: Request, queryset: models.QuerySet[Any], view: Any) -> BaseFilterSet | None:
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        readable = Organisation.objects.readable_by(request.user)
        for declared in filterset.filters.values():  # a copy per filterset: the class's filters stay untouched
            if not isinstance(declared, ModelChoiceFilter | ModelMultipleChoiceFilter):
                continue
            model = getattr(declared.queryset, "model", None)
            if model is get_user_model():
                declared.queryset = model.objects.filter(
                    pk__in=Membership.objects.filter(organisation__in=readable).values("user_id")
                )
            elif model is not None and (path := organisation_path(model)) is not None:
                declared.queryset = model._default_manager.filter(**{f"{path}__in": readable})
        return filterset


def organisation_path(model: type[models.Model], hops: int = 3) -> str | None:
    """The lookup from ``model`` to the organisation owning its rows (``"pk"`` for organisations), following
    required foreign keys; None for rows no organisation owns (catalogues, vendors)."""
    if model is Organisation:
        return "pk"
    if hops == 0:
        return None
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and not field.null:
            related = field.related_model
            if related is Organisation:
                return field.name
            deeper = organisation_path(related, hops - 1)
            if deeper is not None and deeper != "pk":
                return f"{field.name}__{deeper}"
    return None


class OrganisationScopedViewSetMixin(_GenericView):
    """Restricts a viewset to the organisations the user may read, whatever ``select()`` returns.

    Subclasses set ``resource`` (for write permissions) and implement ``select()``, which
    delegates to the app's selector for joins and annotations. Objects of organisations the
    user cannot read do not exist for them: 404, never 403.
    """

    resource: Resource
    scope_field = "organisation"  # lookup from the model to its organisation
    permission_classes = [IsAuthenticated, RoleWritePermission]
    filter_backends = [ScopedFilterBackend, OrderingFilter]
    model: type[models.Model] | None = None  # set by viewsets whose schema needs it without a request

    def select(self) -> models.QuerySet[Any]:
        raise NotImplementedError

    def scope(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        scoped_for = queryset.query.annotations.get(SCOPED_FOR)
        if isinstance(scoped_for, Value) and scoped_for.value == self.request.user.pk and not queryset.query.combinator:
            return queryset  # the selector scoped it with the same predicate: applied once
        return queryset.filter(**{f"{self.scope_field}__in": readable_organisation_ids(self.request.user)})

    def get_queryset(self) -> models.QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False) and self.model is not None:
            return self.model._default_manager.none()  # schema generation: no request, no URL arguments
        return self.scope(self.select())

    def organisation_id_of(self, obj: Any) -> int:
        return int(obj.organisation_id)

    def check_organisation_writable(self, organisation: Organisation) -> None:
        user = self.request.user
        if Organisation.objects.writable_by(user, self.resource).filter(pk=organisation.pk).exists():
            return  # the usual case, one query; writing implies reading
        if not Organisation.objects.readable_by(user).filter(pk=organisation.pk).exists():
            raise exceptions.ValidationError(
                {"organisation": [_("Invalid pk “%(pk)s” - object does not exist.") % {"pk": organisation.pk}]}
            )
        raise exceptions.PermissionDenied(_("Your role does not allow this change in this organisation."))

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        self.check_organisation_writable(serializer.validated_data["organisation"])
        serializer.save()


class HistoryRecordSerializer(serializers.Serializer[Any]):
    history_id = serializers.IntegerField()
    history_date = serializers.DateTimeField()
    history_type = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    history_user = serializers.CharField(allow_null=True)
    history_change_reason = serializers.CharField(allow_null=True)
    changes = serializers.DictField(help_text="Changed fields: {field: {old, new}}.")


HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def history_records(instance: models.Model) -> list[dict[str, Any]]:
    """The instance's history, newest first, each record with the fields it changed."""
    history = getattr(instance, "history")  # noqa: B009  (added by simple-history at run time: untyped)
    records = list(history.select_related("history_user").order_by("history_date", "history_id"))
    rows: list[dict[str, Any]] = []
    previous = None
    for record in records:
        changes: dict[str, dict[str, Any]] = {}
        if previous is not None:
            for change in record.diff_against(previous).changes:
                changes[change.field] = {"old": change.old, "new": change.new}
        rows.append(
            {
                "history_id": record.history_id,
                "history_date": record.history_date,
                "history_type": HISTORY_TYPES[record.history_type],
                "history_user": record.history_user.get_username() if record.history_user else None,
                "history_change_reason": record.history_change_reason,
                "changes": changes,
            }
        )
        previous = record
    rows.reverse()
    return rows


class HistoryMixin(_GenericView):
    """Adds ``GET <resource>/{id}/history/`` to a viewset (paginated, newest first)."""

    @extend_schema(responses=HistoryRecordSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="history")
    def history(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        rows = history_records(instance)
        page = self.paginate_queryset(rows)
        if page is not None:
            return self.get_paginated_response(HistoryRecordSerializer(page, many=True).data)
        return Response(HistoryRecordSerializer(rows, many=True).data)
