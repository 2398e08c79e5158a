"""Reads for matching, always scoped to what the user may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404

from peerlearn.queries import SubqueryCount
from peerlearn.roles import Role, roles_in
from peerlearn.working_languages import language_code
from programmes.selectors import all_memberships, imported_languages

from .. import engine
from ..models import (
    CareerLevel,
    Challenge,
    Education,
    Group,
    GroupMember,
    GroupMove,
    IntakeResponse,
    IntakeSurvey,
    MatchingRun,
    MoveRequest,
    Seniority,
    Theme,
    ThemeSet,
)

if TYPE_CHECKING:
    from programmes.models import Cohort, Membership, Programme


def _is_staff_of(user: Any, programme: Programme) -> bool:
    return bool(user.is_superuser or Role.FACILITATOR in roles_in(user, programme))


def cohorts_for(user: Any, programme: Programme) -> QuerySet[Cohort]:
    """Cohorts the user works with: all for facilitators and managers, their own for a peer."""
    roles = roles_in(user, programme)
    if user.is_superuser or Role.FACILITATOR in roles or Role.MANAGER in roles:
        return programme.cohorts.all()
    return programme.cohorts.filter(memberships__user=user, memberships__role=Role.PEER).distinct()


def get_cohort_for(user: Any, programme: Programme, cohort_id: int) -> Cohort:
    return get_object_or_404(cohorts_for(user, programme), pk=cohort_id)


def peer_cohort(user: Any, programme: Programme) -> Cohort | None:
    """The cohort in which ``user`` is a peer of ``programme`` (the first, if several)."""
    membership = (
        all_memberships()
        .filter(user=user, programme=programme, role=Role.PEER, cohort__isnull=False)
        .select_related("cohort")
        .order_by("cohort__name")
        .first()
    )
    return membership.cohort if membership else None


def peer_memberships(cohort: Cohort) -> QuerySet[Membership]:
    return (
        all_memberships()
        .filter(cohort=cohort, role=Role.PEER)
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email")
    )


def survey_of(cohort: Cohort) -> IntakeSurvey | None:
    return IntakeSurvey.objects.filter(cohort=cohort).first()


def own_response(user: Any, survey: IntakeSurvey) -> IntakeResponse | None:
    return (
        IntakeResponse.objects.filter(survey=survey, user=user)
        .prefetch_related("challenges")
        .first()
    )


def intake_open(survey: IntakeSurvey, user: Any = None) -> bool:
    """Answers can be revised until the cohort's groups are published; a peer who has no
    published group yet (a late joiner) can still answer, to be placed by the nightly job."""
    run = published_run(survey.cohort)
    if run is None:
        return True
    return user is not None and not run.members.filter(user=user).exists()


def intake_done_user_ids(programme: Programme) -> set[int]:
    """Ids of the peers of ``programme`` who have submitted their intake."""
    return set(intake_done_users(programme))


def intake_done_users(programme: Programme) -> QuerySet[Any, int]:
    """The same, as a query (to use inside another one: ``user_id__in=``)."""
    return IntakeResponse.objects.filter(
        survey__cohort__programme=programme, submitted_at__isnull=False
    ).values_list("user_id", flat=True)


COMPLETION_STATUSES = ("done", "started", "not_started")


def completion_rows(survey: IntakeSurvey, *, q: str = "", status: str = "") -> QuerySet[Membership]:
    """The peers of the survey's cohort, each with its intake (``submitted_at``, ``has_draft``,
    ``challenge_count``, ``reminded_at``), for facilitators; filtered by name or email and by
    ``status`` (one of :data:`COMPLETION_STATUSES`). Counted by the database: ready to paginate."""
    responses = IntakeResponse.objects.filter(survey=survey, user=OuterRef("user"))
    challenges = Challenge.objects.filter(response__survey=survey, response__user=OuterRef("user"))
    rows = peer_memberships(survey.cohort).annotate(
        submitted_at=Subquery(responses.values("submitted_at")[:1]),
        reminded_at=Subquery(responses.values("reminded_at")[:1]),
        has_draft=Exists(responses.exclude(draft={})),
        challenge_count=SubqueryCount(challenges.values("pk")),
    )
    if q:
        rows = rows.filter(Q(user__full_name__icontains=q) | Q(user__email__icontains=q))
    if status == "done":
        rows = rows.filter(submitted_at__isnull=False)
    elif status == "started":
        rows = rows.filter(submitted_at__isnull=True, has_draft=True)
    elif status == "not_started":
        rows = rows.filter(submitted_at__isnull=True, has_draft=False)
    return rows.order_by("user__full_name", "user__email", "pk")


def cohorts_with_counts(programme: Programme) -> QuerySet[Cohort]:
    """The programme's cohorts, each with ``peer_count``, ``done_count`` (peers who submitted
    their intake) and ``theme_count``, and its intake survey."""
    peers = all_memberships().filter(cohort=OuterRef("pk"), role=Role.PEER)
    done = IntakeResponse.objects.filter(
        survey__cohort=OuterRef("pk"),
        submitted_at__isnull=False,
        user__in=all_memberships()
        .filter(cohort=OuterRef(OuterRef("pk")), role=Role.PEER)
        .values("user"),
    )
    return (
        programme.cohorts.annotate(
            peer_count=SubqueryCount(peers.values("pk")),
            done_count=SubqueryCount(done.values("pk")),
            theme_count=SubqueryCount(
                Theme.objects.filter(survey__cohort=OuterRef("pk")).values("pk")
            ),
        )
        .select_related("intake_survey")
        .order_by("name", "pk")
    )


def latest_runs(cohort_ids: list[int], *, per_cohort: int = 10) -> dict[int, list[MatchingRun]]:
    """The latest runs of each cohort (at most ``per_cohort``), and every published one, in one
    query."""
    ranked = MatchingRun.objects.filter(cohort_id__in=cohort_ids).annotate(
        rank=Window(RowNumber(), partition_by=F("cohort_id"), order_by=F("created_at").desc())
    )
    runs: dict[int, list[MatchingRun]] = {pk: [] for pk in cohort_ids}
    for run in ranked.filter(Q(rank__lte=per_cohort) | Q(published_at__isnull=False)).order_by(
        "cohort_id", "rank"
    ):
        runs[run.cohort_id].append(run)
    return runs


def peers_ready_count(cohort: Cohort) -> int:
    """How many peers of the cohort have submitted their intake (those a run would group)."""
    return (
        peer_memberships(cohort)
        .filter(
            user__in=IntakeResponse.objects.filter(
                survey__cohort=cohort, submitted_at__isnull=False
            ).values("user")
        )
        .count()
    )


def responses_visible_to(user: Any) -> QuerySet[IntakeResponse]:
    """Intake answers: a peer sees only their own; facilitators see their programmes' answers."""
    base = IntakeResponse.objects.select_related("survey__cohort__programme", "user")
    if not user.is_authenticated:
        return base.none()
    if user.is_superuser:
        return base
    facilitated = all_memberships().filter(user=user, role=Role.FACILITATOR).values("programme")
    return base.filter(survey__cohort__programme__in=facilitated) | base.filter(user=user)


