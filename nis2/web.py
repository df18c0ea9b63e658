"""What every web view needs from the tenancy core: the organisation in the URL, scoped, and the
user's write rights there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from nis2.models import Organisation
from nis2.roles import Resource


def readable_organisation(user: AbstractBaseUser | AnonymousUser, organisation_id: int) -> Organisation:
    """The organisation if the user may read it; 404 otherwise (never a hint that it exists)."""
    return get_object_or_404(Organisation.objects.readable_by(user).select_related("parent"), pk=organisation_id)


def user_can_write(user: AbstractBaseUser | AnonymousUser, organisation: Organisation, resource: Resource) -> bool:
    return Organisation.objects.writable_by(user, resource).filter(pk=organisation.pk).exists()


def require_write(request: HttpRequest, organisation: Organisation, resource: Resource) -> User:
    """The acting user, if their role may change ``resource`` in ``organisation``; 403 otherwise.
    The one write check of the web pages (the API's is ``nis2.api.permissions.RoleWritePermission``)."""
    if not user_can_write(request.user, organisation, resource):
        raise PermissionDenied(_("Your role does not allow this change in this organisation."))
    return request_actor(request)


def request_actor(request: HttpRequest | Request) -> User:
    """The signed-in person behind a request, typed as the user model services record as author."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied(_("Sign in to make this change."))
    return user


def organisation_navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the organisation menu, gathered from each app's ``organisation_nav``
    (``[(label, url_name), ...]``, URLs taking ``organisation_id``)."""
    match = getattr(request, "resolver_match", None)
    organisation_id = match.kwargs.get("organisation_id") if match else None
    if organisation_id is None or not request.user.is_authenticated:
        return {}
    home = reverse("organisation-home", args=[organisation_id])
    entries = [{"label": gettext("Overview"), "url": home, "current": request.path == home}]
    for config in apps.get_app_configs():
        for label, url_name in getattr(config, "organisation_nav", ()):
            url = reverse(url_name, args=[organisation_id])
            entries.append({"label": label, "url": url, "current": request.path.startswith(url)})
    return {"organisation_nav": entries}


@dataclass(frozen=True)
class Panel:
    """One block of an organisation's home page, contributed by an app (``dashboard_panels`` on its
    AppConfig names a function ``(request, organisation, role) -> list[Panel]``)."""

    template: str
    context: dict[str, Any]
    order: int  # lower first; apps order their panels by the reader's role


def dashboard_panels(request: HttpRequest, organisation: Organisation, role: str | None) -> list[Panel]:
    panels: list[Panel] = []
    for config in apps.get_app_configs():
        path = getattr(config, "dashboard_panels", None)
        if path:
            panels.extend(import_string(path)(request=request, organisation=organisation, role=role))
    return sorted(panels, key=lambda panel: panel.order)


@dataclass(frozen=True)
class SearchResult:
    kind: str
    label: str
    url: str
    detail: str = ""


def search(user: AbstractBaseUser | AnonymousUser, query: str) -> list[SearchResult]:
    """Results of every app's ``search`` function (named by ``search_provider`` on its AppConfig),
    each scoped to what the user may read."""
    results: list[SearchResult] = []
    for config in apps.get_app_configs():
        path = getattr(config, "search_provider", None)
        if path:
            results.extend(import_string(path)(user=user, query=query))
    return results


def linked_records(label: str, pks: list[int]) -> dict[int, list[SearchResult]]:
    """What other apps link to these records of model ``label`` ("app.model"), by record id:
    ``linked_records`` on an AppConfig names ``(label=, pks=) -> dict[int, list[SearchResult]]``.
    An app thereby shows links it cannot import (the action plan shows the incidents that feed it)."""
    found: dict[int, list[SearchResult]] = {}
    for config in apps.get_app_configs():
        path = getattr(config, "linked_records", None)
        if path:
            for pk, results in import_string(path)(label=label, pks=pks).items():
                found.setdefault(pk, []).extend(results)
    return found


def paginate(request: HttpRequest, items: Any, per_page: int = 50) -> Any:
    """The requested page of a list (``?page=N``); out-of-range pages give the last one."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
