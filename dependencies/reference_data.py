"""Reference data every database needs: the dependency domains and the shared seed catalogue of
vendors and products. Found by ``manage.py load_reference_data`` and ``manage.py bootstrap``."""

from dependencies.services import load_domains, load_seed_catalogue


def load() -> list[str]:
    """Load or update the domains and the seed catalogue idempotently (a row is saved only when it changed)."""
    domains = load_domains()
    entities, products = load_seed_catalogue()
    return [f"dependencies: {domains} domains, {entities} legal entities, {products} products"]
