from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from nis2.api.fields import ScopedPrimaryKeyRelatedField
from nis2.models import Invitation, Membership, Organisation
from nis2.roles import Role


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    suggested_nis2_status = serializers.SerializerMethodField()
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "siren",
            "kind",
            "population",
            "population_year",
            "parent",
            "nis2_status",
            "suggested_nis2_status",
            "nis2_status_justification",
            "mfa_required",
            "member_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["siren", "kind", "parent", "created_at", "updated_at"]

    def get_suggested_nis2_status(self, organisation: Organisation) -> str:
        return organisation.suggested_nis2_status()


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    """Members are listed, their role changed and removed here; people join through invitations."""

    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.get_full_name", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "username", "email", "full_name", "role", "created_at"]
        read_only_fields = ["organisation", "created_at"]


class InvitationSerializer(serializers.ModelSerializer[Invitation]):
    """An invitation names an address and a role, never the account (if any) behind the address."""

    organisation = ScopedPrimaryKeyRelatedField(scope="pk", queryset=Organisation.objects.all())
    role = serializers.ChoiceField(choices=Role.choices)
    invited_by = serializers.CharField(source="invited_by.username", read_only=True, default=None)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "organisation",
            "email",
            "role",
            "invited_by",
            "status",
            "expires_at",
            "accepted_at",
            "created_at",
        ]
        read_only_fields = ["expires_at", "accepted_at", "created_at"]

    @extend_schema_field(serializers.ChoiceField(choices=["pending", "accepted", "expired"]))
    def get_status(self, invitation: Invitation) -> str:
        if invitation.accepted_at is not None:
            return "accepted"
        return "expired" if invitation.expires_at <= timezone.now() else "pending"