def submitted_challenges_of(survey: IntakeSurvey) -> QuerySet[Challenge]:
    """The challenge statements of the survey's submitted answers."""
    return Challenge.objects.filter(response__survey=survey, response__submitted_at__isnull=False)


def challenges_of(survey: IntakeSurvey) -> QuerySet[Challenge]:
    """Every challenge statement of the survey's answers."""
    return Challenge.objects.filter(response__survey=survey)


def theme_cards(survey: IntakeSurvey) -> QuerySet[Theme]:
    """The cohort's themes by name, each with ``statement_count`` (submitted statements)."""
    return survey.themes.annotate(
        statement_count=Count(
            "challenges", filter=Q(challenges__response__submitted_at__isnull=False)
        )
    ).order_by("name")


def programme_themes(programme_id: int) -> QuerySet[Theme]:
    """The themes of every cohort of a programme."""
    return Theme.objects.filter(survey__cohort__programme_id=programme_id)


NO_THEME = "none"


@dataclass(frozen=True)
class StatementFilter:
    """What the themes page lists: words to look for, one theme (or ``NO_THEME``), a language."""

    text: str = ""
    theme: str = ""
    language: str = ""


def filtered_statements(survey: IntakeSurvey, chosen: StatementFilter) -> QuerySet[Challenge]:
    """The cohort's submitted statements matching ``chosen``, by theme name then id."""
    statements = submitted_challenges_of(survey).select_related("theme")
    if chosen.text:
        statements = statements.filter(text__icontains=chosen.text)
    if chosen.theme == NO_THEME:
        statements = statements.filter(theme__isnull=True)
    elif chosen.theme.isascii() and chosen.theme.isdigit() and len(chosen.theme) <= 18:
        statements = statements.filter(theme_id=int(chosen.theme))
    if chosen.language:
        statements = statements.filter(language=chosen.language)
    return statements.order_by(models.F("theme__name").asc(nulls_first=True), "pk")


