"""Reads for diffusion, scoped to what the user may see."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from peerlearn import tokens
from peerlearn.aggregates import scalar
from peerlearn.roles import Role, roles_in
from peerlearn.users.models import User
from programmes.selectors import (
    all_memberships,
    all_organisations,
    memberships_visible_to,
    programmes_for,
)

from .models import (
    Chapter,
    ChapterMember,
    DiffusionPlan,
    ImpactStory,
    Pilot,
    Recipient,
    ReportBack,
    SponsorReportOptOut,
)

if TYPE_CHECKING:
    from programmes.models import Membership, Organisation, Programme


# ---------------------------------------------------------------------------------------------
# Programme-wide figures (used by evaluation's funnel and flags)


def peers_diffusing(programme: Programme) -> set[int]:
    """User ids of the programme's peers who have logged at least one report-back session."""
    peer_ids = all_memberships().filter(programme=programme, role=Role.PEER).values("user_id")
    return set(
        ReportBack.objects.filter(programme=programme, peer_id__in=peer_ids).values_list(
            "peer_id", flat=True
        )
    )


def held_report_back(programme: Programme, peer: Any) -> Exists:
    """Whether ``peer`` (a user, an id or ``OuterRef("user_id")`` over the programme's peers)
    logged a report-back session: :func:`peers_diffusing` as a condition to annotate rows of
    peers with."""
    return Exists(ReportBack.objects.filter(programme=programme, peer=peer))


def diffusing_version(programme: Programme) -> dict[str, QuerySet[Any]]:
    """Scalar queries whose values change whenever a report-back is logged, moved or removed
    (who is diffusing), to be read together with others in one query
    (``peerlearn.aggregates.one_row``)."""
    sessions = ReportBack.objects.filter(programme=programme)
    return {
        "report_backs": scalar(sessions, Count("pk")),
        "report_backs_last": scalar(sessions, Max("pk")),
        "report_back_peers": scalar(sessions, Sum("peer_id", distinct=True)),
    }


def diffusion_reach(programme: Programme) -> dict[int, int]:
    """People reached, by depth: ``{1: n1, 2: n2, ...}``.

    Depth 1 counts the people a peer shared with directly: everyone present at their report-back
    sessions (named attendees, plus the rest of the stated audience) and the members of the
    chapters they launched. Depth 2 and beyond count the people named as sharing onward.
    A person named twice at the same depth is counted once.
    """
    reach: dict[int, int] = defaultdict(int)
    emails_by_depth: dict[int, set[str]] = defaultdict(set)
    named_per_session: dict[int, int] = defaultdict(int)
    for report_back_id, email, depth in Recipient.objects.filter(
        report_back__programme=programme
    ).values_list("report_back_id", "email", "depth"):
        emails_by_depth[depth].add(email.lower())
        if depth == 1:
            named_per_session[report_back_id] += 1
    unnamed = 0
    for report_back_id, size in ReportBack.objects.filter(programme=programme).values_list(
        "pk", "audience_size"
    ):
        unnamed += max(size - named_per_session[report_back_id], 0)
    for email, _name in ChapterMember.objects.filter(chapter__programme=programme).values_list(
        "email", "full_name"
    ):
        if email:
            emails_by_depth[1].add(email.lower())
        else:
            unnamed += 1
    for depth, emails in emails_by_depth.items():
        reach[depth] += len(emails)
    reach[1] += unnamed
    deepest = max((depth for depth, count in reach.items() if count), default=0)
    return {depth: reach.get(depth, 0) for depth in range(1, deepest + 1)}


def reach_total(programme: Programme) -> int:
    return sum(diffusion_reach(programme).values())


@dataclass
class ReachFigures:
    peers: int
    peers_diffusing: int
    reach_by_depth: dict[int, int]

    @property
    def people_reached(self) -> int:
        return sum(self.reach_by_depth.values())


def reach_figures_for(user: Any, programme: Programme) -> ReachFigures:
    """Peers, peers diffusing and people reached by depth, as the user may see them: the whole
    programme for staff and peers, the own organisation's peers only for a sponsor."""
    from . import graph

    roles = roles_in(user, programme)
    peers = peers_of(programme)
    if sees_whole_programme(user, programme) or Role.PEER in roles:
        return ReachFigures(
            peers=peers.count(),
            peers_diffusing=len(peers_diffusing(programme)),
            reach_by_depth=diffusion_reach(programme),
        )
    organisations = sponsored_organisations(user, programme)
    sessions = report_backs_for(user, programme)
    return ReachFigures(
        peers=peers.filter(organisation__in=organisations).count(),
        peers_diffusing=len({session.peer_id for session in sessions}),
        reach_by_depth=graph.reach_of(graph.build_graph(sessions, chapters_for(user, programme))),
    )


