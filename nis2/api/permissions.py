from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from nis2.models import Organisation


class RoleWritePermission(BasePermission):
    """Reads are open to every member (the queryset scoping decides what exists);
    writes need a role that the roles table allows on the view's ``resource``."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS or getattr(view, "detail", False):
            return True  # detail routes are decided per object, after scoping (404 before 403)
        return Organisation.objects.writable_by(request.user, view.resource).exists()

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return (
            Organisation.objects.writable_by(request.user, view.resource)
            .filter(pk=view.organisation_id_of(obj))
            .exists()
        )
