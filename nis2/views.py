from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nis2 import selectors, services
from nis2.archive import selectors as archive_selectors
from nis2.archive import services as archive_services
from nis2.entity_status import legal_basis, transposition_status
from nis2.forms_tenancy import (
    AccountSecurityPolicyForm,
    InvitationAccountForm,
    InviteForm,
    RegistrationForm,
    StatusForm,
)
from nis2.models import Organisation
from nis2.roles import Resource
from nis2.sso import SIRET_SESSION_KEY, proposed_organisation
from nis2.web import dashboard_panels, readable_organisation, request_actor, require_write, search


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = list(selectors.memberships_of(request_actor(request)))
    if len(memberships) == 1:
        return redirect("organisation-home", organisation_id=memberships[0].organisation_id)
    siret = request.session.get(SIRET_SESSION_KEY) if not memberships else None
    return render(
        request,
        "nis2/home.html",
        {"memberships": memberships, "siret": siret, "proposed": proposed_organisation(siret)},
    )


@login_required
def organisation_home(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = get_object_or_404(selectors.organisation_list(user=request.user), pk=organisation_id)
    children = list(selectors.children_of(user=request.user, organisation=organisation))
    membership = selectors.membership_in(user=request_actor(request), organisation=organisation)
    members = selectors.members_of(user=request.user, organisation=organisation)
    role = membership.role if membership else None
    suggestion = organisation.nis2_status_suggestion()
    return render(
        request,
        "nis2/organisation_home.html",
        {
            "organisation": organisation,
            "children": children,
            "membership": membership,
            "members": members,
            "suggestion": suggestion,
            "suggested_label": Organisation.Nis2StatusChoices(suggestion.status).label
            if suggestion.is_determined
            else "",
            "panels": [
                render_to_string(panel.template, {**panel.context, "organisation": organisation}, request=request)
                for panel in dashboard_panels(request, organisation, role)
            ],
        },
    )


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    """One search box over incidents, requirements and components the user may read."""
    query = request.GET.get("q", "").strip()
    results = search(request.user, query) if len(query) >= 2 else []
    return render(request, "nis2/search.html", {"query": query, "results": results})


# The marker field of each form of the getting-started page posting to the organisation (the invitation form
# has none).
ONBOARDING_FORM_MARKERS = ("security_policy", "registration", "nis2_status")


def _onboarding_forms(organisation: Organisation, data: QueryDict | None = None) -> dict[str, forms.BaseForm]:
    """The forms of the getting-started page, each bound to ``data`` when it is the one posted (its marker field:
    ``nis2_status``, ``registration``, ``security_policy``; the invitation form has none)."""
    posted = next((marker for marker in ONBOARDING_FORM_MARKERS if data is not None and marker in data), None)
    if data is not None and posted is None:
        posted = "invite"

    def bound(marker: str) -> QueryDict | None:
        return data if marker == posted else None

    current = selectors.organisation_as_stored(organisation)
    return {
        "nis2_status": StatusForm(bound("nis2_status"), instance=current),
        "registration": RegistrationForm(bound("registration"), instance=current),
        "security_policy": AccountSecurityPolicyForm(bound("security_policy"), instance=current),
        "invite": InviteForm(bound("invite")),
    }


@login_required
def onboarding(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """First steps of a new organisation: NIS 2 status and its legal basis, registration with ANSSI, first
    assessment, dependency file, members, account security."""
    organisation = readable_organisation(request.user, organisation_id)
    actor = require_write(request, organisation, Resource.ORGANISATION)
    if request.method == "POST" and "revoke_invitation" in request.POST:
        invitation = selectors.pending_invitation(
            organisation=organisation, invitation_id=request.POST["revoke_invitation"]
        )
        services.invitation_revoke(invitation=invitation, actor=actor)
        messages.success(request, _("Invitation withdrawn: its link no longer works."))
        return redirect("onboarding", organisation.pk)
    forms_by_marker = _onboarding_forms(organisation, request.POST if request.method == "POST" else None)
    posted = next((marker for marker, form in forms_by_marker.items() if form.is_bound), None)
    if posted is not None:
        form = forms_by_marker[posted]
        if form.is_valid():
            try:
                if posted == "invite":
                    services.invitation_create(organisation=organisation, actor=actor, **form.cleaned_data)
                else:
                    services.organisation_update(organisation=organisation, actor=actor, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, ONBOARDING_SAVED_MESSAGES[posted])
                return redirect("onboarding", organisation.pk)
    suggestion = organisation.nis2_status_suggestion()
    steps = [step for config in apps.get_app_configs() for step in getattr(config, "onboarding_steps", ())]
    return render(
        request,
        "nis2/onboarding.html",
        {
            "organisation": organisation,
            "status_form": forms_by_marker["nis2_status"],
            "registration_form": forms_by_marker["registration"],
            "security_form": forms_by_marker["security_policy"],
            "invite_form": forms_by_marker["invite"],
            "pending_invitations": selectors.pending_invitations(organisation=organisation),
            "suggestion": suggestion,
            "suggested_label": Organisation.Nis2StatusChoices(suggestion.status).label
            if suggestion.is_determined
            else "",
            "legal_basis": legal_basis(organisation.kind),
            "transposition": transposition_status(),
            "steps": [
                (label, description, reverse(url_name, args=[organisation.pk]))
                for label, description, url_name in steps
            ],
            "members": selectors.members_of(user=request.user, organisation=organisation),
        },
    )


ONBOARDING_SAVED_MESSAGES = {
    "nis2_status": gettext_lazy("NIS 2 status saved."),
    "registration": gettext_lazy("Registration with ANSSI saved."),
    "security_policy": gettext_lazy("Account security rule saved. It applies from each person's next sign-in."),
    "invite": gettext_lazy("Invitation sent. The person becomes a member when they accept it."),
}


# Why a link cannot be used, by the code ``services.invitation_usable`` gives: unknown links are not found,
# used or expired ones are gone.
UNUSABLE_INVITATION_STATUS = {"unknown": 404, "used": 410, "expired": 410}


def _invitation_unusable(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return render(
        request,
        "nis2/invitation_unusable.html",
        {"message": error.messages[0]},
        status=UNUSABLE_INVITATION_STATUS.get(error.code or "", 400),
    )


def invitation_accept_page(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation e-mail links to. Signed in, the person accepts with one button; without an
    account, they choose a username and then a password on the password-set page; with an account,
    they log in and come back here."""
    try:
        invitation = services.invitation_usable(token=token)
    except ValidationError as error:
        return _invitation_unusable(request, error)
    form = InvitationAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                membership = services.invitation_accept(token=token, user=request_actor(request))
                messages.success(
                    request,
                    _("Welcome: you are now a member of %(organisation)s.")
                    % {"organisation": membership.organisation.name},
                )
                return redirect("organisation-home", organisation_id=membership.organisation_id)
            if form.is_valid():
                membership = services.invitation_accept_with_new_account(
                    token=token, username=form.cleaned_data["username"]
                )
                return redirect(services.password_set_path(user=membership.user))
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _invitation_unusable(request, error)
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    return render(
        request,
        "nis2/invitation_accept.html",
        {"invitation": invitation, "form": form, "login_url": f"{reverse('login')}?next={request.path}"},
    )


def _administered_organisation(request: HttpRequest, organisation_id: int) -> tuple[Organisation, User]:
    """The organisation and the acting administrator: only they may export its data."""
    organisation = readable_organisation(request.user, organisation_id)
    return organisation, require_write(request, organisation, Resource.ORGANISATION)


@login_required
def data_export_page(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Everything the organisation owns, as a zip of JSON and CSV files: its administrators ask,
    a background task writes it, the page lists the archives ready to download."""
    organisation, actor = _administered_organisation(request, organisation_id)
    if request.method == "POST":
        archive_services.data_export_request(organisation=organisation, actor=actor)
        messages.success(request, _("The archive is being written; it appears below when it is ready."))
        return redirect("data-export", organisation.pk)
    return render(
        request,
        "nis2/data_export.html",
        {"organisation": organisation, "exports": archive_selectors.data_exports_of(organisation)},
    )


@login_required
def data_export_download(request: HttpRequest, organisation_id: int, export_id: int) -> FileResponse:
    organisation, _actor = _administered_organisation(request, organisation_id)
    export = get_object_or_404(archive_selectors.ready_data_exports_of(organisation), pk=export_id)
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=(export.file.name or "").rsplit("/", 1)[-1],
        content_type="application/zip",
    )
    response["X-Content-SHA256"] = export.sha256
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page declares (a JSON draft opened in a tab, say)."""
    return redirect(static("rempart/favicon.svg"), permanent=True)
