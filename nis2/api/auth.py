"""API sign-in and sign-out with expiring, revocable tokens (django-rest-knox).

Sign-in goes through ``django.contrib.auth.authenticate(request=...)``, so django-axes counts each failed
attempt and refuses the account from that address once the limit is reached (settings ``AXES_*``).
"""

from typing import Any

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.views import LoginView, LogoutView
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from nis2.api.authentication import ExpiringTokenAuthentication, purge_expired_tokens
from nis2.mfa import services as mfa_services
from nis2.mfa.policy import has_authenticator, mfa_required_for


class CredentialsSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(label=gettext_lazy("Username"))
    password = serializers.CharField(
        label=gettext_lazy("Password"), style={"input_type": "password"}, trim_whitespace=False
    )
    otp = serializers.CharField(
        label=gettext_lazy("Second factor code"),
        required=False,
        max_length=20,
        help_text=gettext_lazy(
            "Required when the account has two-factor authentication: the authenticator's 6 digits or a recovery code."
        ),
    )


class IssuedTokenSerializer(serializers.Serializer[Any]):
    """What a sign-in returns: the token, shown only this once, and when it stops being accepted."""

    token = serializers.CharField()
    expiry = serializers.DateTimeField()


class SignInSuspended(exceptions.APIException):
    """Too many failed sign-ins for this username from this address: refused until the cool-off ends."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "sign_in_suspended"

    def __init__(self, *, wait_seconds: int) -> None:
        self.wait = wait_seconds  # read by DRF's exception handler for the Retry-After header
        super().__init__(
            detail=_(
                "Too many failed login attempts. Logging in to this account from this address is "
                "suspended for %(minutes)s minutes."
            )
            % {"minutes": wait_seconds // 60}
        )


def _check_second_factor(user: Any, otp: str) -> None:
    """An account with an authenticator gets a token only with its code; one whose organisation requires a second
    factor and has none set up must set it up in the web interface first."""
    if has_authenticator(user):
        if not otp:
            raise exceptions.ValidationError(
                {"otp": [_("This account uses two-factor authentication: send its code.")]}
            )
        if mfa_services.second_factor_check(user=user, code=otp) is None:
            raise exceptions.ValidationError(
                {"otp": [_("This code is not valid, or was already used. Wait for the next code and retry.")]}
            )
    elif mfa_required_for(user):
        raise exceptions.PermissionDenied(
            _("Your organisation requires two-factor authentication: set it up in the web interface first.")
        )


class TokenLoginView(LoginView):  # type: ignore[misc]  # django-rest-knox ships no type hints
    """Signs in with a username and password: a new token at each sign-in, valid for 10 hours.

    After 5 failed attempts for one username from one address, signing in is refused (429) for 15 minutes.
    """

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="auth_token_create",
        request=CredentialsSerializer,
        responses={200: IssuedTokenSerializer},
        auth=[],
    )
    def post(self, request: Request, format: str | None = None) -> Response:
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        otp = credentials.validated_data.pop("otp", "")
        user = authenticate(request=request, **credentials.validated_data)
        if user is None:
            # django-axes marks the request when this attempt reached the limit or came during a lockout. It marks
            # this DRF request, not Django's underneath: AxesMiddleware leaves this JSON answer alone.
            if getattr(request, "axes_locked_out", False):
                cool_off = get_cool_off(request)
                raise SignInSuspended(wait_seconds=int(cool_off.total_seconds()) if cool_off else 0)
            raise exceptions.ValidationError(_("Unable to log in with provided credentials."), code="authorization")
        _check_second_factor(user, otp)
        purge_expired_tokens(user=user)
        request.user = user
        response: Response = super().post(request, format=format)
        return response

    def get_post_response_data(self, request: Request, token: str, instance: Any) -> dict[str, Any]:
        return {"token": token, "expiry": self.format_expiry_datetime(instance.expiry)}


class TokenLogoutView(LogoutView):  # type: ignore[misc]  # django-rest-knox ships no type hints
    """Revokes the token the request was made with; the account's other tokens stay valid."""

    authentication_classes = (ExpiringTokenAuthentication,)

    @extend_schema(operation_id="auth_logout_create", request=None, responses={204: OpenApiResponse()})
    def post(self, request: Request, format: str | None = None) -> Response:
        response: Response = super().post(request, format=format)
        return response
