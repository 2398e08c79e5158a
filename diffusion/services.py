"""Writes for diffusion: plans, report-backs and their attendee links, chapters, pilots,
impact stories and the sponsor's monthly progress report."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.errors import ServiceError
from peerlearn.roles import Role
from peerlearn.users.models import User
from programmes.selectors import all_memberships

from . import emails, selectors
from .emails import queue_links, send_plan_to_sponsors
from .models import (
    Chapter,
    ChapterMeeting,
    ChapterMember,
    DiffusionPlan,
    ImpactStory,
    Pilot,
    PilotMilestone,
    PilotStep,
    PilotUpdate,
    PlannedActivity,
    Recipient,
    ReportBack,
)

if TYPE_CHECKING:
    from programmes.models import Organisation, Programme


MAX_DEPTH = 8  # onward sharing is followed this many steps from the peer
MAX_NAMED_PER_ANSWER = 25


def max_recipients_per_report_back() -> int:
    """Onward recipients (named by attendees, not by the peer) emailed per report-back graph."""
    return int(getattr(settings, "DIFFUSION_MAX_RECIPIENTS_PER_REPORT_BACK", 200))


def max_onward_emails_per_link_per_day() -> int:
    """People emailed on the word of one answering link in a day."""
    return int(getattr(settings, "DIFFUSION_MAX_ONWARD_EMAILS_PER_LINK_PER_DAY", 10))


class DiffusionError(ServiceError):
    """A diffusion action cannot be done; the message says why in plain words."""


class AlreadyLogged(DiffusionError):
    """The same report-back form (or API request) was sent again: ``report_back`` is the one
    it logged the first time."""

    def __init__(self, report_back: ReportBack) -> None:
        super().__init__(_("This report-back is logged already; it was sent twice."))
        self.report_back = report_back


# ---------------------------------------------------------------------------------------------
# Diffusion plans


@transaction.atomic
def save_plan(*, programme: Programme, peer: User, goal: str, propose: bool) -> DiffusionPlan:
    """Create or update a peer's plan. Proposing it asks the sponsor to confirm; changing a
    confirmed plan sends it back to the sponsor."""
    plan, _created = DiffusionPlan.objects.select_for_update().get_or_create(
        programme=programme,
        peer=peer,
        defaults={"organisation": selectors.peer_organisation(peer, programme)},
    )
    plan.goal = goal
    if plan.organisation is None:
        plan.organisation = selectors.peer_organisation(peer, programme)
    if propose or plan.status == DiffusionPlan.Status.CONFIRMED:
        plan.status = DiffusionPlan.Status.PROPOSED
        plan.confirmed_by = None
        plan.confirmed_at = None
        plan.proposed_at = timezone.now()
    plan.save()
    if plan.status == DiffusionPlan.Status.PROPOSED:
        ask_sponsors(plan.pk)
    return plan


def ask_sponsors(plan_id: int) -> int:
    """Ask the sponsors of a proposed plan to confirm it, each by an email of its own (see
    :func:`diffusion.emails.ask_sponsors`); a proposal is announced once."""
    from .tasks import send_plan_notice

    return send_plan_to_sponsors(plan_id=plan_id, job=send_plan_notice)


def queue_waiting_emails(*, now: datetime | None = None) -> dict[str, int]:
    """Periodic: hand to the broker the plan notices and feedback links it could not take
    (see :func:`diffusion.emails.queue_waiting_emails`)."""
    from .tasks import send_feedback_link, send_plan_notice

    return emails.queue_waiting_emails(
        notice_job=send_plan_notice, link_job=send_feedback_link, now=now
    )


@transaction.atomic
def add_planned_activity(
    *, plan: DiffusionPlan, audience: str, planned_on: date, format: str, level: str
) -> PlannedActivity:
    activity = PlannedActivity.objects.create(
        plan=plan, audience=audience, planned_on=planned_on, format=format, level=level
    )
    if plan.status == DiffusionPlan.Status.CONFIRMED:
        DiffusionPlan.objects.filter(pk=plan.pk).update(
            status=DiffusionPlan.Status.PROPOSED,
            confirmed_by=None,
            confirmed_at=None,
            proposed_at=timezone.now(),
        )
        ask_sponsors(plan.pk)
    return activity


@transaction.atomic
def confirm_plan(*, plan: DiffusionPlan, sponsor: User, time_and_means: str) -> DiffusionPlan:
    """The sponsor confirms the plan and the time and means the organisation commits."""
    plan = DiffusionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == DiffusionPlan.Status.DRAFT:
        raise DiffusionError(_("This plan is still a draft: the peer has not proposed it yet."))
    if not time_and_means.strip():
        raise DiffusionError(_("Say what time and means your organisation commits."))
    plan.status = DiffusionPlan.Status.CONFIRMED
    plan.time_and_means = time_and_means.strip()
    plan.confirmed_by = sponsor
    plan.confirmed_at = timezone.now()
    plan.save()
    return plan


# ---------------------------------------------------------------------------------------------
# Report-backs and the diffusion graph


def _onward_allowance(report_back: ReportBack, shared_by: Recipient) -> int:
    """How many more people named by ``shared_by`` may be emailed now: the smaller of what is
    left of the report-back's onward limit and of the answering link's daily limit."""
    onward = report_back.recipients.filter(shared_by__isnull=False, email_withheld=False)
    left_in_graph = max_recipients_per_report_back() - onward.count()
    today = onward.filter(
        shared_by=shared_by, created_at__gte=timezone.now() - timedelta(days=1)
    ).count()
    left_today = max_onward_emails_per_link_per_day() - today
    return max(min(left_in_graph, left_today), 0)


def _add_recipients(
    *, report_back: ReportBack, emails: list[str], shared_by: Recipient | None
) -> list[Recipient]:
    """Add people to a session's graph and queue their links.

    An address is emailed at most once per report-back. When the peer names again an attendee
    whose link expired unanswered, that attendee gets a fresh link instead of a second place.
    People named onward (by an attendee's link, without an account) are emailed within the
    limits of :func:`_onward_allowance`; beyond them they are recorded with ``email_withheld``
    and receive nothing.
    """
    existing = {e.lower() for e in report_back.recipients.values_list("email", flat=True)} | {
        report_back.peer.email.lower()
    }
    depth = 1 if shared_by is None else shared_by.depth + 1
    allowance = None if shared_by is None else _onward_allowance(report_back, shared_by)
    created = []
    resend: list[Recipient] = []
    for email in emails:
        email = email.strip().lower()
        if email in existing:
            if shared_by is None:
                stale = report_back.recipients.filter(
                    email=email,
                    answered_at__isnull=True,
                    email_withheld=False,
                    link_expires_at__lte=timezone.now(),
                )
                resend.extend(stale)
                stale.update(
                    link_sent_at=None, token_hash="", link_expires_at=None, dispatched_at=None
                )
            continue
        if not email:
            continue
        existing.add(email)
        withheld = allowance is not None and allowance <= 0
        if allowance is not None and not withheld:
            allowance -= 1
        created.append(
            Recipient.objects.create(
                report_back=report_back,
                email=email,
                depth=depth,
                shared_by=shared_by,
                email_withheld=withheld,
            )
        )
    from .tasks import send_feedback_link

    queue_links([r for r in created if not r.email_withheld] + resend, job=send_feedback_link)
    return created


@transaction.atomic
def log_report_back(
    *,
    programme: Programme,
    peer: User,
    title: str,
    held_on: date,
    audience: str,
    audience_size: int,
    level: str,
    lessons: str = "",
    lessons_visible_to_sponsor: bool = False,
    materials: UploadedFile | None = None,
    attendee_emails: list[str] | tuple[str, ...] = (),
    submission_key: uuid.UUID | None = None,
) -> ReportBack:
    """Log a report-back session; each named attendee gets a feedback link by email.

    With a ``submission_key``, sending the same submission again logs nothing more and raises
    :class:`AlreadyLogged` (also when both arrive at the same moment)."""
    if submission_key is not None:
        earlier = ReportBack.objects.filter(peer=peer, submission_key=submission_key).first()
        if earlier is not None:
            raise AlreadyLogged(earlier)
    if len({e.strip().lower() for e in attendee_emails if e.strip()}) > audience_size:
        raise DiffusionError(
            _("You named more attendees than the number of people present."),
            field="attendee_emails",
        )
    report_back = ReportBack(
        programme=programme,
        peer=peer,
        organisation=selectors.peer_organisation(peer, programme),
        title=title,
        held_on=held_on,
        audience=audience,
        audience_size=audience_size,
        level=level,
        lessons=lessons,
        lessons_visible_to_sponsor=lessons_visible_to_sponsor,
        submission_key=submission_key,
    )
    if materials is not None:
        report_back.materials.save(materials.name or "materials", materials, save=False)
    try:
        with transaction.atomic():
            report_back.save()
    except IntegrityError:
        earlier = ReportBack.objects.filter(peer=peer, submission_key=submission_key).first()
        if earlier is None:
            raise
        if report_back.materials:
            report_back.materials.delete(save=False)
        raise AlreadyLogged(earlier) from None
    _add_recipients(report_back=report_back, emails=list(attendee_emails), shared_by=None)
    return report_back


@transaction.atomic
def add_attendees(*, report_back: ReportBack, emails: list[str]) -> list[Recipient]:
    report_back = (
        ReportBack.objects.select_for_update(of=("self",))
        .select_related("peer")
        .get(pk=report_back.pk)
    )
    named = report_back.recipients.filter(depth=1).count()
    new = {e.strip().lower() for e in emails if e.strip()} - {
        e.lower() for e in report_back.recipients.values_list("email", flat=True)
    }
    if named + len(new) > report_back.audience_size:
        raise DiffusionError(
            _("You named more attendees than the number of people present."), field="emails"
        )
    return _add_recipients(report_back=report_back, emails=emails, shared_by=None)


@transaction.atomic
def submit_feedback(
    *, recipient: Recipient, will_use: str, share_with: list[str]
) -> list[Recipient]:
    """Record a recipient's answers; the people they will share with join the graph one step
    further out and receive their own link, within the sending limits (beyond them they are
    recorded with ``email_withheld`` and not emailed). A link answers once."""
    recipient = (
        Recipient.objects.select_for_update(of=("self",))
        .select_related("report_back__peer")
        .get(pk=recipient.pk)
    )
    state = selectors.link_state(recipient)
    if state == "answered":
        raise DiffusionError(_("This link has been used already. Thank you for answering."))
    if state == "expired":
        raise DiffusionError(_("This link has expired."))
    emails = [e.strip().lower() for e in share_with if e.strip()]
    if len(emails) > MAX_NAMED_PER_ANSWER:
        raise DiffusionError(
            _("Please name at most %(count)d people.") % {"count": MAX_NAMED_PER_ANSWER}
        )
    recipient.will_use = will_use.strip()
    recipient.share_with = "\n".join(emails)
    recipient.answered_at = timezone.now()
    recipient.save(update_fields=["will_use", "share_with", "answered_at"])
    if recipient.depth >= MAX_DEPTH:
        return []
    emails = [e for e in emails if e != recipient.email.lower()]
    # one answer at a time per report-back, so that the sending limits hold
    report_back = (
        ReportBack.objects.select_for_update(of=("self",))
        .select_related("peer")
        .get(pk=recipient.report_back_id)
    )
    return _add_recipients(report_back=report_back, emails=emails, shared_by=recipient)


# ---------------------------------------------------------------------------------------------
# Chapters


@transaction.atomic
def launch_chapter(
    *,
    programme: Programme,
    founded_by: User,
    name: str,
    country: str,
    launched_on: date,
    purpose: str = "",
) -> Chapter:
    if Chapter.objects.filter(programme=programme, name__iexact=name.strip()).exists():
        raise DiffusionError(
            _("A chapter with this name exists already in the programme."), field="name"
        )
    return Chapter.objects.create(
        programme=programme,
        founded_by=founded_by,
        organisation=selectors.peer_organisation(founded_by, programme),
        name=name.strip(),
        country=country.upper(),
        launched_on=launched_on,
        purpose=purpose,
    )


@transaction.atomic
def add_chapter_member(
    *, chapter: Chapter, full_name: str, email: str, organisation: str, joined_on: date
) -> ChapterMember:
    email = email.strip().lower()
    if email and chapter.members.filter(email=email).exists():
        raise DiffusionError(_("This person is a member already."), field="email")
    return ChapterMember.objects.create(
        chapter=chapter,
        full_name=full_name.strip(),
        email=email,
        organisation=organisation.strip(),
        joined_on=joined_on,
    )


@transaction.atomic
def add_chapter_meeting(
    *, chapter: Chapter, held_on: date, topic: str, attendance: int
) -> ChapterMeeting:
    return ChapterMeeting.objects.create(
        chapter=chapter, held_on=held_on, topic=topic.strip(), attendance=attendance
    )


# ---------------------------------------------------------------------------------------------
# Rapid-results pilots


@transaction.atomic
def start_pilot(
    *,
    programme: Programme,
    lead: User,
    title: str,
    goal: str,
    starts_on: date,
    ends_on: date | None = None,
) -> Pilot:
    ends_on = ends_on or Pilot.default_end(starts_on)
    if ends_on < starts_on:
        raise DiffusionError(_("The end date is before the start date."))
    return Pilot.objects.create(
        programme=programme,
        lead=lead,
        organisation=selectors.peer_organisation(lead, programme),
        title=title.strip(),
        goal=goal,
        starts_on=starts_on,
        ends_on=ends_on,
    )


@transaction.atomic
def add_pilot_step(*, pilot: Pilot, kind: str, description: str) -> PilotStep:
    position = pilot.steps.count() + 1
    return PilotStep.objects.create(
        pilot=pilot, kind=kind, description=description.strip(), position=position
    )


@transaction.atomic
def add_milestone(*, pilot: Pilot, title: str, due_on: date) -> PilotMilestone:
    return PilotMilestone.objects.create(pilot=pilot, title=title.strip(), due_on=due_on)


@transaction.atomic
def mark_milestone_reached(*, milestone: PilotMilestone, reached_on: date) -> PilotMilestone:
    milestone.reached_on = reached_on
    milestone.save(update_fields=["reached_on"])
    return milestone


@transaction.atomic
def post_pilot_update(
    *, pilot: Pilot, author: User, text: str, status: str = "", outcome: str = ""
) -> PilotUpdate:
    """A comment; with ``status`` it also moves the pilot's status (and may record its
    outcome). Only the pilot's lead and facilitators may move the status (checked by views)."""
    pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
    if not text.strip():
        raise DiffusionError(_("Write a comment."))
    update = PilotUpdate.objects.create(
        pilot=pilot, author=author, text=text.strip(), status=status
    )
    fields = []
    if status and status != pilot.status:
        pilot.status = status
        fields.append("status")
    if outcome.strip():
        pilot.outcome = outcome.strip()
        fields.append("outcome")
    if fields:
        pilot.save(update_fields=fields)
    return update