# ---------------------------------------------------------------------------------------------
# Scoping


def _sponsored_organisations(user: Any, programme: Programme) -> QuerySet[Any, Any]:
    return (
        all_memberships()
        .filter(user=user, programme=programme, role=Role.SPONSOR, organisation__isnull=False)
        .values("organisation")
    )


def sponsored_organisations(user: Any, programme: Programme) -> QuerySet[Organisation]:
    """The organisations ``user`` sponsors in ``programme`` (none for anyone else)."""
    return all_organisations().filter(pk__in=_sponsored_organisations(user, programme))


def sees_whole_programme(user: Any, programme: Programme) -> bool:
    roles = roles_in(user, programme)
    return bool(user.is_superuser or Role.FACILITATOR in roles or Role.MANAGER in roles)


def _scope(user: Any, programme: Programme, queryset: QuerySet[Any], owner: str) -> QuerySet[Any]:
    """Everything for staff; own items for a peer; own organisation's for a sponsor."""
    if sees_whole_programme(user, programme):
        return queryset
    roles = roles_in(user, programme)
    condition = Q(pk__in=[])
    if Role.PEER in roles:
        condition |= Q(**{owner: user})
    if Role.SPONSOR in roles:
        condition |= Q(organisation__in=_sponsored_organisations(user, programme))
    return queryset.filter(condition)


def cohort_peer_ids(user: Any, programme: Programme) -> QuerySet[Any, Any]:
    """User ids of the peers of the user's own cohort(s) in ``programme``, the user included."""
    cohorts = (
        all_memberships()
        .filter(user=user, programme=programme, role=Role.PEER, cohort__isnull=False)
        .values("cohort")
    )
    return (
        all_memberships()
        .filter(programme=programme, role=Role.PEER)
        .filter(Q(cohort__in=cohorts) | Q(user=user))
        .values("user_id")
    )


def _shared_scope(
    user: Any, programme: Programme, queryset: QuerySet[Any], owner: str
) -> QuerySet[Any]:
    """Shared objects (pilots, chapters): all for staff, the user's own cohort's for a peer,
    the own organisation's for a sponsor."""
    if sees_whole_programme(user, programme):
        return queryset
    roles = roles_in(user, programme)
    condition = Q(pk__in=[])
    if Role.PEER in roles:
        condition |= Q(**{f"{owner}__in": cohort_peer_ids(user, programme)})
    if Role.SPONSOR in roles:
        condition |= Q(organisation__in=_sponsored_organisations(user, programme))
    return queryset.filter(condition)


def plans_for(user: Any, programme: Programme) -> QuerySet[DiffusionPlan]:
    qs = DiffusionPlan.objects.filter(programme=programme).select_related(
        "peer", "organisation", "confirmed_by"
    )
    return _scope(user, programme, qs, "peer")


def own_plan(user: Any, programme: Programme) -> DiffusionPlan | None:
    """``user``'s own diffusion plan in ``programme``, if they started one."""
    return DiffusionPlan.objects.filter(programme=programme, peer=user).first()


def report_backs_for(user: Any, programme: Programme) -> QuerySet[ReportBack]:
    qs = (
        ReportBack.objects.filter(programme=programme)
        .select_related("peer", "organisation")
        .annotate(
            named=Count("recipients", filter=Q(recipients__depth=1), distinct=True),
            onward=Count("recipients", filter=Q(recipients__depth__gte=2), distinct=True),
        )
    )
    return _scope(user, programme, qs, "peer")


def graph_sessions_for(user: Any, programme: Programme) -> QuerySet[ReportBack]:
    """The report-backs drawn in the diffusion graph: the whole programme's for staff; the own
    cohort's for a peer; the own organisation's for a sponsor."""
    sessions = ReportBack.objects.filter(programme=programme).select_related("peer")
    if sees_whole_programme(user, programme):
        return sessions
    if Role.PEER in roles_in(user, programme):
        return sessions.filter(peer_id__in=cohort_peer_ids(user, programme))
    return report_backs_for(user, programme)


