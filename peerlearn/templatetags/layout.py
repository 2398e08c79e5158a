"""Tags of the shared layout: the programme's navigation by stage."""

from __future__ import annotations

from typing import Any

from django import template

from peerlearn.navigation import stages_for
from peerlearn.roles import roles_in

register = template.Library()


@register.simple_tag(takes_context=True)
def programme_navigation(context: template.Context) -> dict[str, Any] | None:
    """The navigation of the programme the page is about (the ``programme`` in the page's
    context), for the signed-in person; ``None`` on pages of no programme or for someone who
    holds no role in it."""
    programme = context.get("programme")
    request = context.get("request")
    if programme is None or request is None or not getattr(programme, "pk", None):
        return None
    user = request.user
    if not user.is_authenticated or not (user.is_superuser or roles_in(user, programme)):
        return None
    match = request.resolver_match
    return stages_for(
        user, programme, path=request.path, view_name=match.view_name if match else ""
    )
