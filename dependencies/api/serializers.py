from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dependencies import selectors
from dependencies.fields import EDITABLE_FIELDS
from dependencies.models import Component, Domain, LegalEntity, Product
from nis2.api.fields import ScopedPrimaryKeyRelatedField
from nis2.api.write_scope import OrganisationWriteScopeMixin
from nis2.models import Organisation

User = get_user_model()


def _chains(
    serializer: serializers.Serializer[Any], row: Any, entity_ids: Callable[[Any], Iterable[int | None]]
) -> Any:
    """One in-memory index of ownership chains per response, for the entities the response names (the
    page's rows): never the whole table of legal entities, other organisations' private vendors included."""
    context = cast(dict[str, Any], serializer.context)  # the dict the view passed in
    if "chains" not in context:
        shown = serializer.root.instance
        rows = list(shown) if isinstance(shown, list | QuerySet) else [row]
        context["chains"] = selectors.EntityChains(entity_id for each in rows for entity_id in entity_ids(each))
    return context["chains"]


class DomainSerializer(serializers.ModelSerializer[Domain]):
    class Meta:
        model = Domain
        fields = ["id", "code", "block", "name_fr", "name_en", "description_fr", "description_en"]


class LegalEntitySerializer(serializers.ModelSerializer[LegalEntity]):
    ultimate_parent = serializers.SerializerMethodField()

    class Meta:
        model = LegalEntity
        fields = [
            "id",
            "key",
            "name",
            "identifier",
            "country",
            "parent",
            "parent_since",
            "ultimate_parent",
            "source",
            "verified",
            "notes",
            "as_of",
        ]

    def get_ultimate_parent(self, entity: LegalEntity) -> dict[str, Any]:
        name, country = _chains(self, entity, lambda row: (row.pk,)).chain(entity.pk)[-1]
        return {"name": name, "country": country}


class ProductSerializer(serializers.ModelSerializer[Product]):
    publisher_name = serializers.CharField(source="publisher.name", read_only=True)
    domains: serializers.SlugRelatedField[Domain] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    alternatives: serializers.SlugRelatedField[Product] = serializers.SlugRelatedField(
        slug_field="key", many=True, read_only=True
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "key",
            "name",
            "publisher",
            "publisher_name",
            "licence_model",
            "spdx",
            "domains",
            "sill_id",
            "wikidata",
            "comptoir_id",
            "alternatives",
            "verified",
            "notes",
        ]


class CertificationSerializer(serializers.Serializer[Any]):
    """One entry of a component's certifications, as stored: the scheme and, when it expires, the day."""

    scheme = serializers.CharField(max_length=100)
    valid_until = serializers.DateField(required=False, allow_null=True)


@extend_schema_field(CertificationSerializer(many=True))
class CertificationsField(serializers.JSONField):
    """A list of ``{"scheme": "SecNumCloud", "valid_until": "2027-06-30"}``, in JSON or as one form value."""

    # DRF's ``fail()`` fills messages with str.format: literal braces are doubled.
    default_error_messages = {
        "not_a_list": _('Expected a list of {{"scheme": "…", "valid_until": "YYYY-MM-DD"}}.'),
        "not_a_certification": _('Expected {{"scheme": "…", "valid_until": "YYYY-MM-DD"}} with a scheme as text.'),
        "invalid_date": _("Expected a date as YYYY-MM-DD."),
    }

    def to_internal_value(self, data: Any) -> list[dict[str, str]]:
        value = super().to_internal_value(data)  # a form value arrives as JSON text, parsed here
        if not isinstance(value, list):
            self.fail("not_a_list")
        return [self._certification(entry) for entry in value]

    def _certification(self, entry: Any) -> dict[str, str]:
        scheme = entry.get("scheme") if isinstance(entry, dict) else None
        # PostgreSQL stores no NUL character in a JSON document either.
        if not isinstance(scheme, str) or not scheme.strip() or "\x00" in scheme:
            self.fail("not_a_certification")
        certification = {"scheme": scheme.strip()[:100]}
        valid_until = entry.get("valid_until")
        if valid_until not in (None, ""):
            try:
                day = parse_date(valid_until) if isinstance(valid_until, str) else None
            except ValueError:  # well formed, but no such day (30 February)
                day = None
            if day is None:
                self.fail("invalid_date")
            certification["valid_until"] = day.isoformat()
        return certification


class ComponentSerializer(OrganisationWriteScopeMixin, serializers.ModelSerializer[Component]):
    certifications = CertificationsField(required=False)
    organisation = ScopedPrimaryKeyRelatedField(scope="pk", queryset=Organisation.objects.all())
    domain = serializers.SlugRelatedField(slug_field="code", queryset=Domain.objects.all())
    strategy_owner = ScopedPrimaryKeyRelatedField(
        scope="memberships__organisation", queryset=User.objects.all(), allow_null=True, required=False
    )
    exposure = serializers.SerializerMethodField()
    derived_exposure = serializers.SerializerMethodField()
    exposed_laws = serializers.SerializerMethodField()
    exposure_reasons = serializers.SerializerMethodField()
    effective_criticality = serializers.SerializerMethodField()
    lock_in = serializers.SerializerMethodField()
    dependency_score = serializers.SerializerMethodField()
    dependency_class = serializers.SerializerMethodField()
    strategic_gap = serializers.SerializerMethodField()

    class Meta:
        model = Component
        fields = [
            "id",
            "organisation",
            *EDITABLE_FIELDS,
            "exposure",
            "derived_exposure",
            "exposed_laws",
            "exposure_reasons",
            "effective_criticality",
            "lock_in",
            "dependency_score",
            "dependency_class",
            "strategic_gap",
            "created_at",
            "updated_at",
        ]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            visible: dict[str, QuerySet[Product] | QuerySet[LegalEntity]] = {
                "product": Product.objects.visible_to(request.user),
                "operator": LegalEntity.objects.visible_to(request.user),
                "hosting_provider": LegalEntity.objects.visible_to(request.user),
            }
            for name, queryset in visible.items():
                field = fields[name]
                if isinstance(field, serializers.RelatedField):
                    # The stubs type the attribute as QuerySet | Manager, and read a Manager as a descriptor.
                    field.queryset = queryset  # type: ignore[arg-type]
        return fields

    def _scored(self, component: Component) -> selectors.ScoredComponent:
        cache: dict[int, selectors.ScoredComponent] = cast(dict[str, Any], self.context).setdefault("scored", {})
        if component.pk not in cache:
            cache[component.pk] = selectors.score_component(
                component, _chains(self, component, selectors.entity_ids_of), today=timezone.localdate()
            )
        return cache[component.pk]

    def get_exposure(self, component: Component) -> int:
        return self._scored(component).exposure

    def get_derived_exposure(self, component: Component) -> int:
        return self._scored(component).derived_exposure.level

    def get_exposed_laws(self, component: Component) -> list[str]:
        return [law.value for law in self._scored(component).derived_exposure.laws]

    def get_exposure_reasons(self, component: Component) -> list[str]:
        return list(self._scored(component).derived_exposure.reasons)

    def get_effective_criticality(self, component: Component) -> int:
        return self._scored(component).score.criticality

    def get_lock_in(self, component: Component) -> int:
        return self._scored(component).score.lock_in

    def get_dependency_score(self, component: Component) -> int:
        return self._scored(component).score.score

    def get_dependency_class(self, component: Component) -> int:
        return self._scored(component).score.dependency_class

    def get_strategic_gap(self, component: Component) -> bool:
        return self._scored(component).score.strategic_gap
