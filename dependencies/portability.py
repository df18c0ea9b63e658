"""The dependency map in an organisation's archive: components, the vendors and products the
organisation added itself, and its sharing choice. The shared catalogue is named by key."""

from django.db.models import Q

from dependencies.models import Component, DependencySharing, Domain, LegalEntity, Product
from nis2.archive.declarations import Owned, Portability, Reference

PORTABILITY = Portability(
    owned=[
        Owned(LegalEntity, parent="organisation"),
        Owned(Product, parent="organisation"),
        Owned(Component, parent="organisation"),
        Owned(DependencySharing, parent="organisation"),
    ],
    references=[
        Reference(Domain, key=("code",)),
        Reference(LegalEntity, key=("key",), shared=Q(organisation__isnull=True)),
        Reference(Product, key=("key",), shared=Q(organisation__isnull=True)),
    ],
)