def statement_languages(survey: IntakeSurvey) -> list[tuple[str, int]]:
    """``(language code, statements)`` of the cohort's statements, most frequent first
    (the code is empty for statements whose language is not known yet)."""
    rows = (
        submitted_challenges_of(survey)
        .values("language")
        .annotate(count=Count("pk"))
        .order_by("-count", "language")
    )
    return [(str(row["language"]), int(row["count"])) for row in rows]


def theme_versions(survey: IntakeSurvey, limit: int = 20) -> QuerySet[ThemeSet]:
    """The kept versions of the cohort's themes, newest first (without their statements)."""
    return (
        survey.theme_sets.filter(status=ThemeSet.Status.SAVED)
        .select_related("created_by", "applied_by")
        .defer("themes", "parameters")
        .order_by("-number")[:limit]
    )


def latest_proposal(survey: IntakeSurvey) -> ThemeSet | None:
    """The newest proposal still in the works, waiting to be compared, or failed."""
    proposal = (
        survey.theme_sets.filter(kind=ThemeSet.Kind.PROPOSED)
        .exclude(status=ThemeSet.Status.DISCARDED)
        .defer("themes")
        .order_by("-number")
        .first()
    )
    if proposal is None or proposal.status == ThemeSet.Status.SAVED:
        return None
    return proposal


def get_theme_set(survey: IntakeSurvey, set_id: int) -> ThemeSet:
    return get_object_or_404(survey.theme_sets.select_related("created_by"), pk=set_id)


def live_theme_members(survey: IntakeSurvey) -> dict[str, list[int]]:
    """``{theme name: statement ids}`` of the themes in use (submitted statements)."""
    members: dict[str, list[int]] = {
        name: [] for name in survey.themes.values_list("name", flat=True)
    }
    rows = (
        submitted_challenges_of(survey).filter(theme__isnull=False).values_list("theme__name", "pk")
    )
    for name, challenge_id in rows:
        members.setdefault(name, []).append(challenge_id)
    return members


def theme_set_members(survey: IntakeSurvey, theme_set: ThemeSet) -> dict[str, list[int]]:
    """``{theme name: statement ids}`` of a version, without statements deleted since."""
    alive = set(submitted_challenges_of(survey).values_list("pk", flat=True))
    return {
        str(theme.get("name", "")): [int(i) for i in theme.get("challenges", []) if int(i) in alive]
        for theme in theme_set.themes or []
    }


def statement_texts(survey: IntakeSurvey, ids: Iterable[int]) -> dict[int, str]:
    return dict(challenges_of(survey).filter(pk__in=list(ids)).values_list("pk", "text"))


def themes_visible_to(user: Any) -> QuerySet[Theme]:
    """Themes of the cohorts a user facilitates or manages (peers see theme names only)."""
    if not user.is_authenticated:
        return Theme.objects.none()
    base = Theme.objects.select_related("survey__cohort__programme")
    if user.is_superuser:
        return base
    programmes = all_memberships().filter(user=user).values("programme")
    return base.filter(survey__cohort__programme__in=programmes)


def runs_of(programme: Programme) -> QuerySet[MatchingRun]:
    return MatchingRun.objects.filter(cohort__programme=programme).select_related(
        "cohort", "created_by"
    )


def runs_visible_to(user: Any) -> QuerySet[MatchingRun]:
    """Matching runs of the programmes a user facilitates or manages."""
    if not user.is_authenticated:
        return MatchingRun.objects.none()
    base = MatchingRun.objects.select_related("cohort__programme", "created_by")
    if user.is_superuser:
        return base
    programmes = (
        all_memberships()
        .filter(user=user, role__in=[Role.FACILITATOR, Role.MANAGER])
        .values("programme")
    )
    return base.filter(cohort__programme__in=programmes)


