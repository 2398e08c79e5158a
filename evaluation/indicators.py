"""Reads behind the managers' dashboard: the hourglass funnel, the value cycles and the PEMPAL
indicator tiers (Annex 7). Every function runs a fixed number of queries, whatever the number
of peers, responses or contacts.

Definitions used throughout (a *peer* is anyone holding the peer role in the programme):

* **engaged**: a peer with any recorded participation: present at an activity, in a logged
  contact (either side), a submitted survey response or a value-creation story;
* **in sustained contact**: a peer whose logged contacts (either side, confirmed or not) span at
  least :data:`SUSTAINED_CONTACT_WEEKS` weeks between the first and the last contact date
  (twelve weeks follows Experiment 4's "contact lasting at least 3 months");
* **reporting value of a cycle**: a submitted answer to an item tagged with that Wenger-Trayner
  cycle that is either 4 or 5 on its 1-5 scale, or a non-blank free-text answer (the story
  questions); a value-creation story counts for immediate and potential value, and for applied
  or realised value once its follow-up says so;
* **reporting learning**: reporting potential value (any of its parts a-e);
* **diffusing**: a peer the diffusion app counts as diffusing (a report-back held at home);
* **reporting applied or realised value**: reporting either of those two cycles.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diffusion.selectors import peers_diffusing
from matching.selectors import all_group_members
from peerlearn.flags import RiskFlag, collect_flags
from peerlearn.roles import Role
from programmes.selectors import all_activities, all_attendances, all_contacts, all_memberships

from . import network
from .models import (
    Answer,
    Cycle,
    ImpactObservation,
    IndicatorSnapshot,
    Item,
    Response,
    Story,
    Wave,
)

if TYPE_CHECKING:
    from programmes.models import Programme


SUSTAINED_CONTACT_WEEKS = 12
FLAGS_SHOWN = 12
CYCLE_SHORT: dict[str, Any] = {
    Cycle.IMMEDIATE: gettext_lazy("Immediate"),
    Cycle.POTENTIAL: gettext_lazy("Potential"),
    Cycle.APPLIED: gettext_lazy("Applied"),
    Cycle.REALISED: gettext_lazy("Realised"),
    Cycle.REFRAMING: gettext_lazy("Reframing"),
}
POSITIVE = 4  # 4 or 5 on a 1-5 scale counts as reporting
YES_CHOICES = ("yes", "more_than_6")


class Tier:
    INPUTS = "inputs"
    OUTPUTS = "outputs"
    OUTCOME = "outcome"
    IMPACT = "impact"

    LABELS = {
        INPUTS: gettext_lazy("Inputs"),
        OUTPUTS: gettext_lazy("Outputs"),
        OUTCOME: gettext_lazy("Outcome"),
        IMPACT: gettext_lazy("Impact"),
    }
    ORDER = (INPUTS, OUTPUTS, OUTCOME, IMPACT)


@dataclass
class Indicator:
    code: str
    tier: str
    label: str
    value: float | None
    display: str
    detail: str = ""
    trend: list[float] = field(default_factory=list)


@dataclass
class FunnelStage:
    code: str
    label: str
    count: int | None  # None: not measured (the data source is not available)
    share: float | None
    note: str = ""


@dataclass
class CycleRow:
    cycle: str
    label: str
    answered: int
    reporting: int
    share_of_peers: float | None
    share_of_respondents: float | None


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


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def diffusing_peers(programme: Programme) -> set[int] | None:
    """User ids of peers diffusing at home, from the diffusion app; ``None`` if unavailable."""
    return set(peers_diffusing(programme))


def contact_edges(programme: Programme) -> list[tuple[int, int, date, bool]]:
    from programmes.selectors import contact_edges as edges

    return list(edges(programme))


def read_facts(programme: Programme) -> Facts:
    peer_rows = list(
        all_memberships()
        .filter(programme=programme, role=Role.PEER)
        .values_list("user_id", "organisation__country", "cohort_id")
    )
    peers = {user_id for user_id, _c, _h in peer_rows}
    countries = {user_id: country for user_id, country, _h in peer_rows if country}
    cohort_sizes: dict[int | None, int] = defaultdict(int)
    for _u, _c, cohort_id in peer_rows:
        cohort_sizes[cohort_id] += 1

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

    wave_ids = list(Wave.objects.filter(programme=programme).values_list("pk", flat=True))
    submitted = Response.objects.filter(wave_id__in=wave_ids, status=Response.Status.SUBMITTED)
    respondents = set(submitted.values_list("respondent_id", flat=True).distinct())

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
    use_in_organisation = set(
        Answer.objects.filter(
            response__wave_id__in=wave_ids,
            response__status=Response.Status.SUBMITTED,
            item__indicator="use_in_organisation",
            choice="yes",
        )
        .values_list("response__respondent_id", flat=True)
        .distinct()
    )
    diffusing = diffusing_peers(programme)
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


def funnel(facts: Facts) -> list[FunnelStage]:
    peers = facts.peers
    in_contact = {p for e in facts.edges for p in e[:2]}
    engaged = peers & (set(facts.attended) | in_contact | facts.respondents | facts.story_authors)
    sustained = peers & sustained_contact(facts.edges)
    learning = reporting(facts, Cycle.POTENTIAL)
    value = reporting(facts, Cycle.APPLIED) | reporting(facts, Cycle.REALISED)
    total = len(peers)
    stages = [
        FunnelStage("enrolled", _("Enrolled peers"), total, 1.0 if total else None),
        FunnelStage("engaged", _("Engaged"), len(engaged), _share(len(engaged), total)),
        FunnelStage(
            "sustained",
            _("In sustained contact"),
            len(sustained),
            _share(len(sustained), total),
            _("Logged contacts spanning at least %(weeks)s weeks.")
            % {"weeks": SUSTAINED_CONTACT_WEEKS},
        ),
        FunnelStage(
            "learning", _("Reporting learning"), len(learning), _share(len(learning), total)
        ),
    ]
    if facts.diffusing is None:
        stages.append(
            FunnelStage(
                "diffusing",
                _("Diffusing"),
                None,
                None,
                _("Not measured: report-backs are not recorded in this installation."),
            )
        )
    else:
        diffusing = facts.diffusing & peers
        stages.append(
            FunnelStage(
                "diffusing",
                _("Diffusing"),
                len(diffusing),
                _share(len(diffusing), total),
                _("Held at least one report-back at home."),
            )
        )
    stages.append(
        FunnelStage(
            "value",
            _("Reporting applied or realised value"),
            len(value),
            _share(len(value), total),
        )
    )
    return stages


def value_cycles(facts: Facts) -> list[CycleRow]:
    rows = []
    total = len(facts.peers)
    for cycle, label in Cycle.choices:
        answered = facts.cycle_answered.get(cycle, set()) & facts.peers
        people = reporting(facts, cycle)
        responders = answered | (people - answered)
        rows.append(
            CycleRow(
                cycle=cycle,
                label=str(label),
                answered=len(responders),
                reporting=len(people),
                share_of_peers=_share(len(people), total),
                share_of_respondents=_share(len(people), len(responders)),
            )
        )
    return rows


def network_for(programme: Programme, facts: Facts) -> tuple[network.NetworkMetrics, Any]:
    """Metrics and drawing of the contact graph, cached by the graph's content."""
    key = f"evaluation:network:{programme.pk}:{network.edges_fingerprint(facts.edges, facts.peers)}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    graph = network.build_graph(facts.edges, facts.peers)
    metrics = network.network_metrics(graph)
    picture = network.drawing(graph, metrics.betweenness)
    cache.set(key, (metrics, picture), 60 * 60 * 24)
    return metrics, picture


