"""What every page of group life checks first: the programme within the user's programmes,
then the group within the groups the user may see, then the rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from peerlearn.http import AuthenticatedHttpRequest
from programmes.selectors import get_programme_for

from . import selectors

if TYPE_CHECKING:
    from matching.models import Group
    from programmes.models import Programme

DENIED = gettext_lazy("You do not have access to this part of the programme.")


def programme_for(request: AuthenticatedHttpRequest, pk: int, perm: str) -> Programme:
    programme = get_programme_for(request.user, pk)
    if not request.user.has_perm(perm, programme):
        raise PermissionDenied(DENIED)
    return programme


def group_for(
    request: AuthenticatedHttpRequest, pk: int, group_id: int, perm: str
) -> tuple[Programme, Group]:
    programme = get_programme_for(request.user, pk)
    group = selectors.get_workspace_group(request.user, programme, group_id)
    if not request.user.has_perm(perm, group):
        raise PermissionDenied(DENIED)
    return programme, group