def get_run_for(programme: Programme, run_id: int) -> MatchingRun:
    return get_object_or_404(runs_of(programme), pk=run_id)


def groups_of(run: MatchingRun) -> QuerySet[Group]:
    return run.groups.prefetch_related(
        Prefetch(
            "members",
            queryset=GroupMember.objects.select_related("user").order_by(
                "user__full_name", "user__email"
            ),
        )
    )


def published_run(cohort: Cohort) -> MatchingRun | None:
    return MatchingRun.objects.filter(cohort=cohort, published_at__isnull=False).first()


def published_groups(programme: Programme, *, with_members: bool = True) -> QuerySet[Group]:
    """The published groups of every cohort of ``programme``, with their members (read with
    them unless ``with_members`` is false: a page of groups reads its members itself)."""
    groups = (
        Group.objects.filter(run__cohort__programme=programme, run__published_at__isnull=False)
        .select_related("run__cohort")
        .order_by("run__cohort__name", "label")
    )
    if not with_members:
        return groups
    return groups.prefetch_related(
        Prefetch(
            "members",
            queryset=GroupMember.objects.select_related("user").order_by(
                "user__full_name", "user__email"
            ),
        )
    )


def groups_visible_to(user: Any) -> QuerySet[Group]:
    """Groups the user may see: every group of runs they facilitate or manage, and the
    published groups they are a member of."""
    if not user.is_authenticated:
        return Group.objects.none()
    base = Group.objects.select_related("run__cohort__programme").prefetch_related(
        Prefetch("members", queryset=GroupMember.objects.select_related("user"))
    )
    if user.is_superuser:
        return base
    staff = (
        all_memberships()
        .filter(user=user, role__in=[Role.FACILITATOR, Role.MANAGER])
        .values("programme")
    )
    own = GroupMember.objects.filter(user=user, run__published_at__isnull=False).values("group")
    return (base.filter(run__cohort__programme__in=staff) | base.filter(pk__in=own)).distinct()


def my_group(user: Any, programme: Programme) -> Group | None:
    """The user's published group in ``programme``, if any."""
    member = (
        GroupMember.objects.filter(
            user=user, run__cohort__programme=programme, run__published_at__isnull=False
        )
        .select_related("group")
        .first()
    )
    return member.group if member else None


def members_of_run(run: MatchingRun) -> QuerySet[GroupMember]:
    return run.members.all()


def move_requests_of(run: MatchingRun) -> QuerySet[MoveRequest]:
    return run.move_requests.all()


def pending_move_requests(run: MatchingRun) -> QuerySet[MoveRequest]:
    return run.move_requests.filter(status=MoveRequest.Status.PENDING).select_related(
        "user", "from_group", "wanted_group"
    )


def moves_of(run: MatchingRun) -> QuerySet[GroupMove]:
    return run.moves.select_related("user", "moved_by")


@dataclass
class Churn:
    placed_at_publication: int
    moved_after_publication: int
    moves_after_publication: int
    left: int
    late_joiners: int

    @property
    def rate(self) -> float:
        if not self.placed_at_publication:
            return 0.0
        return self.moved_after_publication / self.placed_at_publication


def churn(run: MatchingRun) -> Churn:
    """Moves after publication: how many of the peers placed at publication changed group."""
    after = run.moves.filter(after_publication=True)
    between = after.filter(kind__in=[GroupMove.Kind.REQUEST, GroupMove.Kind.REVIEW])
    late = after.filter(kind=GroupMove.Kind.LATE_JOINER).count()
    left = after.filter(kind=GroupMove.Kind.LEFT).count()
    members_now = run.members.count()
    published = MatchingRun.objects.filter(pk=run.pk, published_at__isnull=False).exists()
    placed = max(0, members_now - late + left) if published else 0
    return Churn(
        placed_at_publication=placed,
        moved_after_publication=between.values("user").distinct().count(),
        moves_after_publication=between.count(),
        left=left,
        late_joiners=late,
    )


def unplaced_done_peers(run: MatchingRun) -> QuerySet[Membership]:
    """Peers of the run's cohort who completed intake but have no group in the run."""
    done = IntakeResponse.objects.filter(
        survey__cohort=run.cohort, submitted_at__isnull=False
    ).values("user")
    placed = run.members.values("user")
    return peer_memberships(run.cohort).filter(user__in=done).exclude(user__in=placed)


