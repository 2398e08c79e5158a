"""Reads of the learning agenda and of the network's governance, scoped to the programme the
person belongs to (the views check the rule first)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from peerlearn.aggregates import one_row, scalar

from ..models import (
    Activity,
    AgendaTopic,
    Funder,
    Poll,
    PollVote,
    Resource,
    SteeringDecision,
    SteeringMeeting,
    SteeringMember,
    TopicVote,
)

if TYPE_CHECKING:
    from ..models import Programme


def topics_by_votes(user: Any, programme: Programme) -> QuerySet[AgendaTopic]:
    """The programme's topics, most voted first, each with whether ``user`` voted for it."""
    return (
        AgendaTopic.objects.filter(programme=programme)
        .select_related("proposed_by", "activity")
        .annotate(
            vote_count=Count("votes", distinct=True),
            comment_count=Count("comments", distinct=True),
            voted=Exists(TopicVote.objects.filter(topic=OuterRef("pk"), user=user.pk)),
        )
        .order_by("-vote_count", "created_at", "pk")
    )


def get_topic(programme: Programme, topic_id: int) -> AgendaTopic:
    return get_object_or_404(AgendaTopic.objects.filter(programme=programme), pk=topic_id)


def polls_of(user: Any, programme: Programme) -> list[dict[str, Any]]:
    """Each poll with its options, their counts and the user's own answer."""
    polls = list(
        Poll.objects.filter(programme=programme).prefetch_related("options").order_by("-pk")
    )
    counts: dict[int, int] = dict(
        PollVote.objects.filter(poll__programme=programme)
        .values("option_id")
        .annotate(n=Count("pk"))
        .values_list("option_id", "n")
    )
    mine = dict(
        PollVote.objects.filter(poll__programme=programme, user=user.pk).values_list(
            "poll_id", "option_id"
        )
    )
    return [
        {
            "poll": poll,
            "options": [(option, counts.get(option.pk, 0)) for option in poll.options.all()],
            "answered": mine.get(poll.pk),
            "total": sum(counts.get(option.pk, 0) for option in poll.options.all()),
        }
        for poll in polls
    ]


def get_poll(programme: Programme, poll_id: int) -> Poll:
    return get_object_or_404(Poll.objects.filter(programme=programme), pk=poll_id)


# Governance


def steering_members(programme: Programme) -> QuerySet[SteeringMember]:
    return SteeringMember.objects.filter(programme=programme).select_related("user")


def is_steering_member(user: Any, programme_id: int | None) -> bool:
    return bool(
        user.is_authenticated
        and programme_id is not None
        and SteeringMember.objects.filter(programme_id=programme_id, user=user).exists()
    )


def steering_meetings(programme: Programme) -> QuerySet[SteeringMeeting]:
    return SteeringMeeting.objects.filter(programme=programme).prefetch_related("decisions")


def steering_decisions(programme: Programme) -> QuerySet[SteeringDecision]:
    return SteeringDecision.objects.filter(programme=programme).select_related(
        "meeting", "recorded_by"
    )


def funders_of(programme: Programme) -> QuerySet[Funder]:
    return Funder.objects.filter(programme=programme)


def resources_of(programme: Programme) -> QuerySet[Resource]:
    return Resource.objects.filter(programme=programme).select_related("funder")


@dataclass
class YearOfResources:
    year: int
    funders: set[str] = field(default_factory=set)
    cash: dict[str, Decimal] = field(default_factory=dict)
    in_kind: dict[str, Decimal] = field(default_factory=dict)
    purposes: set[str] = field(default_factory=set)


@dataclass
class Inputs:
    """What the inputs tier reads of the network's governance and resources."""

    years: list[YearOfResources]
    funders: int
    steering_members: int
    steering_meetings: int
    decisions: int


def inputs_of(programme: Programme) -> Inputs:
    """Resources per year (partners, cash and in kind per currency, purposes covered) and the
    size of the steering group's work, in a fixed number of queries."""
    years: dict[int, YearOfResources] = {}
    sums: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
    for year, funder, kind, purpose, amount, currency in Resource.objects.filter(
        programme=programme
    ).values_list("year", "funder__name", "kind", "purpose", "amount", "currency"):
        row = years.setdefault(year, YearOfResources(year))
        row.funders.add(funder)
        row.purposes.add(purpose)
        sums[(year, kind, currency)] += amount
    for (year, kind, currency), amount in sums.items():
        target = years[year].cash if kind == Resource.Kind.CASH else years[year].in_kind
        target[currency] = amount
    counts = one_row(
        funders=scalar(Funder.objects.filter(programme=programme), Count("pk")),
        steering_members=scalar(SteeringMember.objects.filter(programme=programme), Count("pk")),
        steering_meetings=scalar(SteeringMeeting.objects.filter(programme=programme), Count("pk")),
        decisions=scalar(SteeringDecision.objects.filter(programme=programme), Count("pk")),
    )
    return Inputs(
        years=[years[y] for y in sorted(years, reverse=True)],
        funders=int(counts["funders"] or 0),
        steering_members=int(counts["steering_members"] or 0),
        steering_meetings=int(counts["steering_meetings"] or 0),
        decisions=int(counts["decisions"] or 0),
    )


def governance_version(programme: Programme) -> dict[str, QuerySet[Any]]:
    """Scalar queries whose values change whenever a resource, partner, steering member,
    meeting or decision does, to be read together with others in one query
    (``peerlearn.aggregates.one_row``)."""
    resources = Resource.objects.filter(programme=programme)
    funders = Funder.objects.filter(programme=programme)
    steering = SteeringMember.objects.filter(programme=programme)
    decisions = SteeringDecision.objects.filter(programme=programme)
    return {
        "resources": scalar(resources, Count("pk")),
        "resources_last": scalar(resources, Max("pk")),
        "funders": scalar(funders, Count("pk")),
        "funders_last": scalar(funders, Max("pk")),
        "steering": scalar(steering, Count("pk")),
        "steering_last": scalar(steering, Max("pk")),
        "meetings": scalar(SteeringMeeting.objects.filter(programme=programme), Count("pk")),
        "decisions": scalar(decisions, Count("pk")),
        "decisions_last": scalar(decisions, Max("pk")),
    }


def activities_with_tools(programme: Programme) -> QuerySet[Activity]:
    """The programme's activities with a guided conversation attached, latest first."""
    return (
        Activity.objects.filter(programme=programme)
        .exclude(conversation_tool="")
        .order_by("-starts_at", "-pk")
    )
