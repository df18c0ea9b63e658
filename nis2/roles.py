"""Roles and the one table that says what each role may write.

Every role reads the data of the organisations it belongs to. Admins and auditors of a
parent organisation (an intercommunalité pooling IT for its communes) also read the data
of its child organisations. Writes are granted per resource by ``WRITABLE_RESOURCES``.
"""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    SECURITY_OFFICER = "security_officer", _("Security officer (RSSI)")
    IT = "it", _("IT department (DSI)")
    EXECUTIVE = "executive", _("Executive (elected official, DGS)")
    AUDITOR = "auditor", _("Auditor")


class Resource(StrEnum):
    ORGANISATION = "organisation"
    MEMBERSHIP = "membership"
    ASSESSMENT = "assessment"
    DEPENDENCY = "dependency"
    INCIDENT = "incident"
    REPORT = "report"
    GOVERNANCE = "governance"  # approvals of the management body and its training (NIS 2 Art. 20)


WRITABLE_RESOURCES: dict[Role, frozenset[Resource]] = {
    Role.ADMIN: frozenset({Resource.ORGANISATION, Resource.MEMBERSHIP, Resource.REPORT, Resource.GOVERNANCE}),
    Role.SECURITY_OFFICER: frozenset({Resource.INCIDENT, Resource.ASSESSMENT, Resource.REPORT}),
    Role.IT: frozenset({Resource.ASSESSMENT, Resource.DEPENDENCY}),
    Role.EXECUTIVE: frozenset({Resource.GOVERNANCE}),
    Role.AUDITOR: frozenset(),
}

# Roles whose membership of a parent organisation lets them read its children's data.
ROLES_READING_CHILDREN: frozenset[Role] = frozenset({Role.ADMIN, Role.AUDITOR})

# Roles of an intercommunality that may request its consolidated report (it gathers the member communes'
# shared data, so it is asked for by those who answer for them: the administrators and the executives).
ROLES_REQUESTING_CONSOLIDATED_REPORTS: frozenset[Role] = frozenset({Role.ADMIN, Role.EXECUTIVE})


def role_can_write(role: str, resource: Resource) -> bool:
    return resource in WRITABLE_RESOURCES.get(Role(role), frozenset())


def roles_writing(resource: Resource) -> list[str]:
    return [role.value for role, resources in WRITABLE_RESOURCES.items() if resource in resources]
