from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from nis2 import selectors
from nis2.models import Organisation


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = list(selectors.memberships_of(request.user))
    if len(memberships) == 1:
        return redirect("organisation-home", organisation_id=memberships[0].organisation_id)
    return render(request, "nis2/home.html", {"memberships": memberships})


@login_required
def organisation_home(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = get_object_or_404(selectors.organisation_list(user=request.user), pk=organisation_id)
    children = list(selectors.organisation_list(user=request.user).filter(parent=organisation))
    membership = selectors.memberships_of(request.user).filter(organisation=organisation).first()
    members = selectors.membership_list(user=request.user).filter(organisation=organisation)
    return render(
        request,
        "nis2/organisation_home.html",
        {
            "organisation": organisation,
            "children": children,
            "membership": membership,
            "members": members,
            "suggested_status": Organisation.Nis2StatusChoices(organisation.suggested_nis2_status()),
        },
    )
