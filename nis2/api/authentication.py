"""API authentication by expiring tokens (django-rest-knox), stored as hashes.

Kept apart from the sign-in views (nis2/api/auth.py): DRF imports this class from its settings while
its own views module is still loading.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from knox.signals import token_expired


class ExpiringTokenAuthentication(TokenAuthentication):  # type: ignore[misc]  # django-rest-knox ships no type hints
    """Knox's token check, without its purge of the account's other expired tokens on every request.

    That purge costs a query per API request; expired tokens are purged at sign-in instead. The token
    presented is still refused, and deleted, once expired.
    """

    def _cleanup_token(self, auth_token: AuthToken) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


def purge_expired_tokens(*, user: AbstractBaseUser) -> None:
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()


class ExpiringTokenScheme(KnoxTokenScheme):  # type: ignore[no-untyped-call]  # drf-spectacular registers extensions in an untyped __init_subclass__
    """The OpenAPI security scheme of knox's tokens, for the class above."""

    target_class = "nis2.api.authentication.ExpiringTokenAuthentication"