def _survey_share(facts: Facts, code: str) -> tuple[float | None, str]:
    row = facts.survey.get(code)
    if not row or not row["answered"]:
        return None, _("No answers yet.")
    return row["positive"] / row["answered"], _("%(positive)s of %(answered)s respondents") % {
        "positive": int(row["positive"]),
        "answered": int(row["answered"]),
    }


def indicator_tiers(
    programme: Programme, facts: Facts, metrics: network.NetworkMetrics
) -> list[Indicator]:
    peers = facts.peers
    total = len(peers)
    countries = {facts.countries_by_peer[p] for p in peers if p in facts.countries_by_peer}
    engaged_stage = funnel(facts)[1]
    result: list[Indicator] = []

    def add(code: str, tier: str, label: str, value: float | None, display: str, detail: str = ""):
        result.append(Indicator(code, tier, label, value, display, detail))

    add(
        "participation",
        Tier.INPUTS,
        _("Participation: peers engaged"),
        engaged_stage.share,
        _percent(engaged_stage.share),
        _("%(engaged)s of %(total)s peers, from %(countries)s countries")
        % {"engaged": engaged_stage.count, "total": total, "countries": len(countries)},
    )
    for code, label in (
        ("belonging", _("Sense of belonging to the network")),
        ("influence", _("Able to influence network priority setting")),
    ):
        share, detail = _survey_share(facts, code)
        add(code, Tier.INPUTS, label, share, _percent(share), detail)

    # Outputs: events, attendance, network, resources.
    years: dict[int, int] = defaultdict(int)
    invited_total = 0
    present_total = 0
    for event in facts.events:
        years[event["starts_at"].year] += 1
        invited = (
            total if event["cohort_id"] is None else facts.cohort_sizes.get(event["cohort_id"], 0)
        )
        invited_total += invited
        present_total += min(event["present"], invited) if invited else 0
    per_year = sum(years.values()) / len(years) if years else None
    add(
        "events_per_year",
        Tier.OUTPUTS,
        _("Events per year"),
        per_year,
        "—" if per_year is None else f"{per_year:.1f}",
        _("%(events)s activities over %(years)s calendar year(s)")
        % {"events": len(facts.events), "years": len(years)},
    )
    attendance = _share(present_total, invited_total)
    add(
        "attendance",
        Tier.OUTPUTS,
        _("Attendance as a share of invited"),
        attendance,
        _percent(attendance),
        _("%(present)s attendances of %(invited)s invitations")
        % {"present": present_total, "invited": invited_total},
    )
    attendees = [n for user, n in facts.attended.items() if user in peers]
    repeat = _share(sum(1 for n in attendees if n >= 2), len(attendees))
    add(
        "repeat_attendance",
        Tier.OUTPUTS,
        _("Repeat attendance"),
        repeat,
        _percent(repeat),
        _("Share of attending peers who attended more than one activity."),
    )
    add(
        "density",
        Tier.OUTPUTS,
        _("Network density"),
        metrics.density,
        f"{metrics.density:.3f}",
        _("%(ties)s ties among %(people)s people")
        % {"ties": metrics.ties, "people": metrics.people},
    )
    add(
        "degree_centrality",
        Tier.OUTPUTS,
        _("Degree centrality (mean)"),
        metrics.mean_degree,
        f"{metrics.mean_degree:.3f}",
        _("Highest: %(max).3f") % {"max": metrics.max_degree},
    )
    add(
        "betweenness_centrality",
        Tier.OUTPUTS,
        _("Betweenness centrality (highest)"),
        metrics.max_betweenness,
        f"{metrics.max_betweenness:.3f}",
        (_("Mean: %(mean).3f") % {"mean": metrics.mean_betweenness})
        + ("" if metrics.betweenness_exact else " " + _("(estimated from a sample)")),
    )
    add(
        "diameter",
        Tier.OUTPUTS,
        _("Diameter of the largest connected component"),
        float(metrics.diameter),
        str(metrics.diameter),
        _("Largest component: %(size)s of %(people)s people; %(components)s components")
        % {
            "size": metrics.largest_component,
            "people": metrics.people,
            "components": metrics.components,
        }
        + ("" if metrics.diameter_exact else " " + _("(lower bound)")),
    )
    for code, label in (
        ("resource_use", _("Using learning resources more than 6 times a year")),
        ("resource_quality", _("Rating resources as of quality or high quality")),
        ("event_inputs", _("Rating event inputs satisfactory or highly satisfactory")),
    ):
        share, detail = _survey_share(facts, code)
        add(code, Tier.OUTPUTS, label, share, _percent(share), detail)

    # Outcome: use in organisations, contributions.
    users = facts.use_in_organisation & peers
    use_countries = {facts.countries_by_peer[p] for p in users if p in facts.countries_by_peer}
    share = _share(len(users), total)
    add(
        "use_in_organisation",
        Tier.OUTCOME,
        _("Peers reporting use of the network's experiences in their organisation"),
        share,
        _percent(share),
        _("%(peers)s peers from %(countries)s countries")
        % {"peers": len(users), "countries": len(use_countries)},
    )
    contributions = facts.survey.get("contributions", {}).get("total")
    add(
        "contributions",
        Tier.OUTCOME,
        _("Contributions to events and learning resources"),
        float(contributions) if contributions is not None else None,
        "—" if contributions is None else f"{contributions:g}",
        _("Reported by peers in the network indicators survey."),
    )
    value = reporting(facts, Cycle.APPLIED) | reporting(facts, Cycle.REALISED)
    share = _share(len(value), total)
    add(
        "applied_value",
        Tier.OUTCOME,
        _("Peers reporting applied or realised value"),
        share,
        _percent(share),
    )
    return result


