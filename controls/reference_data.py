"""Reference data every database needs: the control catalogues shipped with Rempart.
Found by ``manage.py load_reference_data`` and ``manage.py bootstrap`` by naming convention."""

from controls.catalogue_loading import CATALOGUE_DIR, SHIPPED_CATALOGUES, load_file


def load() -> list[str]:
    """Load or update the shipped frameworks and mappings, idempotently; one summary line each."""
    return [load_file(CATALOGUE_DIR / name).summary() for name in SHIPPED_CATALOGUES]
