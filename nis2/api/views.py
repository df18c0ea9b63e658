from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, viewsets
from rest_framework.serializers import BaseSerializer

from nis2 import selectors, services
from nis2.api.serializers import InvitationSerializer, MembershipSerializer, OrganisationSerializer
from nis2.api.viewsets import HistoryMixin, OrganisationScopedViewSetMixin
from nis2.models import Invitation, Membership, Organisation
from nis2.roles import Resource
from nis2.web import request_actor


class OrganisationViewSet(
    HistoryMixin,
    OrganisationScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Organisation],
):
    """Organisations the user belongs to (and, for admins and auditors, their children).
    Admins edit their organisation; organisations are created by platform staff."""

    serializer_class = OrganisationSerializer
    resource = Resource.ORGANISATION
    scope_field = "pk"
    filterset_fields = ["kind", "nis2_status", "parent"]
    ordering_fields = ["name", "population"]

    def select(self) -> QuerySet[Organisation]:
        return selectors.organisation_list(user=self.request.user)

    def organisation_id_of(self, obj: Organisation) -> int:
        return obj.pk

    def perform_update(self, serializer: BaseSerializer[Organisation]) -> None:
        assert serializer.instance is not None  # an update always has its object
        serializer.instance = services.organisation_update(
            organisation=serializer.instance, actor=request_actor(self.request), **serializer.validated_data
        )


class MembershipViewSet(
    HistoryMixin,
    OrganisationScopedViewSetMixin,
    viewsets.ModelViewSet[Membership],
):
    """Members of the organisations the user belongs to; admins change their role and remove them.
    Nobody is added here: people join by accepting an invitation (``/invitations/``), so no account
    is attached to an organisation without its owner's consent."""

    serializer_class = MembershipSerializer
    resource = Resource.MEMBERSHIP
    filterset_fields = ["organisation", "role"]
    ordering_fields = ["user__username", "role"]
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def select(self) -> QuerySet[Membership]:
        return selectors.membership_list(user=self.request.user)

    def perform_update(self, serializer: BaseSerializer[Membership]) -> None:
        assert serializer.instance is not None  # an update always has its object
        role = serializer.validated_data.get("role", serializer.instance.role)
        serializer.instance = services.membership_change_role(
            membership=serializer.instance, role=role, actor=request_actor(self.request)
        )

    def perform_destroy(self, instance: Membership) -> None:
        services.membership_delete(membership=instance, actor=request_actor(self.request))


class InvitationViewSet(
    HistoryMixin,
    OrganisationScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Invitation],
):
    """Invitations to join an organisation: admins invite an e-mail address to a role (the person gets a
    one-time link by e-mail) and revoke an invitation not yet accepted (``DELETE``)."""

    serializer_class = InvitationSerializer
    model = Invitation
    resource = Resource.MEMBERSHIP
    filterset_fields = ["organisation", "role"]
    ordering_fields = ["created_at", "email"]

    def select(self) -> QuerySet[Invitation]:
        return selectors.invitation_list(user=self.request.user)

    def perform_create(self, serializer: BaseSerializer[Invitation]) -> None:
        data: dict[str, Any] = serializer.validated_data
        self.check_organisation_writable(data["organisation"])
        serializer.instance = services.invitation_create(
            organisation=data["organisation"], email=data["email"], role=data["role"], actor=request_actor(self.request)
        )

    def perform_destroy(self, instance: Invitation) -> None:
        services.invitation_revoke(invitation=instance, actor=request_actor(self.request))
