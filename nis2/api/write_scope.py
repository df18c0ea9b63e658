"""Every related object named in a write belongs to the organisation of the object written.

``ScopedPrimaryKeyRelatedField`` only checks that the user may read the related object: a person
with roles in two communes could otherwise link one commune's action to the other's assessment, or
give it an owner who is not a member there. This check, run once per serializer after field
validation, compares each scoped relation with the organisation of the object being written.
"""

from typing import TYPE_CHECKING, Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField

from nis2.api.fields import ScopedPrimaryKeyRelatedField

PEOPLE_SCOPE = "memberships__organisation"

OUTSIDE_ORGANISATION = _("This object belongs to another organisation than the one of this record.")
# The message the pillars' services give for the same rule (one wording for one rule).
PERSON_NOT_MEMBER = _("The owner must be a member of the organisation.")


def _scoped_relation(field: serializers.Field) -> ScopedPrimaryKeyRelatedField | None:  # type: ignore[type-arg]
    relation = field.child_relation if isinstance(field, ManyRelatedField) else field
    if isinstance(relation, ScopedPrimaryKeyRelatedField) and relation.scope != "pk":
        return relation
    return None


if TYPE_CHECKING:
    _SerializerBase = serializers.Serializer[Any]
else:  # a mixin at run time (listed before ModelSerializer); a Serializer for the type checker
    _SerializerBase = object


class OrganisationWriteScopeMixin(_SerializerBase):
    """Serializer mixin (list it before ``ModelSerializer``): a relation whose related object lies
    outside the written object's organisation answers 400 on that field.

    The written object's organisation is the instance's on an update, the ``organisation`` given on a
    create; a serializer whose model reaches its organisation another way overrides
    ``organisation_written_id``."""

    def organisation_written_id(self, attrs: dict[str, Any]) -> int | None:
        if self.instance is not None:
            return int(self.instance.organisation_id)
        organisation = attrs.get("organisation")
        return None if organisation is None else int(organisation.pk)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        # Here rather than in validate(): a subclass's validate() cannot skip the check.
        attrs: dict[str, Any] = super().to_internal_value(data)
        self.check_write_scope(attrs)
        return attrs

    def check_write_scope(self, attrs: dict[str, Any]) -> None:
        errors: dict[str, list[str]] = {}
        relations = {
            name: (field.source, relation)
            for name, field in self.fields.items()
            if field.source is not None
            and not field.read_only
            and field.source in attrs
            and (relation := _scoped_relation(field)) is not None
        }
        if not relations:
            return
        organisation_id = self.organisation_written_id(attrs)
        if organisation_id is None:
            raise AssertionError(f"{type(self).__name__} names no organisation to check {sorted(relations)} against")
        for name, (source, relation) in relations.items():
            value = attrs[source]
            related: list[Model] = [item for item in (value if isinstance(value, list | tuple) else [value]) if item]
            if not related:
                continue
            keys = {item.pk for item in related}
            model = type(related[0])
            inside = (
                model._default_manager.filter(pk__in=keys, **{relation.scope: organisation_id})
                .values_list("pk", flat=True)
                .distinct()
            )
            if set(inside) != keys:
                errors[name] = [str(PERSON_NOT_MEMBER if relation.scope == PEOPLE_SCOPE else OUTSIDE_ORGANISATION)]
        if errors:
            raise serializers.ValidationError(errors)