def current_assignment(run: MatchingRun) -> dict[str, str]:
    """``{user id: group label}`` of every member of the run's groups (ids as text)."""
    return {
        str(user_id): label for user_id, label in run.members.values_list("user_id", "group__label")
    }


# The engine's view of the peers of a cohort.


def _split_tags(value: Any) -> list[str]:
    items = value if isinstance(value, list) else str(value or "").replace(";", ",").split(",")
    return [" ".join(str(item).split()) for item in items if str(item).strip()]


def languages_of(answers: dict[str, Any] | None, imported: list[str] | None) -> list[str]:
    """A peer's working languages as ISO 639-1 codes (a value that names no language is kept
    as written): their intake answer, else what the people import said."""
    given = (answers or {}).get("languages")
    values = _split_tags(given) if given else list(imported or [])
    out: list[str] = []
    for value in values:
        code = language_code(value) or value
        if code not in out:
            out.append(code)
    return out


def peer_for(
    membership: Membership,
    response: IntakeResponse | None,
    imported: list[str] | None = None,
) -> engine.Peer:
    """The engine's view of a peer: their factors and the themes of their challenges."""
    answers = response.answers if response else {}
    organisation = membership.organisation
    themes: list[str] = []
    if response is not None:
        themes = [c.theme.name for c in response.challenges.all() if c.theme is not None]

    def label(choices: type[models.TextChoices], key: str) -> str:
        value = str(answers.get(key, ""))
        return str(dict(choices.choices).get(value, value))

    return engine.Peer(
        id=str(membership.user_id),
        name=str(membership.user),
        country=organisation.country if organisation else "",
        organisation=str(organisation.pk) if organisation else "",
        organisation_name=organisation.name if organisation else "",
        role=str(answers.get("role", "")),
        seniority=label(Seniority, "seniority"),
        task_area=str(answers.get("task_area", "")),
        career_level=label(CareerLevel, "career_level"),
        education=label(Education, "education"),
        context=tuple(_split_tags(answers.get("context", ""))),
        languages=tuple(languages_of(answers, imported)),
        themes=tuple(themes),
        stage=str(answers.get("stage", "")),
        influence=str(answers.get("influence", "")),
        affiliation=str(answers.get("affiliation", "")),
    )


def cohort_peers(cohort: Cohort, *, user_ids: Iterable[int] | None = None) -> list[engine.Peer]:
    """Engine peers of a cohort: those who submitted intake (or exactly ``user_ids``)."""
    responses_query = IntakeResponse.objects.filter(survey__cohort=cohort).prefetch_related(
        "challenges__theme"
    )
    memberships = peer_memberships(cohort)
    if user_ids is not None:
        wanted = set(user_ids)
        responses_query = responses_query.filter(user_id__in=wanted)
        memberships = memberships.filter(user_id__in=wanted)
    responses = {r.user_id: r for r in responses_query}
    if user_ids is not None:
        chosen = list(memberships)
    else:
        chosen = [
            m
            for m in memberships
            if m.user_id in responses and responses[m.user_id].submitted_at is not None
        ]
    imported = imported_languages(cohort.programme, [m.user_id for m in chosen])
    seen: set[int] = set()
    peers = []
    for membership in chosen:
        if membership.user_id in seen:
            continue
        seen.add(membership.user_id)
        peers.append(
            peer_for(
                membership, responses.get(membership.user_id), imported.get(membership.user_id)
            )
        )
    return peers


def replacement_proposals(
    *, group: Group, leaving_user_id: int | None = None
) -> list[engine.ReplacementCandidate]:
    """Ranked candidates to fill a place in ``group``: peers without a group first, then
    unlocked members of groups above the minimum size."""
    run = group.run
    options = engine.Options.from_dict(run.options)
    lo, _hi = options.size_bounds
    members = list(group.members.values_list("user_id", flat=True))
    unplaced = list(unplaced_done_peers(run).values_list("user_id", flat=True))
    movable: list[int] = []
    for other in groups_of(run).exclude(pk=group.pk):
        people = list(other.members.all())
        if len(people) > lo:
            movable.extend(m.user_id for m in people if not m.locked)
    group_ids = [*members, *([leaving_user_id] if leaving_user_id else [])]
    peers = {p.id: p for p in cohort_peers(run.cohort, user_ids=[*group_ids, *unplaced, *movable])}
    group_peers = [peers[str(u)] for u in group_ids if str(u) in peers]
    candidates = [peers[str(u)] for u in [*unplaced, *movable] if str(u) in peers]
    leaving = str(leaving_user_id) if leaving_user_id else ""
    return engine.propose_replacement(
        group_peers, leaving, candidates, options, group_label=group.label
    )