def pilots_for(user: Any, programme: Programme) -> QuerySet[Pilot]:
    """Pilots are shared with the lead's cohort and the staff; a sponsor sees their own
    organisation's."""
    qs = Pilot.objects.filter(programme=programme).select_related("lead", "organisation")
    return _shared_scope(user, programme, qs, "lead")


def chapters_for(user: Any, programme: Programme) -> QuerySet[Chapter]:
    """Chapters are shared with the founder's cohort and the staff; a sponsor sees those
    launched by their own organisation's peers."""
    qs = (
        Chapter.objects.filter(programme=programme)
        .select_related("founded_by")
        .annotate(
            member_count=Count("members", distinct=True),
            meeting_count=Count("meetings", distinct=True),
        )
    )
    return _shared_scope(user, programme, qs, "founded_by")


def story_peers_for(user: Any, programme: Programme) -> QuerySet[User]:
    """The peers ``user`` may link to an impact story: all the programme's peers for staff,
    the peers a peer may see (their own cohort's) otherwise."""
    memberships = all_memberships().filter(programme=programme, role=Role.PEER)
    if not sees_whole_programme(user, programme):
        visible = memberships_visible_to(user, programme).filter(role=Role.PEER)
        memberships = memberships.filter(pk__in=visible.values("pk"))
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by("full_name", "email")


def stories_for(user: Any, programme: Programme) -> QuerySet[ImpactStory]:
    """The programme's stories the user may see: all for staff, the own cohort's for a peer,
    the own organisation's for a sponsor (the same scope as :func:`stories_visible_to`)."""
    return stories_visible_to(user).filter(programme=programme)


# Objects by id: 404 outside the user's programmes; the rule check is the view's job.


def get_report_back_for(user: Any, pk: int) -> ReportBack:
    return get_object_or_404(
        ReportBack.objects.select_related("programme", "peer", "organisation").filter(
            programme__in=programmes_for(user)
        ),
        pk=pk,
    )


def get_plan_for(user: Any, pk: int) -> DiffusionPlan:
    return get_object_or_404(
        DiffusionPlan.objects.select_related("programme", "peer", "organisation").filter(
            programme__in=programmes_for(user)
        ),
        pk=pk,
    )


def get_chapter_for(user: Any, pk: int) -> Chapter:
    return get_object_or_404(
        Chapter.objects.select_related("programme", "founded_by").filter(
            programme__in=programmes_for(user)
        ),
        pk=pk,
    )


def get_pilot_for(user: Any, pk: int) -> Pilot:
    return get_object_or_404(
        Pilot.objects.select_related("programme", "lead", "organisation").filter(
            programme__in=programmes_for(user)
        ),
        pk=pk,
    )


def stories_reachable_by(user: Any) -> QuerySet[ImpactStory]:
    """Stories of the user's programmes, less another cohort's for someone who is only a peer
    there: to them those stories do not exist (404), as for a story of another programme."""
    qs = ImpactStory.objects.select_related("programme", "organisation")
    if not user.is_authenticated:
        return qs.none()
    qs = qs.filter(programme__in=programmes_for(user))
    if user.is_superuser:
        return qs
    mine = all_memberships().filter(user=user)
    peer_only = mine.filter(role=Role.PEER).exclude(
        programme__in=mine.exclude(role=Role.PEER).values("programme")
    )
    return qs.filter(
        ~Q(programme__in=peer_only.values("programme"))
        | Q(pk__in=stories_visible_to(user).values("pk"))
    )


def get_story_for(user: Any, pk: int) -> ImpactStory:
    return get_object_or_404(stories_reachable_by(user), pk=pk)


def peer_membership(user: Any, programme: Programme) -> Membership | None:
    return (
        all_memberships()
        .filter(user=user, programme=programme, role=Role.PEER)
        .select_related("organisation")
        .first()
    )


def peer_organisation(user: Any, programme: Programme) -> Organisation | None:
    membership = peer_membership(user, programme)
    return membership.organisation if membership else None


def peers_of(programme: Programme) -> QuerySet[Membership]:
    return (
        all_memberships()
        .filter(programme=programme, role=Role.PEER)
        .select_related("user", "organisation", "cohort")
    )


