"""Reads for the review and publication of a run's groups, and for reaching a group: what a
move or a publication would break, the groups as compact cards, searches of peers, notices and
the members' contact details as a viewer may see them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from peerlearn.contacts import AddressBook
from peerlearn.queries import SubqueryCount
from peerlearn.roles import Role
from programmes.selectors import all_memberships, imported_languages

from .. import engine
from ..models import Group, GroupMember, IntakeResponse, MatchingRun, PublicationNotice
from .core import cohort_peers, current_assignment, languages_of, peer_memberships

if TYPE_CHECKING:
    from programmes.models import Cohort, Membership, Programme


@dataclass(frozen=True)
class GroupsInRun:
    """A few groups of a run as the engine's rules read them, and nothing else of the run:
    the groups (``rows``) and their members' ids by label (the ``locked`` ones among them),
    the engine's view of those peers and of their keep-together partners in other groups
    (placed in ``elsewhere``), and how many groups of three pairs still allow among them
    (``triples``; see ``engine.check_groups``)."""

    rows: list[Group]
    groups: dict[str, list[str]]
    locked: frozenset[str]
    peers: list[engine.Peer]
    elsewhere: dict[str, str]
    triples: int | None

    def moved(self, user_id: int, label: str) -> GroupsInRun:
        """The same groups once the peer ``user_id`` is in the group ``label``."""
        pid = str(user_id)
        groups = {key: [p for p in members if p != pid] for key, members in self.groups.items()}
        groups.setdefault(label, []).append(pid)
        return replace(self, groups=groups)


def groups_in_run(
    run: MatchingRun,
    options: engine.Options,
    groups: Iterable[Group],
    *,
    also: Iterable[int] = (),
) -> GroupsInRun:
    """The :class:`GroupsInRun` of ``groups`` (and of the peers ``also``, in no group of
    them), read afresh: the groups, their members, the partners' places when there are
    partners, two counts in pairs mode and the engine's peers; the rest of the run is not
    read."""
    order = list(dict.fromkeys(g.pk for g in groups))
    fresh = {g.pk: g for g in run.groups.filter(pk__in=order)}
    rows = [fresh[pk] for pk in order if pk in fresh]
    label_of = {g.pk: g.label for g in rows}
    members = list(
        GroupMember.objects.filter(group_id__in=list(label_of)).values_list(
            "user_id", "group_id", "locked"
        )
    )
    grouped: dict[str, list[str]] = {g.label: [] for g in rows}
    for user_id, group_id, _locked in members:
        grouped[label_of[group_id]].append(str(user_id))
    mine = {str(user_id) for user_id, _group, _locked in members} | {str(pk) for pk in also}
    partners = {
        int(pid)
        for kept in options.constraints.keep_together
        if mine & set(kept)
        for pid in kept
        if pid not in mine and pid.isdigit()
    }
    elsewhere: dict[str, str] = {}
    if partners:
        elsewhere = {
            str(user_id): label
            for user_id, label in run.members.filter(user_id__in=partners)
            .exclude(group_id__in=list(label_of))
            .values_list("user_id", "group__label")
        }
    triples = None
    if options.pairs:
        odd = run.members.count() % 2 == 1
        three_elsewhere = (
            run.groups.exclude(pk__in=list(label_of))
            .exclude(label__in=options.constraints.closed)
            .annotate(size=Count("members"))
            .filter(size=3)
            .exists()
        )
        triples = 1 if odd and not three_elsewhere else 0
    ids = [int(pid) for pid in [*mine, *elsewhere]]
    return GroupsInRun(
        rows=rows,
        groups=grouped,
        locked=frozenset(str(user_id) for user_id, _group, locked in members if locked),
        peers=cohort_peers(run.cohort, user_ids=ids),
        elsewhere=elsewhere,
        triples=triples,
    )


def move_check(
    *, run: MatchingRun, user_id: int, to_group: Group, scope: GroupsInRun | None = None
) -> engine.GroupingCheck:
    """What moving the peer into ``to_group`` would break, read from the two groups only (and
    where the peer's keep-together partners are): ``scope``, the peer's group and
    ``to_group``, when it was read already."""
    options = engine.Options.from_dict(run.options)
    if scope is None:
        source = run.members.filter(user_id=user_id).select_related("group").first()
        chosen = [to_group, *([source.group] if source else [])]
        scope = groups_in_run(run, options, chosen, also=[user_id])
    return engine.check_move(
        scope.peers,
        scope.groups,
        str(user_id),
        to_group.label,
        options,
        elsewhere=scope.elsewhere,
        triples=scope.triples,
    )


def publication_check(run: MatchingRun) -> engine.GroupingCheck:
    """Everything wrong with the run's groups as they stand, before publication: sizes, rules
    broken, peers who completed intake but are in no group, members sharing no theme."""
    assignment = current_assignment(run)
    groups: dict[str, list[str]] = {
        label: [] for label in run.groups.values_list("label", flat=True)
    }
    for pid, label in assignment.items():
        groups.setdefault(label, []).append(pid)
    groups = {label: members for label, members in groups.items() if members}
    done = {p.id: p for p in cohort_peers(run.cohort)}
    placed = cohort_peers(run.cohort, user_ids=[int(pid) for pid in assignment if pid not in done])
    peers = [*done.values(), *placed]
    return engine.check_grouping(peers, groups, engine.Options.from_dict(run.options))


BREAKING_KINDS = ("violation", "infeasible")


def breaking_labels(run: MatchingRun) -> set[str]:
    """Labels of the run's groups that its constraint report says break a rule."""
    return {
        str(label)
        for issue in run.report_issues
        if issue.get("kind") in BREAKING_KINDS
        for label in issue.get("groups") or []
    }


def review_groups(run: MatchingRun, *, text: str = "", rules: str = "") -> QuerySet[Group]:
    """The run's groups for its review, those breaking a rule first, then by label:
    ``rules`` is ``"breaking"`` or ``"keeping"`` to keep only those; ``text`` finds a group by
    its label or by a member's name or email."""
    breaking = breaking_labels(run)
    groups = run.groups.all()
    if rules == "breaking":
        groups = groups.filter(label__in=breaking)
    elif rules == "keeping":
        groups = groups.exclude(label__in=breaking)
    text = " ".join(text.split())
    if text:
        member = GroupMember.objects.filter(group=OuterRef("pk")).filter(
            Q(user__full_name__icontains=text) | Q(user__email__icontains=text)
        )
        groups = groups.filter(Q(label__icontains=text) | Exists(member))
    return groups.annotate(
        breaks=Case(
            When(label__in=breaking, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("breaks", "label")


def group_cards(run: MatchingRun, groups: Iterable[Group]) -> list[dict[str, Any]]:
    """The review's card of each group: its members (name, organisation, languages), common
    languages and the report's issues about it."""
    groups = list(groups)
    labels = {g.label for g in groups}
    issues: dict[str, list[dict[str, Any]]] = {}
    for issue in run.report_issues:
        for label in issue.get("groups") or []:
            if label in labels and issue.get("kind") in BREAKING_KINDS:
                issues.setdefault(label, []).append(issue)
    members = (
        GroupMember.objects.filter(group__in=groups)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    users = [m.user_id for m in members]
    memberships = {
        m.user_id: m
        for m in all_memberships()
        .filter(cohort=run.cohort, role=Role.PEER, user_id__in=users)
        .select_related("organisation")
    }
    answers = dict(
        IntakeResponse.objects.filter(survey__cohort=run.cohort, user_id__in=users).values_list(
            "user_id", "answers"
        )
    )
    imported = imported_languages(run.cohort.programme, users)
    by_group: dict[int, list[dict[str, Any]]] = {g.pk: [] for g in groups}
    for member in members:
        membership = memberships.get(member.user_id)
        organisation = membership.organisation if membership else None
        by_group[member.group_id].append(
            {
                "member": member,
                "user": member.user,
                "organisation": organisation.name if organisation else "",
                "languages": languages_of(
                    answers.get(member.user_id), imported.get(member.user_id)
                ),
            }
        )
    cards = []
    for group in groups:
        people = by_group[group.pk]
        spoken = [set(p["languages"]) for p in people if p["languages"]]
        common = sorted(set.intersection(*spoken)) if spoken else []
        cards.append(
            {
                "group": group,
                "members": people,
                "size": len(people),
                "common_languages": common,
                "issues": issues.get(group.label, []),
            }
        )
    return cards


def search_run_members(run: MatchingRun, query: str, *, limit: int = 10) -> list[GroupMember]:
    """Members of the run's groups whose name or email contains ``query``."""
    query = " ".join(query.split())
    if len(query) < 2:
        return []
    return list(
        run.members.filter(Q(user__full_name__icontains=query) | Q(user__email__icontains=query))
        .select_related("user", "group")
        .order_by("user__full_name", "user__email")[:limit]
    )


def search_cohort_peers(cohort: Cohort, query: str, *, limit: int = 10) -> list[Membership]:
    """Peers of the cohort whose name or email contains ``query``."""
    query = " ".join(query.split())
    if len(query) < 2:
        return []
    return list(
        peer_memberships(cohort).filter(
            Q(user__full_name__icontains=query) | Q(user__email__icontains=query)
        )[:limit]
    )


def notices_of(run: MatchingRun) -> QuerySet[PublicationNotice]:
    return run.notices.select_related("user", "group")


def unopened_notice(user: Any, programme: Programme) -> PublicationNotice | None:
    return (
        PublicationNotice.objects.filter(
            user=user, run__cohort__programme=programme, opened_at__isnull=True
        )
        .select_related("group")
        .first()
    )


def member_contacts(viewer: Any, group: Group) -> list[dict[str, Any]]:
    """The members of a published group as ``viewer`` may see them: name and organisation for
    everyone; country, working languages and email address for the members of the group and
    staff (an address its owner hid is left out for the other members)."""
    programme = group.run.cohort.programme
    book = AddressBook(viewer, programme.pk)
    members = list(group.members.select_related("user"))
    users = [m.user_id for m in members]
    memberships = {
        m.user_id: m
        for m in all_memberships()
        .filter(programme=programme, role=Role.PEER, user_id__in=users)
        .select_related("organisation")
    }
    answers = dict(
        IntakeResponse.objects.filter(
            survey__cohort=group.run.cohort, user_id__in=users
        ).values_list("user_id", "answers")
    )
    imported = imported_languages(programme, users)
    out = []
    for member in members:
        membership = memberships.get(member.user_id)
        organisation = membership.organisation if membership else None
        close = book.works_with(member.user_id)
        out.append(
            {
                "user": member.user,
                "name": member.user.full_name or (member.user.email if close else "—"),
                "organisation": organisation.name if organisation else "",
                "country": organisation.country if organisation and close else "",
                "languages": languages_of(answers.get(member.user_id), imported.get(member.user_id))
                if close
                else [],
                "email": book.email_of(member.user),
                "hidden": close and not book.email_of(member.user),
            }
        )
    return sorted(out, key=lambda row: str(row["name"]).casefold())


def mailto_group(contacts: list[dict[str, Any]], *, exclude: int) -> str:
    """A ``mailto:`` link to every visible address of the group but the viewer's own ("" when
    there is none)."""
    addresses = [c["email"] for c in contacts if c["email"] and c["user"].pk != exclude]
    return "mailto:" + ",".join(quote(a, safe="@") for a in addresses) if addresses else ""


def published_runs_with_unplaced(programme: Programme) -> QuerySet[MatchingRun]:
    """The programme's published runs with their cohort, each annotated with ``unplaced``: how
    many peers of its cohort completed intake but have no group in it (as
    :func:`unplaced_done_peers` counts them), in one query for every run."""
    # Correlated on the person too (EXISTS, not IN): each membership is then looked up by
    # index instead of scanning every response and member once per membership.
    done = IntakeResponse.objects.filter(
        survey__cohort=OuterRef(OuterRef("cohort_id")),
        submitted_at__isnull=False,
        user=OuterRef("user"),
    )
    placed = GroupMember.objects.filter(run=OuterRef(OuterRef("pk")), user=OuterRef("user"))
    unplaced = (
        all_memberships()
        .filter(cohort=OuterRef("cohort_id"), role=Role.PEER)
        .filter(Exists(done))
        .exclude(Exists(placed))
        .values("pk")
    )
    return (
        MatchingRun.objects.filter(cohort__programme=programme, published_at__isnull=False)
        .select_related("cohort")
        .annotate(unplaced=SubqueryCount(unplaced))
    )
