"""Activities (one-off or repeated), site visits, attendance and each person's calendar feed."""

from __future__ import annotations

import calendar
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from peerlearn.roles import Role
from peerlearn.users.models import User

from ..models import (
    Activity,
    ActivitySeries,
    Attendance,
    CalendarFeed,
    Membership,
    Organisation,
    Programme,
)
from ..selectors import attendees_of, member_cohort_id, member_organisation, organisations_of
from .errors import StageOneError


def _add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year = moment.year + month_index // 12
    month = month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def occurrence_starts(start: datetime, frequency: str, occurrences: int) -> list[datetime]:
    """The start of each occurrence: daily, weekly, or monthly (same day, or the month's last)."""
    if frequency == ActivitySeries.Frequency.DAILY:
        return [start + timedelta(days=i) for i in range(occurrences)]
    if frequency == ActivitySeries.Frequency.WEEKLY:
        return [start + timedelta(weeks=i) for i in range(occurrences)]
    if frequency == ActivitySeries.Frequency.MONTHLY:
        return [_add_months(start, i) for i in range(occurrences)]
    raise StageOneError(_("Unknown repetition: %(value)s") % {"value": frequency})


def check_activity_organisations(
    *, programme: Programme, host_organisation: Organisation | None, visiting_organisations: Any
) -> None:
    """An activity's host and visiting organisations must take part in its programme."""
    allowed = set(organisations_of(programme).values_list("pk", flat=True))
    if host_organisation is not None and host_organisation.pk not in allowed:
        raise StageOneError(
            _("The host organisation %(name)s does not take part in this programme.")
            % {"name": host_organisation},
            field="host_organisation",
        )
    outsiders = [
        str(organisation)
        for organisation in visiting_organisations or ()
        if organisation.pk not in allowed
    ]
    if outsiders:
        raise StageOneError(
            _("These visiting organisations do not take part in this programme: %(names)s.")
            % {"names": ", ".join(outsiders)},
            field="visiting_organisations",
        )


def _check_activity(
    *,
    programme: Programme,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    visiting_organisations: Any = (),
    **fields: Any,
) -> None:
    """The rules every activity keeps, however it is created or changed."""
    if ends_at < starts_at:
        raise StageOneError(_("The activity ends before it starts."), field="ends_at")
    if fields.get("reciprocal") and kind != Activity.Kind.SITE_VISIT:
        raise StageOneError(_("Only a site visit can be reciprocal."), field="reciprocal")
    cohort = fields.get("cohort")
    if cohort is not None and cohort.programme_id != programme.pk:
        raise StageOneError(_("This cohort is in another programme."), field="cohort")
    group = fields.get("working_group")
    if group is not None and group.cohort.programme_id != programme.pk:
        raise StageOneError(_("This working group is in another programme."), field="working_group")
    check_activity_organisations(
        programme=programme,
        host_organisation=fields.get("host_organisation"),
        visiting_organisations=visiting_organisations,
    )


@transaction.atomic
def schedule_activity(
    *,
    programme: Programme,
    created_by: User,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    frequency: str = "",
    occurrences: int = 1,
    visiting_organisations: Any = (),
    **fields: Any,
) -> list[Activity]:
    """Create a one-off activity, or a series repeated daily, weekly or monthly."""
    _check_activity(
        programme=programme,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        visiting_organisations=visiting_organisations,
        **fields,
    )
    series = None
    starts = [starts_at]
    if frequency and occurrences > 1:
        series = ActivitySeries.objects.create(
            programme=programme, frequency=frequency, occurrences=occurrences
        )
        starts = occurrence_starts(starts_at, frequency, occurrences)
    duration = ends_at - starts_at
    activities = []
    for number, start in enumerate(starts, start=1):
        activity_title = f"{title} ({number}/{len(starts)})" if series else title
        activity = Activity.objects.create(
            programme=programme,
            kind=kind,
            title=activity_title[:200],
            starts_at=start,
            ends_at=start + duration,
            series=series,
            created_by=created_by,
            **fields,
        )
        if visiting_organisations:
            activity.visiting_organisations.set(visiting_organisations)
        activities.append(activity)
    return activities


@transaction.atomic
def update_activity(*, activity: Activity, **changes: Any) -> Activity:
    """Change an activity; it stays in its programme and keeps the rules of a new one."""
    visiting = changes.pop("visiting_organisations", None)
    changes.pop("programme", None)
    for name, value in changes.items():
        setattr(activity, name, value)
    _check_activity(
        programme=activity.programme,
        kind=activity.kind,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        visiting_organisations=(
            visiting if visiting is not None else list(activity.visiting_organisations.all())
        ),
        reciprocal=activity.reciprocal,
        cohort=activity.cohort,
        working_group=activity.working_group,
        host_organisation=activity.host_organisation,
    )
    activity.save()
    if visiting is not None:
        activity.visiting_organisations.set(visiting)
    return activity


@transaction.atomic
def cancel_activity(*, activity: Activity) -> None:
    activity.delete()


@transaction.atomic
def save_site_visit(
    *,
    programme: Programme,
    visit: Activity | None,
    created_by: User,
    visitor: User,
    host: User,
    title: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str,
    reciprocal: bool,
) -> Activity:
    """Create (or re-plan) the site visit of one peer to another's organisation, as an activity
    of the visitor's cohort; a reciprocal visit has a return visit."""
    visit = visit or Activity(programme=programme, created_by=created_by)
    visit.kind = Activity.Kind.SITE_VISIT
    visit.title = title[:200]
    visit.description = description.strip()
    visit.starts_at = starts_at
    visit.ends_at = ends_at
    visit.location = location.strip()
    visit.reciprocal = reciprocal
    visit.host_organisation = member_organisation(host, programme)
    visit.cohort_id = member_cohort_id(visitor, programme)
    visit.save()
    visiting = member_organisation(visitor, programme)
    if visiting is not None:
        visit.visiting_organisations.set([visiting])
    return visit


@transaction.atomic
def set_attendance(
    *, activity: Activity, membership: Membership, present: bool, user: User
) -> Attendance:
    if membership.programme_id != activity.programme_id or membership.role != Role.PEER:
        raise StageOneError(
            _("Only the programme's peers can be marked present."), field="membership"
        )
    if not attendees_of(activity).filter(pk=membership.pk).exists():
        raise StageOneError(
            _("This peer is not expected at this activity (it is for another cohort)."),
            field="membership",
        )
    attendance, _created = Attendance.objects.update_or_create(
        activity=activity,
        membership=membership,
        defaults={"present": present, "recorded_by": user},
    )
    return attendance


@transaction.atomic
def calendar_feed_for(*, user: User, renew: bool = False) -> CalendarFeed:
    """The person's secret calendar address; ``renew`` replaces the token (the old one dies)."""
    feed, created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if renew and not created:
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token"])
    return feed