# ---------------------------------------------------------------------------------------------
# Attendee links


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def recipient_from_token(token: str) -> Recipient | None:
    """The recipient a feedback link belongs to, or ``None`` for an unknown or altered token.

    Expiry and reuse are checked by the caller so that it can say which one applies.
    """
    if not token or len(token) > 200:
        return None
    return (
        Recipient.objects.select_related("report_back__peer", "report_back__programme")
        .filter(token_hash=hash_token(token))
        .exclude(token_hash="")
        .first()
    )


def link_state(recipient: Recipient) -> str:
    """``"open"``, ``"answered"`` or ``"expired"``."""
    if recipient.answered_at is not None:
        return "answered"
    if recipient.link_expires_at is None or recipient.link_expires_at <= timezone.now():
        return "expired"
    return "open"


# ---------------------------------------------------------------------------------------------
# The sponsor progress report


@dataclass
class PeerProgress:
    membership: Membership
    plan: DiffusionPlan | None
    report_backs: list[ReportBack] = field(default_factory=list)
    pilots: list[Pilot] = field(default_factory=list)
    people_reached: int = 0


@dataclass
class SponsorReport:
    programme: Programme
    organisation: Organisation
    peers: list[PeerProgress]
    since: date | None

    @property
    def report_back_count(self) -> int:
        return sum(len(p.report_backs) for p in self.peers)

    @property
    def pilot_count(self) -> int:
        return sum(len(p.pilots) for p in self.peers)

    @property
    def people_reached(self) -> int:
        return sum(p.people_reached for p in self.peers)

    @property
    def new_report_backs(self) -> int:
        if self.since is None:
            return self.report_back_count
        since = self.since
        return sum(1 for p in self.peers for r in p.report_backs if r.held_on >= since)


def sponsor_report(
    programme: Programme, organisation: Organisation, *, since: date | None = None
) -> SponsorReport:
    """Progress of one organisation's peers: plans, report-backs, people reached and pilots.

    Only the organisation's own peers appear. What a peer shared at a report-back is included
    only when the peer allowed their sponsor to read it (the template checks
    ``lessons_visible_to_sponsor``).
    """
    memberships = list(peers_of(programme).filter(organisation=organisation))
    user_ids = [m.user_id for m in memberships]
    plans = {
        p.peer_id: p
        for p in DiffusionPlan.objects.filter(programme=programme, peer_id__in=user_ids)
    }
    report_backs: dict[int, list[ReportBack]] = defaultdict(list)
    for report_back in ReportBack.objects.filter(
        programme=programme, peer_id__in=user_ids
    ).annotate(onward=Count("recipients", filter=Q(recipients__depth__gte=2))):
        report_backs[report_back.peer_id].append(report_back)
    pilots: dict[int, list[Pilot]] = defaultdict(list)
    for pilot in Pilot.objects.filter(programme=programme, lead_id__in=user_ids):
        pilots[pilot.lead_id].append(pilot)
    rows = []
    for membership in memberships:
        sessions = report_backs.get(membership.user_id, [])
        reached = sum(r.audience_size + r.onward for r in sessions)  # type: ignore[attr-defined]
        rows.append(
            PeerProgress(
                membership=membership,
                plan=plans.get(membership.user_id),
                report_backs=sessions,
                pilots=pilots.get(membership.user_id, []),
                people_reached=reached,
            )
        )
    return SponsorReport(programme=programme, organisation=organisation, peers=rows, since=since)


def sponsor_memberships_to_report() -> QuerySet[Membership]:
    """Sponsor roles that should receive the monthly email (not unsubscribed)."""
    return (
        all_memberships()
        .filter(role=Role.SPONSOR, organisation__isnull=False, sponsor_report_opt_out__isnull=True)
        .select_related("user", "programme", "organisation")
    )


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def due_sponsor_reports(*, today: date | None = None) -> list[tuple[int, str]]:
    """(membership id, month) of every subscribed sponsor not yet sent this month's report."""
    month = first_of_month(today or timezone.localdate())
    already: Any = (
        all_memberships()
        .filter(
            sponsor_report_deliveries__month=month,
            sponsor_report_deliveries__sent_at__isnull=False,
        )
        .values("pk")
    )
    memberships = sponsor_memberships_to_report().exclude(pk__in=already)
    return [(pk, month.isoformat()) for pk in memberships.values_list("pk", flat=True)]


