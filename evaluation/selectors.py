"""Reads for evaluation, scoped to what the user may see.

Free-text answers carry a visibility (see :class:`evaluation.models.Visibility`). Who may read a
free-text answer written by someone else:

* ``private``: nobody (only its author);
* ``group``: the programme's facilitators and the author's group members;
* ``facilitators``: the programme's facilitators;
* ``programme``: facilitators and programme managers.

Peers never read another person's survey response (answers of any kind); site admins read what
facilitators read. Programme managers therefore never see free text marked private, nor text
meant for facilitators only. Exports and the API use the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext

from group_life.selectors import accepted_pair_partner_ids
from matching.selectors import all_group_members, group_mate_ids
from peerlearn import tokens
from peerlearn.countries import country_name
from peerlearn.queries import SubqueryCount
from peerlearn.roles import Role, roles_in
from peerlearn.text import folded
from programmes.selectors import (
    all_memberships,
    contacts_involving,
    memberships_visible_to,
    programmes_for,
)

from .models import (
    AccessRecord,
    Answer,
    ComparisonInvitee,
    ExportJob,
    ImpactIndicator,
    Instrument,
    Item,
    Reminder,
    ReminderOptOut,
    Response,
    Story,
    Visibility,
    Wave,
)

if TYPE_CHECKING:
    from peerlearn.users.models import User
    from programmes.models import Membership, Programme


STAFF_ROLES = {Role.FACILITATOR, Role.MANAGER}


# ---------------------------------------------------------------------------------------------
# Visibility


def free_text_levels_for(user: Any, programme: Programme) -> set[str]:
    """Visibility levels of *other people's* free text that ``user`` may read in ``programme``.

    Group-level text is handled per author by :func:`answers_visible_to` (facilitators read it
    all; peers never read others' survey answers).
    """
    roles = roles_in(user, programme)
    if user.is_superuser or Role.FACILITATOR in roles:
        return {Visibility.GROUP, Visibility.FACILITATORS, Visibility.PROGRAMME}
    if Role.MANAGER in roles:
        return {Visibility.PROGRAMME}
    return set()


def answers_visible_to(user: Any, response: Response) -> QuerySet[Answer]:
    """The answers of ``response`` that ``user`` may read (free text filtered by visibility)."""
    answers = response.answers.select_related("item").order_by("item__position", "item_id")
    if response.respondent_id == user.pk:
        return answers
    if not user.has_perm("evaluation.view_response", response):
        return answers.none()
    return answers.filter(text_visible_q(free_text_levels_for(user, response.wave.programme)))


def prefetch_answers(responses: QuerySet[Response]) -> QuerySet[Response]:
    """``responses`` with their answers and questions loaded in one extra query."""
    return responses.prefetch_related(
        Prefetch(
            "answers",
            queryset=Answer.objects.select_related("item").order_by("item__position", "item_id"),
        )
    )


def loaded_answers_visible_to(user: Any, response: Response) -> list[Answer]:
    """Like :func:`answers_visible_to`, filtering answers already loaded by
    :func:`prefetch_answers` instead of querying once per response."""
    answers = list(response.answers.all())
    if response.respondent_id == user.pk:
        return answers
    if not user.has_perm("evaluation.view_response", response):
        return []
    levels = free_text_levels_for(user, response.wave.programme)
    return [
        answer
        for answer in answers
        if answer.item.kind not in Item.TEXT_KINDS or answer.visibility in levels
    ]


def readable_answers(answers: Iterable[Answer], programme: Programme) -> list[tuple[str, str]]:
    """``(question, answer)`` pairs to show, with picked peers named instead of numbered."""
    rows = list(answers)
    picked = {int(pk) for a in rows if a.item.kind == Item.Kind.PEERS for pk in a.selected}
    peers = all_memberships().filter(programme=programme, role=Role.PEER, user_id__in=picked)
    names = dict(_labelled(peers)) if picked else {}
    result = []
    for answer in rows:
        if answer.item.kind == Item.Kind.PEERS:
            text = ", ".join(names.get(int(pk), str(pk)) for pk in answer.selected)
        else:
            text = answer.display()
        result.append((answer.item.question, text))
    return result


def text_visible_q(levels: set[str], prefix: str = "") -> Q:
    """Answers that are not free text, or free text at one of ``levels``."""
    return ~Q(**{f"{prefix}item__kind__in": Item.TEXT_KINDS}) | Q(
        **{f"{prefix}visibility__in": sorted(levels)}
    )


def group_ids_of(programme: Programme) -> dict[int, set[int]]:
    """``{user id: ids of the groups they belong to}`` in the programme's matching groups.

    Empty until the matching app records groups for this programme.
    """
    result: dict[int, set[int]] = {}
    rows = (
        all_group_members()
        .filter(run__cohort__programme=programme, run__published_at__isnull=False)
        .values_list("user_id", "group_id")
    )
    for user_id, group_id in rows:
        result.setdefault(user_id, set()).add(group_id)
    return result


def story_readable_by(user: Any, story: Any) -> bool:
    """Whether ``user`` may read ``story`` (the same visibility rules as free text, except that
    peers also read the stories shared with the programme or with their group)."""
    if not isinstance(story, Story) or not user.is_authenticated:
        return False
    if story.author_id == user.pk:
        return True
    roles = roles_in(user, story.programme)
    if story.visibility == Visibility.PRIVATE:
        return False
    if user.is_superuser or Role.FACILITATOR in roles:
        return True
    if story.visibility == Visibility.PROGRAMME:
        return bool(roles & {Role.MANAGER, Role.PEER})
    if story.visibility == Visibility.GROUP and Role.PEER in roles:
        groups = group_ids_of(story.programme)
        return bool(groups.get(user.pk, set()) & groups.get(story.author_id, set()))
    return False


def stories_for(user: Any, programme: Programme) -> QuerySet[Story]:
    """Stories of the programme that ``user`` may read."""
    stories = Story.objects.filter(programme=programme).select_related("author")
    roles = roles_in(user, programme)
    if user.is_superuser or Role.FACILITATOR in roles:
        return stories.filter(Q(author=user) | ~Q(visibility=Visibility.PRIVATE))
    readable = Q(author=user)
    if roles & {Role.MANAGER, Role.PEER}:
        readable |= Q(visibility=Visibility.PROGRAMME)
    if Role.PEER in roles:
        published = all_group_members().filter(
            run__cohort__programme=programme, run__published_at__isnull=False
        )
        mine = published.filter(user_id=user.pk).values("group_id")
        mates = published.filter(group_id__in=mine).exclude(user_id=user.pk).values("user_id")
        readable |= Q(visibility=Visibility.GROUP, author_id__in=mates)
    if not roles and not user.is_superuser:
        return stories.none()
    return stories.filter(readable)


def stories_to_follow_up(user: Any, programme: Programme) -> QuerySet[Story]:
    """The user's own stories still waiting for their applied and realised value."""
    return Story.objects.filter(programme=programme, author_id=user.pk, followed_up_at__isnull=True)


def get_story_for(user: Any, pk: int) -> Story:
    """A story in one of the user's programmes (404 elsewhere); read rights are checked by the
    caller with ``evaluation.view_story`` (403)."""
    return get_object_or_404(
        Story.objects.select_related("programme", "author"),
        pk=pk,
        programme__in=programmes_for(user),
    )


# ---------------------------------------------------------------------------------------------
# Instruments, waves and responses


def instruments_for(user: Any, programme: Programme | None = None) -> QuerySet[Instrument]:
    """Instruments the user may read: the built-ins, and those of their programmes."""
    if not user.is_authenticated:
        return Instrument.objects.none()
    scope = Q(programme__isnull=True) | Q(programme__in=programmes_for(user))
    queryset = Instrument.objects.filter(scope)
    if programme is not None:
        queryset = queryset.filter(Q(programme__isnull=True) | Q(programme=programme))
    return queryset.order_by("programme_id", "kind", "key", "-version")


def current_instruments_for(user: Any, programme: Programme) -> QuerySet[Instrument]:
    return instruments_for(user, programme).filter(is_current=True)


def get_instrument_for(user: Any, pk: int) -> Instrument:
    return get_object_or_404(instruments_for(user), pk=pk)


def is_invited(user: Any, wave: Any) -> bool:
    """A peer of the wave's programme, in the wave's cohort when it has one."""
    if not isinstance(wave, Wave) or not user.is_authenticated:
        return False
    if Role.PEER not in roles_in(user, wave.programme):
        return False
    if wave.cohort_id is None:
        return True
    return (
        all_memberships()
        .filter(user=user, programme_id=wave.programme_id, role=Role.PEER, cohort_id=wave.cohort_id)
        .exists()
    )


def invitees_of(wave: Wave) -> QuerySet[Membership]:
    """The peer memberships a wave asks to answer."""
    peers = all_memberships().filter(programme_id=wave.programme_id, role=Role.PEER)
    if wave.cohort_id is not None:
        peers = peers.filter(cohort_id=wave.cohort_id)
    return peers.select_related("user")


def due_emails(wave: Wave, today: date) -> list[tuple[User, str]]:
    """Who gets an email about ``wave`` today, and which kind (see :func:`due_wave_emails`)."""
    return [(user, kind) for _wave, user, kind in due_wave_emails([wave], today)]


def due_wave_emails(waves: Iterable[Wave], today: date) -> list[tuple[Wave, User, str]]:
    """Who gets an email about which of ``waves`` today, and which kind.

    Nobody who has submitted, nobody who opted out, nobody already emailed today; the first
    email is the invitation, then at most ``max_reminders`` reminders, each at least
    ``reminder_gap_days`` after the previous email. Nothing before opening or after closing.
    Read in four queries whatever the number of waves and peers.
    """
    open_waves = [
        w for w in waves if w.status == Wave.Status.OPEN and w.opens_on <= today <= w.closes_on
    ]
    if not open_waves:
        return []
    wave_ids = [w.pk for w in open_waves]
    programme_ids = {w.programme_id for w in open_waves}
    history = {
        (row["wave_id"], row["user_id"]): row
        for row in Reminder.objects.filter(wave_id__in=wave_ids)
        .values("wave_id", "user_id")
        .annotate(
            reminders=Count("pk", filter=Q(kind=Reminder.Kind.REMINDER)),
            last=Max("sent_on"),
        )
        .order_by()
    }
    answered = set(
        Response.objects.filter(wave_id__in=wave_ids, status=Response.Status.SUBMITTED)
        .values_list("wave_id", "respondent_id")
        .order_by()
    )
    opted_out = set(
        ReminderOptOut.objects.filter(programme_id__in=programme_ids).values_list(
            "user_id", "programme_id"
        )
    )
    peers: dict[int, list[Membership]] = {}
    memberships = (
        all_memberships()
        .filter(programme_id__in=programme_ids, role=Role.PEER, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    for membership in memberships:
        peers.setdefault(membership.programme_id, []).append(membership)
    result: list[tuple[Wave, User, str]] = []
    for wave in open_waves:
        seen: set[int] = set()
        for membership in peers.get(wave.programme_id, []):
            user = membership.user
            if wave.cohort_id is not None and membership.cohort_id != wave.cohort_id:
                continue
            if user.pk in seen or (wave.pk, user.pk) in answered:
                continue
            seen.add(user.pk)
            if (user.pk, wave.programme_id) in opted_out:
                continue
            sent = history.get((wave.pk, user.pk))
            if sent is None:
                result.append((wave, user, Reminder.Kind.INVITATION))
            elif (
                sent["reminders"] < wave.max_reminders
                and (today - sent["last"]).days >= wave.reminder_gap_days
            ):
                result.append((wave, user, Reminder.Kind.REMINDER))
    return result


def waves_for(user: Any, programme: Programme) -> QuerySet[Wave]:
    """Waves of the programme the user may see: all for staff, their own cohort's for a peer."""
    waves = Wave.objects.filter(programme=programme).select_related("instrument", "cohort")
    roles = roles_in(user, programme)
    if user.is_superuser or roles & STAFF_ROLES:
        return waves
    if Role.PEER in roles:
        cohorts = (
            all_memberships()
            .filter(user=user, programme=programme, role=Role.PEER, cohort__isnull=False)
            .values("cohort")
        )
        return waves.filter(Q(cohort__isnull=True) | Q(cohort__in=cohorts))
    return waves.none()


def all_waves_for(user: Any) -> QuerySet[Wave]:
    """Waves across the user's programmes (API listing)."""
    if not user.is_authenticated:
        return Wave.objects.none()
    waves = Wave.objects.select_related("instrument", "cohort", "programme")
    if user.is_superuser:
        return waves
    staff = (
        all_memberships()
        .filter(user=user, role__in=[Role.FACILITATOR, Role.MANAGER])
        .values("programme")
    )
    peer = all_memberships().filter(user=user, role=Role.PEER)
    return waves.filter(
        Q(programme__in=staff)
        | Q(programme__in=peer.values("programme"), cohort__isnull=True)
        | Q(cohort__in=peer.filter(cohort__isnull=False).values("cohort"))
    ).distinct()


def get_wave_for(user: Any, pk: int) -> Wave:
    return get_object_or_404(
        Wave.objects.select_related("programme", "instrument", "cohort"),
        pk=pk,
        programme__in=programmes_for(user),
    )


def my_surveys(user: Any, programme: Programme) -> list[dict[str, Any]]:
    """The waves a peer is asked to answer, with the state of their response."""
    if Role.PEER not in roles_in(user, programme):
        return []
    waves = waves_for(user, programme).exclude(status=Wave.Status.SCHEDULED)
    responses = {
        r.wave_id: r for r in Response.objects.filter(respondent=user, wave__in=waves.values("pk"))
    }
    return [{"wave": wave, "response": responses.get(wave.pk)} for wave in waves]


def own_response(user: Any, wave: Wave) -> Response | None:
    """``user``'s own response to ``wave`` (a draft or submitted), if they started one."""
    return Response.objects.filter(wave=wave, respondent_id=user.pk).first()


def responses_for(user: Any) -> QuerySet[Response]:
    """Responses the user may read: their own (drafts included), and the submitted responses of
    programmes where they are a facilitator or programme manager (answers still filtered by
    visibility). A draft is never shown to anyone but its respondent."""
    if not user.is_authenticated:
        return Response.objects.none()
    responses = Response.objects.select_related("wave", "wave__programme", "respondent")
    submitted = Q(status=Response.Status.SUBMITTED)
    if user.is_superuser:
        return responses.filter(Q(respondent=user) | submitted)
    staff = (
        all_memberships()
        .filter(user=user, role__in=[Role.FACILITATOR, Role.MANAGER])
        .values("programme")
    )
    return responses.filter(Q(respondent=user) | (submitted & Q(wave__programme__in=staff)))


def wave_responses(wave: Wave, *, q: str = "") -> QuerySet[Response]:
    """The wave's submitted responses, first submitted first; ``q`` narrows them to
    respondents whose name or email address holds it."""
    responses = wave.responses.filter(status=Response.Status.SUBMITTED)
    if q:
        responses = responses.filter(
            Q(respondent__full_name__icontains=q) | Q(respondent__email__icontains=q)
        )
    return responses.select_related("respondent").order_by("submitted_at", "pk")


def response_rates(programme: Programme) -> list[dict[str, Any]]:
    """Per wave: invited peers (of its cohort, or of the programme), submitted responses and
    the rate, in one query."""
    peers = all_memberships().filter(programme=programme, role=Role.PEER)
    everyone = peers.values("user_id").distinct()
    in_cohort = peers.filter(cohort_id=OuterRef("cohort_id")).values("user_id").distinct()
    waves = list(
        Wave.objects.filter(programme=programme)
        .select_related("instrument", "cohort")
        .annotate(
            submitted_count=SubqueryCount(
                Response.objects.filter(
                    wave=OuterRef("pk"), status=Response.Status.SUBMITTED
                ).values("pk")
            ),
            draft_count=SubqueryCount(
                Response.objects.filter(wave=OuterRef("pk"), status=Response.Status.DRAFT).values(
                    "pk"
                )
            ),
            invited=Case(
                When(cohort__isnull=True, then=SubqueryCount(everyone)),
                default=SubqueryCount(in_cohort),
            ),
        )
        .order_by("opens_on", "pk")
    )
    rows = []
    for wave in waves:
        invited = int(wave.invited)
        submitted = int(wave.submitted_count)
        rows.append(
            {
                "wave": wave,
                "invited": invited,
                "submitted": submitted,
                "drafts": int(wave.draft_count),
                "rate": submitted / invited if invited else None,
            }
        )
    return rows


def _labelled(memberships: QuerySet[Membership], limit: int | None = None) -> list[tuple[int, str]]:
    """``(user id, "name (country)")`` of the memberships' people, each once, by name."""
    rows = memberships.select_related("user", "organisation").order_by(
        "user__full_name", "user__email", "pk"
    )
    result: dict[int, str] = {}
    for membership in rows if limit is None else rows[:limit]:
        label = str(membership.user)
        if membership.organisation is not None:
            label = f"{label} ({country_name(membership.organisation.country)})"
        result.setdefault(membership.user_id, label)
    return list(result.items())


def peer_choices(
    programme: Programme, *, exclude: Any = None, viewer: Any = None
) -> list[tuple[int, str]]:
    """``(user id, name)`` of the programme's peers, or only those ``viewer`` may see."""
    return _labelled(_pickable(programme, viewer, exclude=exclude))


def _pickable(programme: Programme, viewer: Any, *, exclude: Any = None) -> QuerySet[Membership]:
    """The peer memberships of the "which peers" question's answers: those ``viewer`` may choose
    (a peer chooses among the peers of their own cohort, never an erased person), ``exclude``
    (the respondent) left out; without ``viewer``, every peer of the programme (to name those
    already chosen)."""
    if viewer is None:
        memberships = all_memberships().filter(programme=programme)
    else:
        memberships = memberships_visible_to(viewer, programme).filter(user__erased_at__isnull=True)
    return memberships.filter(role=Role.PEER).exclude(user_id=exclude)


def peer_ids_among(
    programme: Programme, user_ids: set[int], *, exclude: Any, viewer: Any
) -> set[int]:
    """Which of ``user_ids`` ``viewer`` may choose as peers, read for those ids only."""
    rows = _pickable(programme, viewer, exclude=exclude).filter(user_id__in=user_ids)
    return set(rows.values_list("user_id", flat=True))


def peers_named(
    programme: Programme, viewer: Any, user_ids: Iterable[int]
) -> list[tuple[int, str]]:
    """``(user id, name)`` of those of ``user_ids`` that ``viewer`` may choose, by name."""
    ids = {int(pk) for pk in user_ids}
    if not ids:
        return []
    return _labelled(_pickable(programme, viewer, exclude=viewer.pk).filter(user_id__in=ids))


# The people a respondent works with, offered first by the "which peers" question (at most this
# many), and how many peers a search by name shows at once.
PEERS_SUGGESTED = 60
PEERS_FOUND = 20


def peers_worked_with(programme: Programme, viewer: Any) -> list[tuple[int, str, str]]:
    """``(user id, name, why)`` of the peers ``viewer`` works with, among those they may choose:
    the members of their published group, then their pair partners (each by name), then the
    peers they logged contacts with (the latest first). A few queries, whatever the size of the
    programme."""
    group = group_mate_ids(viewer, programme.pk)
    pair = accepted_pair_partner_ids(viewer, programme.pk) - group
    contacts = contacts_involving(programme, [viewer.pk]).order_by("-occurred_on", "-pk")
    latest: dict[int, int] = {}
    for ids in contacts.values_list("logged_by_id", "with_user_id")[: PEERS_SUGGESTED * 4]:
        for pk in ids:
            if pk is not None and pk not in group and pk not in pair:
                latest.setdefault(pk, len(latest))
    named = dict(peers_named(programme, viewer, group | pair | set(latest)))

    def rank(pk: int) -> tuple[int, int, str]:
        if pk in group:
            return (0, 0, named[pk])
        return (1, 0, named[pk]) if pk in pair else (2, latest[pk], "")

    why = {0: gettext("your group"), 1: gettext("your pair"), 2: gettext("a contact")}
    kept = sorted(named, key=rank)[:PEERS_SUGGESTED]
    return [(pk, named[pk], why[rank(pk)[0]]) for pk in kept]


def find_peers(
    programme: Programme, viewer: Any, query: str, *, shown: Iterable[int] = ()
) -> tuple[list[tuple[int, str]], bool]:
    """The peers ``viewer`` may choose whose name holds every word of ``query`` (at least two
    letters in all), leaving out those already ``shown``: at most :data:`PEERS_FOUND`, by name,
    and whether there are more."""
    words = folded(query).split()[:5]
    if len("".join(words)) < 2:
        return [], False
    rows = _pickable(programme, viewer, exclude=viewer.pk).exclude(
        user_id__in={int(pk) for pk in shown}
    )
    # Compared in Python, folded: the database's LIKE ignores neither accents nor (SQLite) the
    # case of non-Latin letters. One short row per peer of the cohort.
    matching: dict[int, None] = {}
    for user_id, full_name, email in rows.values_list(
        "user_id", "user__full_name", "user__email"
    ).order_by("user__full_name", "user__email", "pk"):
        # the name shown: the full name, or the address of someone who gave no name
        name = folded(full_name or email)
        joined = name.replace(" ", "")  # "darcy" finds "D'Arcy"
        if all(word in name or word in joined for word in words):
            matching[user_id] = None
            if len(matching) > PEERS_FOUND:
                break
    found = _labelled(rows.filter(user_id__in=matching))
    return found[:PEERS_FOUND], len(found) > PEERS_FOUND


def access_records(programme: Programme, limit: int = 50) -> QuerySet[AccessRecord]:
    return AccessRecord.objects.filter(programme=programme).select_related("user")[:limit]


def impact_indicators(programme: Programme) -> QuerySet[ImpactIndicator]:
    return ImpactIndicator.objects.filter(programme=programme).prefetch_related("observations")


def has_answers(instrument: Instrument) -> bool:
    return Response.objects.filter(instrument=instrument).exists()


def peers_with_submissions(programme: Programme) -> Any:
    return Exists(
        Response.objects.filter(
            wave__programme=programme,
            respondent_id=OuterRef("user_id"),
            status=Response.Status.SUBMITTED,
        )
    )


def dates_span_weeks(dates: Iterable[date]) -> float:
    """Weeks between the earliest and the latest of ``dates`` (0 for fewer than two)."""
    values = list(dates)
    if len(values) < 2:
        return 0.0
    return (max(values) - min(values)).days / 7


def reminders_stopped(user_id: int, programme_id: int) -> bool:
    """The person asked to receive no more reminder emails of the programme."""
    return ReminderOptOut.objects.filter(user_id=user_id, programme_id=programme_id).exists()


def reminders_stopped_in(programme_ids: Iterable[int]) -> set[tuple[int, int]]:
    """``{(user id, programme id)}`` of everyone who stopped the programmes' reminder emails."""
    return set(
        ReminderOptOut.objects.filter(programme_id__in=list(programme_ids)).values_list(
            "user_id", "programme_id"
        )
    )


# ---------------------------------------------------------------------------------------------
# The comparison group


COMPARISON_LINK_MAX_DAYS = 120


def comparison_from_token(token: str) -> ComparisonInvitee | None:
    """The invitee a comparison link was sent to, or None when the link is forged, older than
    :data:`COMPARISON_LINK_MAX_DAYS` or its wave's closing date has passed."""
    data = tokens.COMPARISON.read(token, max_age=timedelta(days=COMPARISON_LINK_MAX_DAYS))
    if data is None:
        return None
    pk = data.get("c")
    if not isinstance(pk, int):
        return None
    invitee = (
        ComparisonInvitee.objects.select_related("wave", "wave__programme", "wave__instrument")
        .filter(pk=pk)
        .first()
    )
    if invitee is None or timezone.localdate() > invitee.wave.closes_on:
        return None
    return invitee


def comparison_items(instrument: Instrument) -> list[Item]:
    """The items a non-participant answers: all but the "which peers" picker."""
    return [item for item in instrument.items.all() if item.kind != Item.Kind.PEERS]


def export_jobs_for(user: Any, programme: Programme) -> QuerySet[ExportJob]:
    """The export jobs ``user`` asked for in the programme, newest first: nobody else's, and
    none once the person may no longer export the programme's data."""
    if not user.is_authenticated or not user.has_perm("evaluation.export", programme):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(programme=programme, requested_by=user)