# For later stages (group life, evaluation): groups and their members.


def is_group(obj: Any) -> bool:
    return isinstance(obj, Group)


def is_published_member(user: Any, group: Group) -> bool:
    """``user`` is a member of ``group`` and the group's matching run is published."""
    return GroupMember.objects.filter(
        group=group, user=user, run__published_at__isnull=False
    ).exists()


def published_group_ids_of(user: Any) -> QuerySet[Any, Any]:
    """The ids of the published groups ``user`` is a member of (a subquery)."""
    return GroupMember.objects.filter(user=user, run__published_at__isnull=False).values("group")


def published_groups_open_to(user: Any, staff_programmes: Any) -> QuerySet[Group]:
    """Published groups of the ``staff_programmes`` (a subquery of programme ids) and the
    published groups ``user`` is a member of; every published group for a site admin."""
    if not user.is_authenticated:
        return Group.objects.none()
    base = Group.objects.filter(run__published_at__isnull=False).select_related(
        "run__cohort__programme"
    )
    if user.is_superuser:
        return base
    own = published_group_ids_of(user)
    return base.filter(Q(run__cohort__programme__in=staff_programmes) | Q(pk__in=own)).distinct()


def programme_ids_of_groups(group_ids: list[int]) -> dict[int, int]:
    """``{group id: programme id}``."""
    return dict(
        Group.objects.filter(pk__in=group_ids).values_list("pk", "run__cohort__programme_id")
    )


def members_of_groups(group_ids: list[int]) -> list[tuple[int, int]]:
    """``(group id, user id)`` of every member of the groups."""
    return list(
        GroupMember.objects.filter(group_id__in=group_ids).values_list("group_id", "user_id")
    )


def published_group_of(user: Any, programme: Programme) -> Group | None:
    """The published group of ``user`` in ``programme`` (the same as :func:`my_group`)."""
    return my_group(user, programme)


def group_member_user_ids(group_ids: Any) -> QuerySet[Any, Any]:
    """The user ids of the members of the groups (a subquery)."""
    return GroupMember.objects.filter(group__in=group_ids).values("user")


def all_group_members() -> QuerySet[GroupMember]:
    """Every place in a group (unscoped, for the indicators of later stages)."""
    return GroupMember.objects.all()


def member_user_ids_of(group: Any) -> QuerySet[Any, Any]:
    """The user ids of the members of one group, given by its id or by an outer reference
    (``OuterRef("pk")``), as a subquery."""
    return GroupMember.objects.filter(group=group).values("user_id")


def groups_with_ids(group_ids: list[int]) -> QuerySet[Group]:
    """The groups with these ids (the caller knows they may see them)."""
    return Group.objects.filter(pk__in=group_ids).select_related("run__cohort")


def group_mate_ids(user: Any, programme_id: int) -> set[int]:
    """The members of ``user``'s published groups in the programme (``user`` included)."""
    groups = GroupMember.objects.filter(
        user=user, run__cohort__programme_id=programme_id, run__published_at__isnull=False
    ).values("group")
    return set(GroupMember.objects.filter(group__in=groups).values_list("user_id", flat=True))


def imported_languages_of(user: Any, programme: Programme) -> list[str]:
    """The working languages the people import gave for ``user`` (to pre-fill the intake)."""
    return imported_languages(programme, [user.pk]).get(user.pk, [])


def intake_done_emails(cohort: Cohort) -> dict[str, int]:
    """``{email (lower case): user id}`` of the cohort's peers who submitted their intake."""
    done = IntakeResponse.objects.filter(survey__cohort=cohort, submitted_at__isnull=False).values(
        "user"
    )
    return {
        email.lower(): user_id
        for email, user_id in peer_memberships(cohort)
        .filter(user__in=done)
        .values_list("user__email", "user_id")
    }