def impact_rows(programme: Programme) -> list[dict[str, Any]]:
    """Per impact indicator and country: first and latest observation (one query)."""
    grouped: dict[tuple[int, str], list[ImpactObservation]] = defaultdict(list)
    names: dict[int, tuple[str, str]] = {}
    for observation in ImpactObservation.objects.filter(
        indicator__programme=programme
    ).select_related("indicator"):
        grouped[(observation.indicator_id, observation.country)].append(observation)
        names[observation.indicator_id] = (observation.indicator.name, observation.indicator.unit)
    rows = []
    for (indicator_id, country), observations in sorted(
        grouped.items(), key=lambda kv: (names[kv[0][0]][0], kv[0][1])
    ):
        observations.sort(key=lambda o: o.observed_on)
        rows.append(
            {
                "indicator": names[indicator_id][0],
                "unit": names[indicator_id][1],
                "country": country,
                "first": observations[0],
                "latest": observations[-1],
                "count": len(observations),
            }
        )
    return rows


def attach_trends(programme: Programme, indicators: list[Indicator], limit: int = 12) -> None:
    snapshots = list(
        IndicatorSnapshot.objects.filter(programme=programme).order_by("-taken_on")[:limit]
    )
    snapshots.reverse()
    for indicator in indicators:
        indicator.trend = [
            float(s.values[indicator.code])
            for s in snapshots
            if isinstance(s.values.get(indicator.code), int | float)
        ]


