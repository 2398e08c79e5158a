"""Stage 2-3 risk flags: groups and pairs without contact, groups that meet without logging."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matching.selectors import published_groups
from peerlearn.flags import RiskFlag, Stage

from . import selectors
from .models import GroupMeeting, PairRequest

if TYPE_CHECKING:
    from programmes.models import Programme


def flags_for(programme: Programme, today: date | None = None) -> list[RiskFlag]:
    today = today or timezone.localdate()
    weeks = selectors.no_contact_weeks(programme)
    since = selectors.stale_window(programme, today)
    message = ngettext(
        "No contact has been logged for %(weeks)d week or more.",
        "No contact has been logged for %(weeks)d weeks or more.",
        weeks,
    ) % {"weeks": weeks}
    flags: list[RiskFlag] = []
    groups_url = reverse("group_life:group_life", kwargs={"pk": programme.pk})
    pairs_url = reverse("group_life:pairs", kwargs={"pk": programme.pk})
    for group in published_groups(programme):
        ids = [member.user_id for member in group.members.all()]
        if len(ids) < 2:
            continue
        started = group.run.published_at.date() if group.run.published_at else today
        last = selectors.last_contact_between(programme, ids) or started
        if last < since:
            flags.append(
                RiskFlag(
                    Stage.CONTACT, "group-no-contact", message, subject=str(group), url=groups_url
                )
            )
        met = GroupMeeting.objects.filter(group=group, held_on__gte=since).count()
        if met and not selectors.contributions_since(group, since):
            flags.append(
                RiskFlag(
                    Stage.LEARNING,
                    "group-meets-without-contributions",
                    _(
                        "The group meets, but its members have logged no contacts, drafts, "
                        "notes or reflections."
                    ),
                    subject=str(group),
                    url=groups_url,
                )
            )
    pairs = PairRequest.objects.filter(
        programme=programme, status=PairRequest.Status.ACCEPTED
    ).select_related("requested_by", "requested_of")
    for pair in pairs:
        started = pair.decided_at.date() if pair.decided_at else today
        pair_last = selectors.last_contact_between(
            programme, [pair.requested_by_id, pair.requested_of_id]
        )
        if (pair_last or started) < since:
            flags.append(
                RiskFlag(
                    Stage.CONTACT,
                    "pair-no-contact",
                    message,
                    subject=_("Pair %(a)s and %(b)s")
                    % {"a": pair.requested_by, "b": pair.requested_of},
                    url=pairs_url,
                )
            )
    return flags
