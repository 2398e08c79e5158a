"""The managers' dashboard: every figure, cached until the data it comes from changes; the risk
flags, cached by the kernel until the data they read changes; the nightly snapshot."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diffusion.selectors import diffusing_version
from group_life.selectors import benchmarking_version, discussion_version
from matching.selectors import all_group_members
from peerlearn import charts
from peerlearn.aggregates import one_row, scalar
from peerlearn.flags import STAGE_LABELS, RiskFlag, current_flags
from programmes.selectors import (
    all_activities,
    all_attendances,
    all_contacts,
    all_memberships,
    governance_version,
)

from .. import network
from ..models import (
    ComparisonInvitee,
    Cycle,
    ImpactObservation,
    IndicatorSnapshot,
    Response,
    Story,
    Wave,
)
from .comparisons import comparison_table, strategy_comparison
from .facts import Facts, read_facts
from .funnel import CycleRow, FunnelStage, funnel, value_cycles
from .tiers import Indicator, Tier, attach_trends, impact_rows, indicator_tiers

if TYPE_CHECKING:
    from programmes.models import Programme

FLAGS_SHOWN = 12


CYCLE_SHORT: dict[str, Any] = {
    Cycle.IMMEDIATE: gettext_lazy("Immediate"),
    Cycle.POTENTIAL: gettext_lazy("Potential"),
    Cycle.APPLIED: gettext_lazy("Applied"),
    Cycle.REALISED: gettext_lazy("Realised"),
    Cycle.REFRAMING: gettext_lazy("Reframing"),
}


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

    @cached_property
    def flag_groups(self) -> list[dict[str, Any]]:
        """Flags grouped by stage and code, so fifty "no report-back" flags read as one line."""
        groups: dict[tuple[int, str], list[RiskFlag]] = {}
        for flag in self.flags:
            groups.setdefault((flag.stage, flag.code), []).append(flag)
        return [
            {
                "stage": stage,
                "label": str(STAGE_LABELS.get(stage, stage)),
                "code": code,
                "flags": grouped,
                "shown": grouped[:FLAGS_SHOWN],
                "more": max(len(grouped) - FLAGS_SHOWN, 0),
            }
            for (stage, code), grouped in sorted(groups.items())
        ]

    @property
    def hourglass_chart(self) -> charts.Chart | None:
        """The funnel as a labelled chart: bars centred in their lane draw the hourglass; no
        chart before any peer is enrolled."""
        if not self.funnel or not self.funnel[0].count:
            return None
        tones = {"enrolled": "series-5", "value": "series-2"}
        rows = [
            charts.ChartRow(
                label=stage.label,
                share=stage.share,
                value=_("Not measured")
                if stage.count is None
                else f"{stage.count} · {charts.percent(stage.share)}",
                tone=tones.get(stage.code, "series-1"),
            )
            for stage in self.funnel
        ]
        return charts.hourglass(rows)

    @property
    def cycles_chart(self) -> charts.Chart | None:
        """The share of peers reporting each value cycle; no chart before anyone answered."""
        if not any(row.answered or row.reporting for row in self.cycles):
            return None
        rows = [
            charts.ChartRow(
                label=str(CYCLE_SHORT.get(row.cycle, row.label)),
                share=row.share_of_peers,
                value=charts.percent(row.share_of_peers),
            )
            for row in self.cycles
        ]
        return charts.columns(rows, axis_title=_("Share of peers reporting the cycle"))

    @property
    def network_picture(self) -> dict[str, Any] | None:
        """The drawing of the contact network with its coordinates written for SVG; none when
        nobody has logged a contact (a ring of unconnected dots says nothing)."""
        if not self.drawing.nodes or not self.metrics.ties:
            return None
        return {
            "nodes": [
                {
                    "x": charts.num(node["x"]),
                    "y": charts.num(node["y"]),
                    "r": charts.num(node["r"]),
                    "name": node.get("name", ""),
                    "isolated": not node.get("degree"),
                }
                for node in self.drawing.nodes
            ],
            "lines": [tuple(charts.num(value) for value in line) for line in self.drawing.lines],
            "shown": self.drawing.shown,
            "total": self.drawing.total,
        }

    @property
    def show_central(self) -> bool:
        """The "most central people" say something only when someone is central at all."""
        return any(row["degree"] or row["between"] for row in self.central)


FIGURES_TIMEOUT = 60 * 60 * 24


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


def data_version(programme: Programme) -> str:
    """A fingerprint of everything the dashboard's figures are computed from, in one query of
    small aggregates: any new or changed response, contact, membership, story, attendance,
    activity, wave, impact observation, snapshot, report-back, self-assessment or review,
    discussion post, governance record or published group changes it."""

    responses = Response.objects.filter(wave__programme=programme)
    contacts = all_contacts().filter(programme=programme)
    # An erased person's name leaves the network picture and its list of central people.
    memberships = all_memberships().filter(programme=programme)
    stories = Story.objects.filter(programme=programme)
    attendances = all_attendances().filter(activity__programme=programme)
    activities = all_activities().filter(programme=programme)
    waves = Wave.objects.filter(programme=programme)
    observations = ImpactObservation.objects.filter(indicator__programme=programme)
    snapshots = IndicatorSnapshot.objects.filter(programme=programme)
    invitees = ComparisonInvitee.objects.filter(wave__programme=programme)
    published = all_group_members().filter(
        run__cohort__programme=programme, run__published_at__isnull=False
    )
    counts = one_row(
        responses=scalar(responses, Count("pk")),
        responses_at=scalar(responses, Max("updated_at")),
        contacts=scalar(contacts, Count("pk")),
        contacts_last=scalar(contacts, Max("pk")),
        contacts_confirmed=scalar(contacts, Max("confirmed_at")),
        contacts_occurred=scalar(contacts, Max("occurred_on")),
        memberships=scalar(memberships, Count("pk")),
        memberships_last=scalar(memberships, Max("pk")),
        erased=scalar(memberships, Max("user__erased_at")),
        stories=scalar(stories, Count("pk")),
        stories_at=scalar(stories, Max("created_at")),
        stories_followed=scalar(stories, Max("followed_up_at")),
        attendances=scalar(attendances, Count("pk")),
        attendances_at=scalar(attendances, Max("recorded_at")),
        activities=scalar(activities, Count("pk")),
        activities_last=scalar(activities, Max("pk")),
        waves=scalar(waves, Count("pk")),
        waves_last=scalar(waves, Max("pk")),
        observations=scalar(observations, Count("pk")),
        observations_last=scalar(observations, Max("pk")),
        snapshots=scalar(snapshots, Count("pk")),
        snapshots_on=scalar(snapshots, Max("taken_on")),
        invitees=scalar(invitees, Count("pk")),
        invitees_at=scalar(invitees, Max("submitted_at")),
        published=scalar(published, Count("pk")),
        published_last=scalar(published, Max("pk")),
        # What other stages count, asked of their selectors.
        **_prefixed("diffusing", diffusing_version(programme)),
        **_prefixed("benchmarking", benchmarking_version(programme)),
        **_prefixed("discussions", discussion_version(programme)),
        **_prefixed("governance", governance_version(programme)),
    )
    digest = hashlib.sha1(repr(sorted(counts.items())).encode(), usedforsecurity=False)
    return digest.hexdigest()[:20]


def _prefixed(prefix: str, scalars: dict[str, Any]) -> dict[str, Any]:
    return {f"{prefix}_{name}": query for name, query in scalars.items()}


def compute_figures(programme: Programme) -> dict[str, Any]:
    """Everything on the dashboard except the risk flags (read live from every app)."""
    from ..selectors import peer_choices

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
    version = data_version(programme)
    key = f"evaluation:figures:{programme.pk}:{translation.get_language()}:{version}"
    cached = cache.get(key)
    if cached is None:
        cached = compute_figures(programme)
        cache.set(key, cached, FIGURES_TIMEOUT)
    return cached


def flags(programme: Programme) -> tuple[list[RiskFlag], Any]:
    """Every app's risk flags, fresh after any change to the data they read; and when."""
    return current_flags(programme)


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