def membership_from_unsubscribe_token(token: str) -> Membership | None:
    """The sponsor role a monthly report's "unsubscribe" link was made for (None if forged)."""
    data = tokens.SPONSOR_REPORT_UNSUBSCRIBE.read(token)
    if data is None:
        return None
    pk = data.get("membership")
    if not isinstance(pk, int):
        return None
    return (
        all_memberships()
        .select_related("programme", "organisation", "user")
        .filter(pk=pk, role=Role.SPONSOR)
        .first()
    )


def report_organisations(user: Any, programme: Programme) -> QuerySet[Organisation]:
    """Organisations whose progress report ``user`` may read: every organisation with peers for
    the programme's staff, their own for a sponsor."""
    if sees_whole_programme(user, programme):
        return (
            all_organisations()
            .filter(memberships__programme=programme, memberships__role=Role.PEER)
            .distinct()
        )
    return sponsored_organisations(user, programme)


def own_sponsor_roles(user: Any, programme: Programme) -> QuerySet[Membership]:
    """``user``'s own sponsor roles in ``programme`` (one per organisation)."""
    return (
        all_memberships()
        .filter(user=user, programme=programme, role=Role.SPONSOR)
        .select_related("organisation")
    )


def receives_sponsor_report(membership: Membership) -> bool:
    return not SponsorReportOptOut.objects.filter(membership=membership).exists()


# ---------------------------------------------------------------------------------------------
# Across all of a user's programmes (the API's lists)


def _visible_everywhere(
    user: Any, queryset: QuerySet[Any], owner: str, *, peers_see_all: bool
) -> QuerySet[Any]:
    """Objects in any of the user's programmes that the user may list: all of them for staff,
    a peer's own (or all, for shared objects), a sponsor's own organisation's."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    mine = all_memberships().filter(user=user)
    staff = [Role.FACILITATOR, Role.MANAGER]
    condition = Q(programme__in=mine.filter(role__in=staff).values("programme"))
    condition |= Q(programme__in=mine.filter(role=Role.PEER).values("programme"), **{owner: user})
    if peers_see_all:
        cohorts = mine.filter(role=Role.PEER, cohort__isnull=False).values("cohort")
        mates = all_memberships().filter(role=Role.PEER, cohort__in=cohorts).values("user_id")
        condition |= Q(
            programme__in=mine.filter(role=Role.PEER).values("programme"),
            **{f"{owner}__in": mates},
        )
    sponsor = all_memberships().filter(
        user=user,
        role=Role.SPONSOR,
        programme=OuterRef("programme"),
        organisation=OuterRef("organisation"),
    )
    return queryset.filter(condition | Q(Exists(sponsor)))


def in_my_programmes(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.filter(programme__in=programmes_for(user))


def report_backs_visible_to(user: Any) -> QuerySet[ReportBack]:
    qs = ReportBack.objects.select_related("peer", "organisation", "programme")
    return _visible_everywhere(user, qs, "peer", peers_see_all=False)


def plans_visible_to(user: Any) -> QuerySet[DiffusionPlan]:
    qs = DiffusionPlan.objects.select_related("peer", "organisation", "programme")
    return _visible_everywhere(user, qs, "peer", peers_see_all=False)


def pilots_visible_to(user: Any) -> QuerySet[Pilot]:
    qs = Pilot.objects.select_related("lead", "organisation", "programme")
    return _visible_everywhere(user, qs, "lead", peers_see_all=True)


def stories_visible_to(user: Any) -> QuerySet[ImpactStory]:
    """All stories for staff; for a peer those recorded by, or involving, a peer of their own
    cohort (or themselves); for a sponsor their own organisation's."""
    qs = ImpactStory.objects.select_related("organisation", "programme")
    visible = _visible_everywhere(user, qs, "recorded_by", peers_see_all=True)
    if not user.is_authenticated or user.is_superuser:
        return visible
    mine = all_memberships().filter(user=user, role=Role.PEER)
    cohorts = mine.filter(cohort__isnull=False).values("cohort")
    mates = all_memberships().filter(role=Role.PEER, cohort__in=cohorts).values("user_id")
    involving = ImpactStory.objects.filter(
        programme__in=mine.values("programme"), peers__in=mates
    ) | ImpactStory.objects.filter(programme__in=mine.values("programme"), peers=user)
    return qs.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=involving.values("pk")))


def chapters_visible_to(user: Any) -> QuerySet[Chapter]:
    qs = Chapter.objects.select_related("founded_by", "programme")
    return _visible_everywhere(user, qs, "founded_by", peers_see_all=True)
