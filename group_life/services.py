"""Writes for group life: the shared problem, meetings, end product, Blind Side board, pairs
and their site visits, cross-group sub-groups, the nightly nudges, the reflection journal and
reflection prompts."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from matching import selectors as matching
from peerlearn import mail
from peerlearn.errors import ServiceError
from peerlearn.roles import roles_in
from peerlearn.users.models import User
from peerlearn.visibility import Visibility
from programmes import selectors as programmes
from programmes import services as programme_services

from . import selectors
from .models import (
    JOURNAL_VISIBILITIES,
    RUBRIC_MAX,
    RUBRIC_MIN,
    BlindSideNote,
    EndProduct,
    GroupLifeSettings,
    GroupMeeting,
    GroupWorkspace,
    MeetingSlot,
    Nudge,
    PairRequest,
    ProblemDraft,
    ReflectionEntry,
    ReflectionPrompt,
    SessionNote,
    SubGroup,
)

if TYPE_CHECKING:
    from matching.models import Group
    from programmes.models import Activity, Programme


class GroupLifeError(ServiceError):
    """A request that cannot be carried out, with a message in plain words."""


def _workspace(group: Group) -> GroupWorkspace:
    workspace, _created = GroupWorkspace.objects.get_or_create(group=group)
    return workspace


@transaction.atomic
def add_problem_draft(*, group: Group, author: User, text: str) -> ProblemDraft:
    text = text.strip()
    if not text:
        raise GroupLifeError(_("Write the problem statement before saving it."))
    # One draft at a time per group (the lock), and the same text saved twice is one draft.
    GroupWorkspace.objects.select_for_update().get(pk=_workspace(group).pk)
    latest = ProblemDraft.objects.filter(group=group).order_by("-created_at", "-pk").first()
    if latest is not None and " ".join(latest.text.split()) == " ".join(text.split()):
        return latest
    return ProblemDraft.objects.create(group=group, author=author, text=text)


@transaction.atomic
def mark_distilled(*, group: Group, draft: ProblemDraft, by: User) -> GroupWorkspace:
    if draft.group_id != group.pk:
        raise GroupLifeError(_("This draft belongs to another group."))
    workspace = GroupWorkspace.objects.select_for_update().get(pk=_workspace(group).pk)
    workspace.distilled = draft
    workspace.distilled_at = timezone.now()
    workspace.distilled_by = by
    workspace.save(update_fields=["distilled", "distilled_at", "distilled_by"])
    return workspace


@transaction.atomic
def set_progress_board(*, group: Group, shown: bool) -> GroupWorkspace:
    workspace = _workspace(group)
    workspace.on_progress_board = shown
    workspace.save(update_fields=["on_progress_board"])
    return workspace


@transaction.atomic
def add_meeting_slot(
    *,
    group: Group,
    by: User,
    every: int,
    weekday: int | None,
    at: time,
    duration_minutes: int,
    starts_on: date,
    location: str = "",
) -> MeetingSlot:
    if every != MeetingSlot.Every.DAY and weekday is None:
        raise GroupLifeError(_("Choose the day of the week for a weekly meeting."))
    return MeetingSlot.objects.create(
        group=group,
        every=every,
        weekday=None if every == MeetingSlot.Every.DAY else weekday,
        time=at,
        duration_minutes=duration_minutes,
        starts_on=starts_on,
        location=location.strip(),
        created_by=by,
    )


@transaction.atomic
def remove_meeting_slot(*, slot: MeetingSlot) -> None:
    slot.delete()


@transaction.atomic
def log_meeting(*, group: Group, by: User, held_on: date, notes: str = "") -> GroupMeeting:
    if held_on > timezone.localdate():
        raise GroupLifeError(_("A meeting can only be logged once it has taken place."))
    meeting, created = GroupMeeting.objects.get_or_create(
        group=group, held_on=held_on, defaults={"notes": notes.strip(), "logged_by": by}
    )
    if not created and notes.strip():
        meeting.notes = "\n\n".join(filter(None, [meeting.notes, notes.strip()]))
        meeting.save(update_fields=["notes"])
    return meeting


@transaction.atomic
def submit_product(
    *, group: Group, by: User, title: str, text: str, file: UploadedFile | None
) -> EndProduct:
    title, text = title.strip(), text.strip()
    existing = EndProduct.objects.filter(group=group).first()
    if not title:
        raise GroupLifeError(_("Give your end product a title."))
    if not text and file is None and not (existing and existing.file):
        raise GroupLifeError(_("Upload a file or write the text of your end product."))
    product = existing or EndProduct(group=group)
    product.title = title
    product.text = text
    if file is not None:
        product.file = file
    product.submitted_by = by
    product.submitted_at = timezone.now()
    product.save()
    return product


@transaction.atomic
def score_product(
    *,
    product: EndProduct,
    by: User,
    new_ideas: int,
    different_experiences: int,
    peer_interaction: int,
    note: str = "",
) -> EndProduct:
    for value in (new_ideas, different_experiences, peer_interaction):
        if not RUBRIC_MIN <= value <= RUBRIC_MAX:
            raise GroupLifeError(
                _("Each score is a whole number from %(low)s to %(high)s.")
                % {"low": RUBRIC_MIN, "high": RUBRIC_MAX}
            )
    product.new_ideas = new_ideas
    product.different_experiences = different_experiences
    product.peer_interaction = peer_interaction
    product.rubric_note = note.strip()
    product.scored_by = by
    product.scored_at = timezone.now()
    product.save()
    return product


@transaction.atomic
def add_note(*, group: Group, author: User, quadrant: str, text: str) -> BlindSideNote:
    text = text.strip()
    if quadrant not in BlindSideNote.Quadrant.values:
        raise GroupLifeError(_("Choose one of the four quadrants."))
    if not text:
        raise GroupLifeError(_("Write something on the note before adding it."))
    return BlindSideNote.objects.create(group=group, author=author, quadrant=quadrant, text=text)


@transaction.atomic
def move_note(*, note: BlindSideNote, quadrant: str, by: User) -> BlindSideNote:
    if quadrant not in BlindSideNote.Quadrant.values:
        raise GroupLifeError(_("Choose one of the four quadrants."))
    note.quadrant = quadrant
    note.moved_at = timezone.now()
    note.moved_by = by
    note.save(update_fields=["quadrant", "moved_at", "moved_by"])
    return note


@transaction.atomic
def request_pair(
    *, programme: Programme, requested_by: User, requested_of: User, purpose: str
) -> PairRequest:
    purpose = purpose.strip()
    if requested_by.pk == requested_of.pk:
        raise GroupLifeError(_("Choose another peer: you cannot pair with yourself."))
    if not purpose:
        raise GroupLifeError(_("Say why you want to pair, so that your peer can answer."))
    if not selectors.pair_partners(requested_by, programme).filter(user=requested_of).exists():
        raise GroupLifeError(_("You can only ask a peer of your own cohort."))
    if PairRequest.objects.filter(
        programme=programme,
        status__in=[PairRequest.Status.PENDING, PairRequest.Status.ACCEPTED],
        requested_by__in=[requested_by, requested_of],
        requested_of__in=[requested_by, requested_of],
    ).exists():
        raise GroupLifeError(_("You already have a request or a pair with this peer."))
    return PairRequest.objects.create(
        programme=programme,
        requested_by=requested_by,
        requested_of=requested_of,
        purpose=purpose,
    )


@transaction.atomic
def answer_pair(*, pair: PairRequest, accept: bool) -> PairRequest:
    if pair.status != PairRequest.Status.PENDING:
        raise GroupLifeError(_("This request has already been answered."))
    pair.status = PairRequest.Status.ACCEPTED if accept else PairRequest.Status.DECLINED
    pair.decided_at = timezone.now()
    pair.save(update_fields=["status", "decided_at"])
    return pair


@transaction.atomic
def plan_visit(
    *,
    pair: PairRequest,
    by: User,
    starts_at: datetime,
    ends_at: datetime,
    location: str,
    reciprocal: bool,
    learning_agenda: str,
) -> PairRequest:
    """Plan (or re-plan) the pair's site visit, as a site-visit activity of the programme: the
    peer who asked visits the other's organisation; a reciprocal visit has a return visit."""
    if not pair.is_accepted:
        raise GroupLifeError(_("The pair must be accepted before a visit is planned."))
    if ends_at < starts_at:
        raise GroupLifeError(_("The visit must end after it starts."))
    if not learning_agenda.strip():
        raise GroupLifeError(_("Write the learning agenda: what you want to learn on the visit."))
    title = _("Site visit: %(visitor)s visits %(host)s") % {
        "visitor": pair.requested_by,
        "host": pair.requested_of,
    }
    visit = programme_services.save_site_visit(
        programme=pair.programme,
        visit=pair.visit,
        created_by=by,
        visitor=pair.requested_by,
        host=pair.requested_of,
        title=title,
        description=learning_agenda,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        reciprocal=reciprocal,
    )
    pair.visit = visit
    pair.learning_agenda = learning_agenda.strip()
    pair.save(update_fields=["visit", "learning_agenda"])
    return pair


