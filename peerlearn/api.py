"""Shared pieces of the REST API: the rules-backed permission class and the router."""

from typing import Any

from rest_framework import permissions, routers
from rest_framework.request import Request
from rest_framework.views import APIView


class RulesPermission(permissions.BasePermission):
    """Checks ``view.object_permissions[action]`` (a rule name) against the object.

    Listing is never checked here: list endpoints return selector-scoped querysets, so objects
    outside the user's programmes are simply not found.
    """

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        action = getattr(view, "action", None) or request.method
        perms: dict[str, str] = getattr(view, "object_permissions", {})
        perm = perms.get(str(action))
        if perm is None:
            return False
        return bool(request.user.has_perm(perm, obj))


router = routers.DefaultRouter()
