"""Shared pieces of the REST API: the rules-backed permission class and the router."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import permissions, routers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView

from .http import MAX_ID


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


def id_filter(request: Request, name: str) -> int | None:
    """The id given in the query parameter ``name`` to filter a list (``None`` when absent);
    anything that is not an id answers 400 with the parameter's name."""
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip(), 10)
    except ValueError:
        number = 0
    if not 0 < number <= MAX_ID:
        message = _("Give the id of one %(name)s (a whole number).") % {"name": name}
        raise ValidationError({name: [message]})
    return number