@transaction.atomic
def reflect_on_visit(*, pair: PairRequest, text: str) -> PairRequest:
    if pair.visit is None or pair.visit.starts_at > timezone.now():
        raise GroupLifeError(_("You can write the reflection once the visit has taken place."))
    if not text.strip():
        raise GroupLifeError(_("Write what you learned on the visit."))
    pair.reflection = text.strip()
    pair.reflected_at = timezone.now()
    pair.save(update_fields=["reflection", "reflected_at"])
    return pair


@transaction.atomic
def spin_off_sub_group(
    *, programme: Programme, by: User, name: str, problem: str, groups: list[Group]
) -> SubGroup:
    name, problem = name.strip(), problem.strip()
    if len(groups) < 2:
        raise GroupLifeError(_("Choose at least two groups that share the problem."))
    if any(group.programme.pk != programme.pk for group in groups):
        raise GroupLifeError(_("Choose groups of this programme."))
    if not name or not problem:
        raise GroupLifeError(_("Give the sub-group a name and describe the shared problem."))
    if SubGroup.objects.filter(programme=programme, name=name).exists():
        raise GroupLifeError(_("A sub-group with this name exists already."))
    sub_group = SubGroup.objects.create(
        programme=programme, name=name, problem=problem, created_by=by
    )
    sub_group.groups.set(groups)
    sub_group.members.set(
        User.objects.filter(pk__in=matching.group_member_user_ids([g.pk for g in groups]))
    )
    return sub_group


