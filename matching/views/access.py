"""What every page of matching checks first: the programme, within the user's programmes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from peerlearn.http import AuthenticatedHttpRequest, posted_id
from programmes.selectors import get_programme_for

if TYPE_CHECKING:
    from programmes.models import Programme


def programme_for(request: AuthenticatedHttpRequest, pk: int, perm: str) -> Programme:
    """The programme (404 outside the user's programmes) if the user has ``perm`` on it."""
    programme = get_programme_for(request.user, pk)
    if not request.user.has_perm(perm, programme):
        raise PermissionDenied(_("You do not have access to this part of the programme."))
    return programme


def id_or_404(value: str | None) -> int:
    """An id posted in a form; anything else is not found."""
    return posted_id(value)