# ---------------------------------------------------------------------------------------------
# Impact stories


@transaction.atomic
def record_story(
    *,
    programme: Programme,
    recorded_by: User,
    title: str,
    kind: str,
    description: str,
    happened_on: date,
    evidence: str,
    evidence_url: str = "",
    organisation: Organisation | None = None,
    peers: list[User] | tuple[User, ...] = (),
    pilots: list[Pilot] | tuple[Pilot, ...] = (),
) -> ImpactStory:
    peer_ids = set(
        all_memberships()
        .filter(programme=programme, role=Role.PEER)
        .values_list("user_id", flat=True)
    )
    if any(p.pk not in peer_ids for p in peers):
        raise DiffusionError(_("Only the programme's peers can be linked to its stories."))
    if any(p.programme_id != programme.pk for p in pilots):
        raise DiffusionError(_("Only the programme's pilots can be linked to its stories."))
    visible_peers = set(
        selectors.story_peers_for(recorded_by, programme).values_list("pk", flat=True)
    )
    if any(p.pk not in visible_peers for p in peers):
        raise DiffusionError(_("You can link only the peers of your own cohort to a story."))
    visible_pilots = set(selectors.pilots_for(recorded_by, programme).values_list("pk", flat=True))
    if any(p.pk not in visible_pilots for p in pilots):
        raise DiffusionError(_("You can link only the pilots of your own cohort to a story."))
    story = ImpactStory.objects.create(
        programme=programme,
        recorded_by=recorded_by,
        title=title.strip(),
        kind=kind,
        description=description,
        happened_on=happened_on,
        evidence=evidence,
        evidence_url=evidence_url,
        organisation=organisation,
    )
    story.peers.set(peers)
    story.pilots.set(pilots)
    return story


# The sponsor's monthly progress report (``sponsor_reports``).
from .sponsor_reports import send_sponsor_report as send_sponsor_report  # noqa: E402
from .sponsor_reports import (  # noqa: E402
    set_sponsor_report_subscription as set_sponsor_report_subscription,
)
from .sponsor_reports import unsubscribe_token as unsubscribe_token  # noqa: E402
