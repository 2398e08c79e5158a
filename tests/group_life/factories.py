"""Objects of group life for tests: a published run whose group G01 holds the World's peer."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from evaluation.models import Visibility
from group_life.models import EndProduct, PairRequest, ReflectionEntry
from matching import engine
from matching.models import Group, GroupMember, MatchingRun
from peerlearn.users.models import User
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory


@dataclass
class Groups:
    run: MatchingRun
    mine: Group  # the World's peer and peer_same_cohort
    other: Group  # another peer of the cohort only
    stranger: User  # the member of ``other``


def published_groups(w: World) -> Groups:
    """Idempotent: the rows of the permission matrix may call it more than once."""
    existing = MatchingRun.objects.filter(cohort=w.cohort, published_at__isnull=False).first()
    if existing is not None:
        return Groups(
            existing,
            existing.groups.get(label="G01"),
            existing.groups.get(label="G02"),
            User.objects.get(email="stranger@example.org"),
        )
    run = MatchingRun.objects.create(
        cohort=w.cohort,
        strategy="problem",
        options=engine.Options().to_dict(),
        status=MatchingRun.Status.DONE,
        progress=1.0,
        published_at=timezone.now(),
    )
    mine = Group.objects.create(run=run, label="G01", explanation={"text": "You share arrears."})
    other = Group.objects.create(run=run, label="G02")
    stranger = UserFactory(email="stranger@example.org", full_name="Stella Stranger")
    MembershipFactory(user=stranger, programme=w.programme, role="peer", cohort=w.cohort)
    GroupMember.objects.create(run=run, group=mine, user=w.peer)
    GroupMember.objects.create(run=run, group=mine, user=w.peer_same_cohort)
    GroupMember.objects.create(run=run, group=other, user=stranger)
    return Groups(run, mine, other, stranger)


def reflection(w: World, *, author: str, visibility: str, group: str = "mine") -> ReflectionEntry:
    groups = published_groups(w)
    user = groups.stranger if author == "stranger" else getattr(w, author)
    return ReflectionEntry.objects.create(
        programme=w.programme,
        author=user,
        group=getattr(groups, group) if visibility == Visibility.GROUP or group else None,
        learned=f"SECRET-{visibility}-{author}",
        visibility=visibility,
    )


def product(w: World) -> EndProduct:
    group = published_groups(w).mine
    found = EndProduct.objects.filter(group=group).first()
    return found or EndProduct.objects.create(
        group=group, title="Roadmap", text="Steps", submitted_at=timezone.now()
    )


def pair(w: World) -> PairRequest:
    published_groups(w)
    return PairRequest.objects.get_or_create(
        programme=w.programme,
        requested_by=w.peer_same_cohort,
        requested_of=w.peer,
        defaults={"purpose": "Visit your treasury"},
    )[0]
