"""The tenancy core's models: organisations, their members and the base every domain model uses
(``organisations``), invitations, data exports and the second factor's recovery codes; the field
declarations models share (``fields``). Every model and helper is importable from ``nis2.models``
(migrations name ``nis2.models.validate_siren`` and others)."""

from nis2.models.exports import DataExport, data_export_upload_path
from nis2.models.fields import Localized, optional_quantity_field, user_field
from nis2.models.invitations import Invitation, InvitationQuerySet, invitation_token_hash, unguessable_token_hash
from nis2.models.organisations import (
    ORGANISATION_EDITABLE_FIELDS,
    ORGANISATION_REGISTRATION_FIELDS,
    ORGANISATION_SECURITY_FIELDS,
    ORGANISATION_STATUS_FIELDS,
    SCOPED_FOR,
    Membership,
    MembershipQuerySet,
    Nis2StatusChoices,
    Organisation,
    OrganisationQuerySet,
    OrganisationScopedModel,
    OrganisationScopedQuerySet,
    TimestampedModel,
    readable_organisation_ids,
    validate_siren,
)
from nis2.models.second_factor import RecoveryCodes

__all__ = [
    "ORGANISATION_EDITABLE_FIELDS",
    "ORGANISATION_REGISTRATION_FIELDS",
    "ORGANISATION_SECURITY_FIELDS",
    "ORGANISATION_STATUS_FIELDS",
    "SCOPED_FOR",
    "DataExport",
    "Invitation",
    "InvitationQuerySet",
    "Localized",
    "Membership",
    "MembershipQuerySet",
    "Nis2StatusChoices",
    "Organisation",
    "OrganisationQuerySet",
    "OrganisationScopedModel",
    "OrganisationScopedQuerySet",
    "RecoveryCodes",
    "TimestampedModel",
    "data_export_upload_path",
    "invitation_token_hash",
    "optional_quantity_field",
    "readable_organisation_ids",
    "unguessable_token_hash",
    "user_field",
    "validate_siren",
]