@transaction.atomic
def set_no_contact_weeks(*, programme: Programme, weeks: int) -> GroupLifeSettings:
    if not 1 <= weeks <= 26:
        raise GroupLifeError(_("Choose between 1 and 26 weeks."))
    setting, _created = GroupLifeSettings.objects.update_or_create(
        programme=programme, defaults={"no_contact_weeks": weeks}
    )
    return setting


# Nudges


def _link_for(kind: str, programme_id: int) -> str:
    if kind == Nudge.Kind.REFLECTION:
        return reverse("group_life:journal", kwargs={"pk": programme_id})
    if kind == Nudge.Kind.VISIT_REFLECTION:
        return reverse("group_life:pairs", kwargs={"pk": programme_id})
    return reverse("group_life:group_life", kwargs={"pk": programme_id})


def send_nudges(*, today: date) -> int:
    """Nightly: send every reminder due today, over one connection to the mail server. Running
    it twice on a day sends nothing more. An email that fails does not stop the others.

    The reminders due are read in a handful of queries; each email sent adds no query of its
    own beyond its record, written as soon as it is sent."""
    due = selectors.due_nudges(today=today)
    if not due:
        return 0
    users = User.objects.filter(pk__in={d[1] for d in due}, is_active=True).in_bulk()
    programme_list = programmes.all_programmes().filter(pk__in={d[0] for d in due})
    by_id = {programme.pk: programme for programme in programme_list}
    links = {
        (kind, programme_id): mail.absolute_url(_link_for(kind, programme_id))
        for programme_id, _user, kind, _key, _details in due
    }

    def build(item: tuple[int, int, str, str, dict[str, Any]]) -> Any:
        programme_id, user_id, kind, _key, details = item
        user, programme = users.get(user_id), by_id.get(programme_id)
        if user is None or programme is None:
            return None
        return mail.build_reminder(
            to=user,
            programme_id=programme_id,
            subject="group_life/email/nudge_subject.txt",
            template="group_life/email/nudge",
            context={
                "user": user,
                "programme": programme,
                "kind": kind,
                "details": details,
                "link": links[(kind, programme_id)],
            },
        )

    def record(sent: list[tuple[int, int, str, str, dict[str, Any]]]) -> None:
        Nudge.objects.bulk_create(
            [
                Nudge(
                    programme_id=programme_id,
                    user_id=user_id,
                    kind=kind,
                    subject_key=key,
                    sent_on=today,
                )
                for programme_id, user_id, kind, key, _details in sent
            ],
            ignore_conflicts=True,
        )

    return mail.send_batch(due, build, record)