def strategy_comparison(programme: Programme, facts: Facts) -> list[dict[str, Any]] | None:
    """Continuing engagement and value by matching strategy, or ``None`` when the programme has
    no published matching run to compare."""
    members = list(
        all_group_members()
        .filter(run__cohort__programme=programme, run__published_at__isnull=False)
        .values_list("run__strategy", "user_id")
    )
    if not members:
        return None
    by_strategy: dict[str, set[int]] = defaultdict(set)
    for strategy, user_id in members:
        by_strategy[str(strategy)].add(user_id)
    engagement = dict(
        Answer.objects.filter(
            response__wave__programme=programme,
            response__status=Response.Status.SUBMITTED,
            item__indicator="continue_engaging",
        ).values_list("response__respondent_id", "number")
    )
    learning = reporting(facts, Cycle.POTENTIAL)
    value = reporting(facts, Cycle.APPLIED) | reporting(facts, Cycle.REALISED)
    rows = []
    for strategy, people in sorted(by_strategy.items()):
        scores = [float(score) for p in people if (score := engagement.get(p)) is not None]
        rows.append(
            {
                "strategy": strategy,
                "peers": len(people),
                "engagement": sum(scores) / len(scores) if scores else None,
                "engagement_answers": len(scores),
                "learning": _share(len(people & learning), len(people)),
                "value": _share(len(people & value), len(people)),
            }
        )
    return rows


