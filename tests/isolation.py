"""Registry of the shared tenant-isolation test (tests/test_isolation.py).

Every API viewset route is covered by the harness; an app makes its routes testable by
registering, under the route's basename, a function that creates one object owned by the
given organisation and returns it. A route whose basename is missing here fails the harness.
"""

from collections.abc import Callable

from django.db.models import Model

from nis2.models import Organisation
from tests.nis2.factories import MembershipFactory

IsolationFactory = Callable[[Organisation], Model]

ISOLATION_FACTORIES: dict[str, IsolationFactory] = {
    "organisation": lambda organisation: organisation,
    "membership": lambda organisation: MembershipFactory(organisation=organisation),
}
