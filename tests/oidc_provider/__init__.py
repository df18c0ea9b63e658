"""A real OpenID Connect provider imitating ProConnect, for the test suite: a tiny Django project of its own.

django-oauth-toolkit with OIDC enabled, started as a subprocess by the ``oidc_provider`` fixture
(tests/fixtures/oidc.py). It imports nothing from Rempart, and Rempart never imports it.

Run it by hand from the repository root: ``python -m tests.oidc_provider oidc_serve --port-file /tmp/port``
(``OIDC_PROVIDER_DB`` names its SQLite file, ``OIDC_PROVIDER_KEY_FILE`` its RSA key in PEM).
"""
