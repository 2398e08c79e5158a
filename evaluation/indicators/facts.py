"""The facts every figure is computed from, read once per programme in a fixed number of queries,
and the definitions built on them: sustained contact and reporting value of a cycle."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q, Sum

from diffusion.selectors import held_report_back
from group_life.selectors import reply_contact_edges, used_benchmarking
from peerlearn import charts
from peerlearn.roles import Role
from programmes.selectors import Inputs, all_activities, all_attendances, all_memberships, inputs_of

from ..models import Answer, Cycle, Item, Response, Story, Wave

if TYPE_CHECKING:
    from programmes.models import Programme


SUSTAINED_CONTACT_WEEKS = 12
POSITIVE = 4  # 4 or 5 on a 1-5 scale counts as reporting
YES_CHOICES = ("yes", "more_than_6")


@dataclass
class Facts:
    """The raw figures of one programme, read once and shared by funnel, cycles and tiers."""

    peers: set[int]
    countries_by_peer: dict[int, str]
    cohort_sizes: dict[int | None, int]
    edges: list[tuple[int, int, date, bool]]
    attended: dict[int, int]
    events: list[dict[str, Any]]
    respondents: set[int]
    cycle_answered: dict[str, set[int]]
    cycle_reporting: dict[str, set[int]]
    story_authors: set[int]
    story_applied: set[int]
    story_realised: set[int]
    survey: dict[str, dict[str, float]]
    use_in_organisation: set[int]
    diffusing: set[int] | None
    benchmarking: set[int]
    inputs: Inputs | None = None


def as_percent(value: float | None) -> str:
    return charts.percent(value)


def share_of(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def contact_edges(programme: Programme) -> list[tuple[int, int, date, bool]]:
    """The logged contacts and the discussion replies: a reply is a contact between the
    person replying and the person who opened the thread (its content is never read)."""
    from programmes.selectors import contact_edges as edges

    return [*edges(programme), *reply_contact_edges(programme)]


def read_facts(programme: Programme) -> Facts:
    wave_ids = Wave.objects.filter(programme=programme).values("pk")
    submitted = Response.objects.filter(wave_id__in=wave_ids, status=Response.Status.SUBMITTED)
    # One row per peer, with what the funnel and the tiers ask of each: whether they answered
    # a survey, said they use the network's experiences at work, held a report-back at home
    # (the diffusion app says) or used a benchmarking tool (group life says).
    peer_rows = list(
        all_memberships()
        .filter(programme=programme, role=Role.PEER)
        .annotate(
            responded=Exists(submitted.filter(respondent_id=OuterRef("user_id"))),
            uses=Exists(
                Answer.objects.filter(
                    response__wave_id__in=wave_ids,
                    response__status=Response.Status.SUBMITTED,
                    response__respondent_id=OuterRef("user_id"),
                    item__indicator="use_in_organisation",
                    choice="yes",
                )
            ),
            diffusing=held_report_back(programme, OuterRef("user_id")),
            benchmarking=used_benchmarking(programme, OuterRef("user_id")),
        )
        .values_list(
            "user_id",
            "organisation__country",
            "cohort_id",
            "responded",
            "uses",
            "diffusing",
            "benchmarking",
        )
    )
    peers = {peer[0] for peer in peer_rows}
    countries = {peer[0]: peer[1] for peer in peer_rows if peer[1]}
    cohort_sizes: dict[int | None, int] = defaultdict(int)
    for peer in peer_rows:
        cohort_sizes[peer[2]] += 1
    respondents = {peer[0] for peer in peer_rows if peer[3]}
    use_in_organisation = {peer[0] for peer in peer_rows if peer[4]}
    diffusing = {peer[0] for peer in peer_rows if peer[5]}
    benchmarking = {peer[0] for peer in peer_rows if peer[6]}

    attended = dict(
        all_attendances()
        .filter(activity__programme=programme, present=True)
        .values("membership__user_id")
        .annotate(n=Count("activity_id", distinct=True))
        .values_list("membership__user_id", "n")
    )
    events = list(
        all_activities()
        .filter(programme=programme)
        .annotate(
            present=Count(
                "attendances",
                filter=Q(attendances__present=True, attendances__membership__role=Role.PEER),
            )
        )
        .values("pk", "cohort_id", "starts_at", "present")
    )

    positive = Q(number__gte=POSITIVE) | (
        Q(item__kind__in=Item.TEXT_KINDS) & ~Q(text="") & Q(number__isnull=True)
    )
    cycle_answered: dict[str, set[int]] = defaultdict(set)
    cycle_reporting: dict[str, set[int]] = defaultdict(set)
    rows = (
        Answer.objects.filter(
            response__wave_id__in=wave_ids,
            response__status=Response.Status.SUBMITTED,
        )
        .exclude(item__cycle="")
        .values("item__cycle", "response__respondent_id")
        .annotate(any_text=Count("pk", filter=positive))
        .values_list("item__cycle", "response__respondent_id", "any_text")
    )
    for cycle, respondent, hits in rows:
        cycle_answered[cycle].add(respondent)
        if hits:
            cycle_reporting[cycle].add(respondent)

    story_authors: set[int] = set()
    story_applied: set[int] = set()
    story_realised: set[int] = set()
    for author, applied, realised in Story.objects.filter(programme=programme).values_list(
        "author_id", "applied_value", "realised_value"
    ):
        story_authors.add(author)
        if applied.strip():
            story_applied.add(author)
        if realised.strip():
            story_realised.add(author)

    survey: dict[str, dict[str, float]] = {}
    indicator_rows = (
        Answer.objects.filter(
            response__wave_id__in=wave_ids,
            response__status=Response.Status.SUBMITTED,
        )
        .exclude(item__indicator="")
        .values("item__indicator")
        .annotate(
            answered=Count("response__respondent_id", distinct=True),
            positive=Count(
                "response__respondent_id",
                distinct=True,
                filter=Q(number__gte=POSITIVE) | Q(choice__in=YES_CHOICES),
            ),
            total=Sum("number"),
        )
    )
    for row in indicator_rows:
        survey[row["item__indicator"]] = {
            "answered": row["answered"],
            "positive": row["positive"],
            "total": row["total"] or 0,
        }
    return Facts(
        peers=peers,
        countries_by_peer=countries,
        cohort_sizes=dict(cohort_sizes),
        edges=contact_edges(programme),
        attended=attended,
        events=[dict(event) for event in events],
        respondents=respondents,
        cycle_answered=dict(cycle_answered),
        cycle_reporting=dict(cycle_reporting),
        story_authors=story_authors,
        story_applied=story_applied,
        story_realised=story_realised,
        survey=survey,
        use_in_organisation=use_in_organisation,
        diffusing=diffusing,
        inputs=inputs_of(programme),
        benchmarking=benchmarking,
    )


def sustained_contact(
    edges: list[tuple[int, int, date, bool]], weeks: int = SUSTAINED_CONTACT_WEEKS
) -> set[int]:
    """People whose logged contacts span at least ``weeks`` weeks (first to last contact)."""
    first: dict[int, date] = {}
    last: dict[int, date] = {}
    for a, b, occurred_on, _confirmed in edges:
        if a == b:
            continue
        for person in (a, b):
            if person not in first or occurred_on < first[person]:
                first[person] = occurred_on
            if person not in last or occurred_on > last[person]:
                last[person] = occurred_on
    return {person for person in first if (last[person] - first[person]).days >= weeks * 7}


def reporting(facts: Facts, cycle: str) -> set[int]:
    """Peers reporting value of ``cycle`` (answers or stories)."""
    people = set(facts.cycle_reporting.get(cycle, set()))
    if cycle in (Cycle.IMMEDIATE, Cycle.POTENTIAL):
        people |= facts.story_authors
    elif cycle == Cycle.APPLIED:
        people |= facts.story_applied
    elif cycle == Cycle.REALISED:
        people |= facts.story_realised
    return people & facts.peers
