from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from nis2.api.fields import ScopedPrimaryKeyRelatedField
from nis2.entity_status import Nis2Status, RuleSource, legal_basis
from nis2.models import ORGANISATION_EDITABLE_FIELDS, Invitation, Membership, Organisation
from nis2.roles import Role


class LegalBasisSerializer(serializers.Serializer[Any]):
    """``nis2.entity_status.LegalBasis.as_dict()``, documented for the schema."""

    kind = serializers.CharField()
    references = serializers.ListField(child=serializers.CharField())
    # A field named like DRF's Field.source attribute: declared fields are collected apart from attributes.
    source = serializers.ChoiceField(choices=[source.value for source in RuleSource])  # type: ignore[assignment]
    rests_on_bill = serializers.BooleanField()
    bill = serializers.CharField()
    bill_promulgated = serializers.BooleanField()
    last_checked = serializers.DateField()
    explanation = serializers.CharField()
    sources = serializers.ListField(child=serializers.URLField())


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    suggested_nis2_status = serializers.SerializerMethodField(
        help_text="What the scoping rule suggests; `unknown` when the data it needs is missing (see the note)."
    )
    suggested_nis2_status_note = serializers.SerializerMethodField(
        help_text="The scoping rule in the request's language; when undetermined, what to enter to decide."
    )
    nis2_legal_basis = serializers.SerializerMethodField(
        help_text="The texts the status rests on, and whether that is the French bill, not promulgated at the "
        "date of the last check."
    )
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "siren",
            "kind",
            "parent",
            *ORGANISATION_EDITABLE_FIELDS,
            "suggested_nis2_status",
            "suggested_nis2_status_note",
            "nis2_legal_basis",
            "member_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["siren", "kind", "parent", "created_at", "updated_at"]

    @extend_schema_field(serializers.ChoiceField(choices=[status.value for status in Nis2Status]))
    def get_suggested_nis2_status(self, organisation: Organisation) -> str:
        return organisation.nis2_status_suggestion().status.value

    @extend_schema_field(serializers.CharField())
    def get_suggested_nis2_status_note(self, organisation: Organisation) -> str:
        return organisation.nis2_status_suggestion().explanation()

    @extend_schema_field(LegalBasisSerializer)
    def get_nis2_legal_basis(self, organisation: Organisation) -> dict[str, Any]:
        return legal_basis(organisation.kind).as_dict()


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
