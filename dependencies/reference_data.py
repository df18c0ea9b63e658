"""Reference data every database needs: the dependency domains and the shared seed catalogue of
vendors and products. Found by ``manage.py load_reference_data`` and ``manage.py bootstrap``."""

from dependencies.models import Domain
from dependencies.services import load_domains, load_seed_catalogue


def load() -> list[str]:
    """Load or update the seed catalogue idempotently, the domains it points at first.

    The domains load after every ``migrate`` (``dependencies/apps.py``), which always runs first; they are
    loaded here only when missing, because ``load_domains`` saves every domain, and so adds a history row
    to each, even when nothing changed."""
    domains = Domain.objects.count() or load_domains()
    entities, products = load_seed_catalogue()
    return [f"dependencies: {domains} domains, {entities} legal entities, {products} products"]