@transaction.atomic
def write_reflection(
    *,
    programme: Programme,
    author: User,
    learned: str,
    from_whom: str = "",
    will_act: str = "",
    visibility: str = Visibility.PRIVATE,
    activity: Activity | None = None,
    group: Group | None = None,
    peer: User | None = None,
    prompt: ReflectionPrompt | None = None,
) -> ReflectionEntry:
    learned = learned.strip()
    if not learned:
        raise GroupLifeError(_("Write what you learned before saving the entry."))
    if visibility not in JOURNAL_VISIBILITIES:
        raise GroupLifeError(_("Choose who may read this entry."))
    if activity is not None and activity.programme_id != programme.pk:
        raise GroupLifeError(_("Choose an activity of this programme."))
    if peer is not None and (peer.pk == author.pk or not roles_in(peer, programme)):
        raise GroupLifeError(_("Choose another person of this programme."))
    if prompt is not None:
        group = prompt.group
    own = matching.my_group(author, programme)
    if group is not None and (own is None or group.pk != own.pk):
        raise GroupLifeError(_("You can only tie an entry to your own group."))
    if visibility == Visibility.GROUP:
        group = group or own
        if group is None:
            raise GroupLifeError(
                _("You are not in a group yet: choose “Only me” or “The facilitators”.")
            )
    return ReflectionEntry.objects.create(
        programme=programme,
        author=author,
        learned=learned,
        from_whom=from_whom.strip(),
        will_act=will_act.strip(),
        visibility=visibility,
        activity=activity,
        group=group,
        peer=peer,
        prompt=prompt,
    )


@transaction.atomic
def send_prompt(*, group: Group, by: User, question: str, due_on: date) -> ReflectionPrompt:
    question = question.strip()
    if not question:
        raise GroupLifeError(_("Write the question you want the group to reflect on."))
    if due_on < timezone.localdate():
        raise GroupLifeError(_("Choose a date from today on."))
    if group.run.published_at is None:
        raise GroupLifeError(_("Prompts go to published groups only."))
    return ReflectionPrompt.objects.create(
        group=group, question=question, due_on=due_on, created_by=by
    )


@transaction.atomic
def save_session_notes(*, group: Group, by: User, activity: Any, text: str) -> SessionNote:
    """The group's notes of a guided conversation held at an activity of its programme."""
    text = text.strip()
    if not text:
        raise GroupLifeError(_("Write the notes first."))
    if activity.programme_id != group.programme.pk or not activity.conversation_tool:
        raise GroupLifeError(_("Choose an activity with a guided conversation."))
    return SessionNote.objects.create(group=group, activity=activity, text=text, author=by)
