"""Register a relying party, or create (or update) an agent with their ProConnect claims.

    python -m tests.oidc_provider oidc_setup client --client-id ID --client-secret SECRET \
        --redirect-uri URI [--redirect-uri URI...] [--post-logout-redirect-uri URI...]
    python -m tests.oidc_provider oidc_setup user --username U --password P --email E --given-name G \
        --usual-name N --siret 14DIGITS --amr pwd --amr totp --amr mfa [--acr eidas1] [--sub SUB]

``user`` prints the agent's ``sub``.
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from oauth2_provider.models import get_application_model

from tests.oidc_provider.claims.models import Claims


class Command(BaseCommand):
    help = __doc__
    # Run often, by the fixture: no system checks (nor the URLconf they import).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        what = parser.add_subparsers(dest="what", required=True)
        client = what.add_parser("client", help="a confidential client, authorization code, RS256, no consent page")
        client.add_argument("--client-id", required=True)
        client.add_argument("--client-secret", required=True)
        client.add_argument("--redirect-uri", action="append", required=True)
        client.add_argument("--post-logout-redirect-uri", action="append", default=[])
        client.add_argument("--name", default="")
        user = what.add_parser("user", help="an agent and the claims ProConnect asserts about them")
        user.add_argument("--username", required=True)
        user.add_argument("--password", required=True)
        user.add_argument("--email", required=True)
        user.add_argument("--given-name", required=True)
        user.add_argument("--usual-name", required=True)
        user.add_argument("--siret", required=True)
        user.add_argument("--amr", action="append", required=True)
        user.add_argument("--acr", default="eidas1")
        user.add_argument("--sub", default="")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            if options["what"] == "client":
                self._client(options)
            else:
                self.stdout.write(self._user(options))

    def _client(self, options: dict) -> None:
        application_model = get_application_model()
        application = application_model.objects.filter(client_id=options["client_id"]).first()
        if application is None:
            application = application_model(client_id=options["client_id"])
        application.name = options["name"] or options["client_id"]
        application.client_type = application_model.CLIENT_CONFIDENTIAL
        application.authorization_grant_type = application_model.GRANT_AUTHORIZATION_CODE
        application.algorithm = application_model.RS256_ALGORITHM
        application.skip_authorization = True
        application.redirect_uris = " ".join(options["redirect_uri"])
        application.post_logout_redirect_uris = " ".join(options["post_logout_redirect_uri"])
        # The plaintext, hashed when saved (hash_client_secret): the caller knows the secret.
        application.client_secret = options["client_secret"]
        application.hash_client_secret = True
        application.full_clean(exclude=["user"])
        application.save()

    def _user(self, options: dict) -> str:
        siret = options["siret"]
        if not (len(siret) == 14 and siret.isdigit()):
            raise CommandError(f"A SIRET is 14 digits, not {siret!r}.")
        user, _ = get_user_model().objects.get_or_create(username=options["username"])
        user.email = options["email"]
        user.first_name = options["given_name"]
        user.last_name = options["usual_name"]
        user.set_password(options["password"])
        user.save()
        existing = Claims.objects.filter(user=user).first()
        sub = options["sub"] or (existing.sub if existing else secrets.token_hex(32))
        Claims.objects.update_or_create(
            user=user,
            defaults={
                "sub": sub,
                "email": options["email"],
                "given_name": options["given_name"],
                "usual_name": options["usual_name"],
                "siret": siret,
                "acr": options["acr"],
                "amr": options["amr"],
            },
        )
        return sub