@dataclass
class Dashboard:
    programme: Programme
    funnel: list[FunnelStage]
    cycles: list[CycleRow]
    tiers: list[tuple[str, str, list[Indicator]]]
    metrics: network.NetworkMetrics
    drawing: network.Drawing
    central: list[dict[str, Any]]
    impact: list[dict[str, Any]]
    strategies: list[dict[str, Any]] | None
    flags: list[RiskFlag]
    comparison: list[dict[str, Any]] = field(default_factory=list)
    computed_at: Any = None
    flags_at: Any = None

    @property
    def flag_groups(self) -> list[dict[str, Any]]:
        """Flags grouped by stage and code, so fifty "no report-back" flags read as one line."""
        groups: dict[tuple[int, str], list[RiskFlag]] = {}
        for flag in self.flags:
            groups.setdefault((flag.stage, flag.code), []).append(flag)
        return [
            {
                "stage": stage,
                "code": code,
                "flags": grouped,
                "shown": grouped[:FLAGS_SHOWN],
                "more": max(len(grouped) - FLAGS_SHOWN, 0),
            }
            for (stage, code), grouped in sorted(groups.items())
        ]

    @property
    def funnel_height(self) -> int:
        return 10 * len(self.funnel)

    @property
    def funnel_bars(self) -> list[dict[str, Any]]:
        """Bars centred on the middle line, as wide as each stage's share (an hourglass)."""
        bars = []
        for index, stage in enumerate(self.funnel):
            width = max((stage.share or 0.0) * 100, 0.5)
            bars.append(
                {
                    "code": stage.code,
                    "x": round((100 - width) / 2, 2),
                    "y": index * 10 + 1,
                    "width": round(width, 2),
                    "height": 8,
                }
            )
        return bars

    @property
    def cycle_bars(self) -> list[dict[str, Any]]:
        bars = []
        for index, row in enumerate(self.cycles):
            height = max((row.share_of_peers or 0.0) * 40, 0.5)
            bars.append(
                {
                    "code": row.cycle,
                    "x": index * 20 + 3,
                    "y": round(50 - height, 2),
                    "width": 14,
                    "height": round(height, 2),
                    "label_x": index * 20 + 10,
                    "value_y": round(max(50 - height - 1.5, 6), 2),
                    "value": _percent(row.share_of_peers),
                    "short": str(CYCLE_SHORT.get(row.cycle, row.label)),
                }
            )
        return bars


FIGURES_TIMEOUT = 60 * 60 * 24
FLAGS_TIMEOUT = 60 * 5


def data_version(programme: Programme) -> str:
    """A fingerprint of everything the dashboard's figures are computed from, in a fixed number
    of small aggregate queries: any new or changed response, contact, membership, story,
    attendance, activity, wave, impact observation, snapshot, report-back or published group
    changes it."""

    from .models import ComparisonInvitee, ImpactObservation

    parts: list[Any] = [
        Response.objects.filter(wave__programme=programme).aggregate(
            n=Count("pk"), m=Max("updated_at")
        ),
        all_contacts()
        .filter(programme=programme)
        .aggregate(n=Count("pk"), m=Max("pk"), c=Max("confirmed_at"), d=Max("occurred_on")),
        all_memberships().filter(programme=programme).aggregate(n=Count("pk"), m=Max("pk")),
        Story.objects.filter(programme=programme).aggregate(
            n=Count("pk"), m=Max("created_at"), f=Max("followed_up_at")
        ),
        all_attendances()
        .filter(activity__programme=programme)
        .aggregate(n=Count("pk"), m=Max("recorded_at")),
        all_activities().filter(programme=programme).aggregate(n=Count("pk"), m=Max("pk")),
        Wave.objects.filter(programme=programme).aggregate(n=Count("pk"), m=Max("pk")),
        ImpactObservation.objects.filter(indicator__programme=programme).aggregate(
            n=Count("pk"), m=Max("pk")
        ),
        IndicatorSnapshot.objects.filter(programme=programme).aggregate(
            n=Count("pk"), m=Max("taken_on")
        ),
        sorted(diffusing_peers(programme) or []),
        ComparisonInvitee.objects.filter(wave__programme=programme).aggregate(
            n=Count("pk"), m=Max("submitted_at")
        ),
    ]
    parts.append(
        all_group_members()
        .filter(run__cohort__programme=programme, run__published_at__isnull=False)
        .aggregate(n=Count("pk"), m=Max("pk"))
    )
    digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False)
    return digest.hexdigest()[:20]


