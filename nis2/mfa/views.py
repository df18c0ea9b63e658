"""Pages of the second factor: the code asked after the password, and the account's security page."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nis2.mfa import services
from nis2.mfa.forms import CodeForm
from nis2.mfa.policy import Owed, Proof, has_authenticator, mfa_required_for, owed, record_proof
from nis2.web import request_actor


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """After the password: the authenticator's code (or a recovery code)."""
    if owed(request.session) is not Owed.VERIFY:
        return HttpResponseRedirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request_actor(request)
        proof = services.second_factor_check(user=user, code=form.cleaned_data["code"])
        if proof is not None:
            record_proof(request.session, proof)
            if proof is Proof.RECOVERY_CODE:
                remaining = services.recovery_codes_remaining(user=user)
                messages.warning(
                    request,
                    _("You used a recovery code: %(count)s left. Generate new ones from your security page.")
                    % {"count": remaining},
                )
            return HttpResponseRedirect(_next_url(request))
        form.add_error("code", _("This code is not valid, or was already used. Wait for the next code and retry."))
    return render(request, "nis2/second_factor.html", {"form": form, "next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def account_security(request: HttpRequest) -> HttpResponse:
    """Set up, replace or remove the authenticator; regenerate the recovery codes."""
    user = request_actor(request)
    action = request.POST.get("action") if request.method == "POST" else None
    form = CodeForm()
    context: dict[str, object] = {"next": _next_url(request), "required": mfa_required_for(user)}
    if action == "start":
        services.authenticator_start(user=user)
    elif action == "confirm":
        form = CodeForm(request.POST)
        device = services.pending_authenticator(user=user)
        if form.is_valid() and device is not None:
            try:
                codes = services.authenticator_confirm(user=user, device=device, code=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error.message_dict["code"])
            else:
                record_proof(request.session, Proof.AUTHENTICATOR)
                return render(request, "nis2/recovery_codes.html", {**context, "codes": codes, "enabled": True})
    elif action == "regenerate" and has_authenticator(user):
        codes = services.recovery_codes_regenerate(user=user)
        return render(request, "nis2/recovery_codes.html", {**context, "codes": codes, "enabled": False})
    elif action == "remove":
        try:
            services.second_factor_remove(user=user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Two-factor authentication removed."))
        return redirect("account-security")
    pending = services.pending_authenticator(user=user)
    if pending is not None:
        context["qr_code"] = segno.make(pending.config_url, error="m").svg_data_uri(scale=5, border=2)
        context["secret"] = _grouped(pending.key)
    return render(
        request,
        "nis2/account_security.html",
        {
            **context,
            "form": form,
            "pending": pending,
            "enabled": has_authenticator(user),
            "enrolment_owed": owed(request.session) is Owed.ENROL,
            "recovery_codes_left": services.recovery_codes_remaining(user=user),
        },
    )


def _grouped(hex_key: str) -> str:
    """The secret as the base32 text authenticator applications accept when typed, in groups of four."""
    text = b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")
    return " ".join(text[index : index + 4] for index in range(0, len(text), 4))
