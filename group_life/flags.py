"""Stage 2-3 risk flags: groups and pairs without contact, groups that meet without logging.

Set-based: one query for the groups and one for the pairs, whatever their number (see
``group_life.overview``). Each flag links to the list of the groups (or pairs) that raise it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.flags import RiskFlag, Stage

from . import selectors
from .overview import (
    MEETS_WITHOUT_CONTRIBUTIONS,
    NO_CONTACT,
    PAIR_NO_CONTACT,
    pairs_without_contact,
    with_flags,
)

if TYPE_CHECKING:
    from programmes.models import Programme


def flags_for(programme: Programme, today: date | None = None) -> list[RiskFlag]:
    today = today or timezone.localdate()
    weeks = selectors.no_contact_weeks(programme)
    since = today - timedelta(weeks=weeks)
    message = ngettext(
        "No contact has been logged for %(weeks)d week or more.",
        "No contact has been logged for %(weeks)d weeks or more.",
        weeks,
    ) % {"weeks": weeks}
    meets = _(
        "The group meets, but its members have logged no contacts, drafts, notes or reflections."
    )
    groups_url = reverse("group_life:group_life", kwargs={"pk": programme.pk})
    pairs_url = reverse("group_life:pairs", kwargs={"pk": programme.pk})
    flags: list[RiskFlag] = []
    flagged = with_flags(programme, since).filter(Q(no_contact=True) | Q(meets_without=True))
    for group in flagged:
        if group.no_contact:  # type: ignore[attr-defined]
            flags.append(
                RiskFlag(
                    Stage.CONTACT,
                    NO_CONTACT,
                    message,
                    subject=str(group),
                    url=f"{groups_url}?{urlencode({'flag': NO_CONTACT})}",
                )
            )
        if group.meets_without:  # type: ignore[attr-defined]
            flags.append(
                RiskFlag(
                    Stage.LEARNING,
                    MEETS_WITHOUT_CONTRIBUTIONS,
                    meets,
                    subject=str(group),
                    url=f"{groups_url}?{urlencode({'flag': MEETS_WITHOUT_CONTRIBUTIONS})}",
                )
            )
    for pair in pairs_without_contact(programme, since):
        flags.append(
            RiskFlag(
                Stage.CONTACT,
                PAIR_NO_CONTACT,
                message,
                subject=_("Pair %(a)s and %(b)s")
                % {"a": pair.requested_by, "b": pair.requested_of},
                url=f"{pairs_url}?{urlencode({'flag': PAIR_NO_CONTACT})}",
            )
        )
    return flags