def comparison_table(programme: Programme) -> list[dict[str, Any]]:
    """Participants and comparison group side by side, for every single-choice question of the
    waves that invited a comparison group: per option, the count and share in each group."""
    from .models import ComparisonInvitee

    invitees = list(
        ComparisonInvitee.objects.filter(
            wave__programme=programme, submitted_at__isnull=False
        ).values_list("wave_id", "answers")
    )
    if not invitees:
        return []
    wave_ids = sorted({wave_id for wave_id, _answers in invitees})
    items = list(
        Item.objects.filter(instrument__waves__in=wave_ids, kind=Item.Kind.SINGLE)
        .distinct()
        .order_by("instrument_id", "position")
    )
    participant_counts: dict[tuple[int, str], int] = defaultdict(int)
    participant_totals: dict[int, int] = defaultdict(int)
    for item_id, choice, n in (
        Answer.objects.filter(
            response__wave_id__in=wave_ids,
            response__status=Response.Status.SUBMITTED,
            item__in=items,
        )
        .values("item_id", "choice")
        .annotate(n=Count("pk"))
        .values_list("item_id", "choice", "n")
        .order_by()
    ):
        participant_counts[(item_id, choice)] += n
        participant_totals[item_id] += n
    rows = []
    for item in items:
        chosen = [
            answers.get(item.code, {}).get("choice", "")
            for _wave, answers in invitees
            if answers.get(item.code, {}).get("choice")
        ]
        options = []
        for value, label in item.options():
            peers_n = participant_counts.get((item.pk, value), 0)
            others_n = chosen.count(value)
            options.append(
                {
                    "label": label,
                    "participants": peers_n,
                    "participants_share": _share(peers_n, participant_totals.get(item.pk, 0)),
                    "comparison": others_n,
                    "comparison_share": _share(others_n, len(chosen)),
                }
            )
        rows.append(
            {
                "question": item.question,
                "options": options,
                "participants": participant_totals.get(item.pk, 0),
                "comparison": len(chosen),
            }
        )
    return rows


def compute_figures(programme: Programme) -> dict[str, Any]:
    """Everything on the dashboard except the risk flags (read live from every app)."""
    from .selectors import peer_choices

    facts = read_facts(programme)
    metrics, picture = network_for(programme, facts)
    indicators = indicator_tiers(programme, facts, metrics)
    attach_trends(programme, indicators)
    tiers = [
        (tier, str(Tier.LABELS[tier]), [i for i in indicators if i.tier == tier])
        for tier in Tier.ORDER
    ]
    names = dict(peer_choices(programme))
    central = [
        {
            "name": names.get(node, _("Someone no longer in the programme")),
            "degree": d,
            "between": b,
        }
        for node, d, b in metrics.most_central(5)
    ]
    nodes = [dict(node, name=names.get(node["id"], "")) for node in picture.nodes]
    return {
        "funnel": funnel(facts),
        "cycles": value_cycles(facts),
        "tiers": tiers,
        "metrics": metrics,
        "drawing": network.Drawing(nodes, picture.lines, picture.shown, picture.total),
        "central": central,
        "impact": impact_rows(programme),
        "strategies": strategy_comparison(programme, facts),
        "comparison": comparison_table(programme),
        "computed_at": timezone.now(),
    }


def figures(programme: Programme) -> dict[str, Any]:
    """The dashboard's figures, cached until the data they come from changes."""
    key = (
        f"evaluation:figures:{programme.pk}:{translation.get_language()}:{data_version(programme)}"
    )
    cached = cache.get(key)
    if cached is None:
        cached = compute_figures(programme)
        cache.set(key, cached, FIGURES_TIMEOUT)
    return cached


def flags(programme: Programme) -> tuple[list[RiskFlag], Any]:
    """Every app's risk flags, recomputed at most every five minutes; and when."""
    key = f"evaluation:flags:{programme.pk}:{translation.get_language()}"
    cached = cache.get(key)
    if cached is None:
        cached = (collect_flags(programme), timezone.now())
        cache.set(key, cached, FLAGS_TIMEOUT)
    return cached


def dashboard(programme: Programme) -> Dashboard:
    data = figures(programme)
    risk_flags, flags_at = flags(programme)
    return Dashboard(
        programme=programme,
        funnel=data["funnel"],
        cycles=data["cycles"],
        tiers=data["tiers"],
        metrics=data["metrics"],
        drawing=data["drawing"],
        central=data["central"],
        impact=data["impact"],
        strategies=data["strategies"],
        comparison=data["comparison"],
        flags=risk_flags,
        computed_at=data["computed_at"],
        flags_at=flags_at,
    )


def snapshot_values(programme: Programme) -> dict[str, float | None]:
    """The figures stored nightly: every indicator and funnel stage with a value."""
    facts = read_facts(programme)
    metrics, _picture = network_for(programme, facts)
    values: dict[str, float | None] = {
        indicator.code: indicator.value for indicator in indicator_tiers(programme, facts, metrics)
    }
    for stage in funnel(facts):
        values[f"funnel_{stage.code}"] = stage.count
    return values
