"""Stage-4 risk flags: diffusion stopping at the peer, and no report-back after the event."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerlearn.flags import RiskFlag, Stage

from .models import Chapter, Recipient
from .selectors import held_report_back, peers_of

if TYPE_CHECKING:
    from programmes.models import Programme


def share_weeks() -> int:
    """Weeks after the programme starts by which every peer should have shared with someone."""
    return int(getattr(settings, "DIFFUSION_SHARE_WEEKS", 12))


def report_back_days() -> int:
    """Days after the programme ends by which every peer should have held a report-back."""
    return int(getattr(settings, "DIFFUSION_REPORT_BACK_DAYS", 60))


def flags_for(programme: Programme, *, today: date | None = None) -> list[RiskFlag]:
    today = today or timezone.localdate()
    flags: list[RiskFlag] = []
    # Plain rows, not model instances: a programme may have thousands of peers. Who holds a
    # report-back, who founded a chapter and whether anyone shared onward come in the same query.
    rows = list(
        peers_of(programme)
        .annotate(
            diffusing=held_report_back(programme, OuterRef("user_id")),
            founder=Exists(
                Chapter.objects.filter(programme=programme, founded_by_id=OuterRef("user_id"))
            ),
            onward=Exists(Recipient.objects.filter(report_back__programme=programme, depth__gte=2)),
        )
        .values_list("user_id", "user__full_name", "user__email", "diffusing", "founder", "onward")
    )
    if not rows:
        return flags
    peers = [(user_id, name, email) for user_id, name, email, *_rest in rows]
    diffusing = {user_id for user_id, _n, _e, diffuses, _f, _o in rows if diffuses}
    founders = {user_id for user_id, _n, _e, _d, founded, _o in rows if founded}
    shared_onward = rows[0][5]
    url = reverse("diffusion:overview", kwargs={"pk": programme.pk})
    weeks = share_weeks()
    if programme.starts_on and today >= programme.starts_on + timedelta(weeks=weeks):
        message = ngettext(
            "Has shared with no one %(weeks)d week after the programme started.",
            "Has shared with no one %(weeks)d weeks after the programme started.",
            weeks,
        ) % {"weeks": weeks}
        flags.extend(
            RiskFlag(
                stage=Stage.DIFFUSION,
                code="diffusion-stops-at-peer",
                message=message,
                subject=name or email,
                url=url,
            )
            for user_id, name, email in peers
            if user_id not in diffusing and user_id not in founders
        )
    days = report_back_days()
    without = [user_id for user_id, _name, _email in peers if user_id not in diffusing]
    if programme.ends_on and today >= programme.ends_on + timedelta(days=days) and without:
        flags.append(
            RiskFlag(
                stage=Stage.DIFFUSION,
                code="no-report-back",
                message=ngettext(
                    "%(count)d peer has held no report-back %(days)d days after the event ended.",
                    "%(count)d peers have held no report-back %(days)d days after the event ended.",
                    len(without),
                )
                % {"count": len(without), "days": days},
                url=url,
            )
        )
    if diffusing and not shared_onward:
        started = programme.starts_on
        if started and today >= started + timedelta(weeks=weeks):
            flags.append(
                RiskFlag(
                    stage=Stage.DIFFUSION,
                    code="diffusion-not-past-attendees",
                    message=_(
                        "Lessons reached report-back attendees but nobody has shared them "
                        "further yet."
                    ),
                    severity="info",
                    url=url,
                )
            )
    return flags
