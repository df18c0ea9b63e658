from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from nis2.models import Membership, Organisation
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
            "member_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["siren", "kind", "parent", "created_at", "updated_at"]

    def get_suggested_nis2_status(self, organisation: Organisation) -> str:
        return organisation.suggested_nis2_status()


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    username = serializers.CharField(source="user.username", max_length=150)
    email = serializers.EmailField(source="user.email", required=False, allow_blank=True)
    full_name = serializers.CharField(source="user.get_full_name", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "username", "email", "full_name", "role", "created_at"]
        read_only_fields = ["created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            changed = {"organisation", "user"} & set(attrs)
            if "organisation" in changed and attrs["organisation"] != self.instance.organisation:
                raise serializers.ValidationError({"organisation": _("A membership cannot move organisation.")})
            if "user" in changed and attrs["user"]["username"] != self.instance.user.username:
                raise serializers.ValidationError({"username": _("A membership cannot change person.")})
        return attrs
