"""The PEMPAL indicator tiers (Annex 7): inputs, outputs and outcome from the facts, the impact
tier from the observations recorded per country, and each indicator's trend."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import network
from ..models import Cycle, ImpactObservation, IndicatorSnapshot
from .facts import Facts, as_percent, reporting, share_of
from .funnel import funnel

if TYPE_CHECKING:
    from programmes.models import Programme
    from programmes.selectors import Inputs


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


def _survey_share(facts: Facts, code: str) -> tuple[float | None, str]:
    row = facts.survey.get(code)
    if not row or not row["answered"]:
        return None, _("No answers yet.")
    return row["positive"] / row["answered"], _("%(positive)s of %(answered)s respondents") % {
        "positive": int(row["positive"]),
        "answered": int(row["answered"]),
    }


class TierIndicators(list[Indicator]):
    """The indicators of one tier, in the order they are added."""

    def __init__(self, tier: str) -> None:
        super().__init__()
        self.tier = tier

    def add(
        self, code: str, label: str, value: float | None, display: str, detail: str = ""
    ) -> None:
        self.append(Indicator(code, self.tier, label, value, display, detail))


def input_indicators(facts: Facts) -> list[Indicator]:
    """Inputs: participation, belonging, influence on priorities, funders, the secretariat, the
    website and governance."""
    peers = facts.peers
    total = len(peers)
    countries = {facts.countries_by_peer[p] for p in peers if p in facts.countries_by_peer}
    engaged_stage = funnel(facts)[1]
    tier = TierIndicators(Tier.INPUTS)
    tier.add(
        "participation",
        _("Participation: peers engaged"),
        engaged_stage.share,
        as_percent(engaged_stage.share),
        _("%(engaged)s of %(total)s peers, from %(countries)s countries")
        % {"engaged": engaged_stage.count, "total": total, "countries": len(countries)},
    )
    for code, label in (
        ("belonging", _("Sense of belonging to the network")),
        ("influence", _("Able to influence network priority setting")),
    ):
        share, detail = _survey_share(facts, code)
        tier.add(code, label, share, as_percent(share), detail)
    if facts.inputs is not None:
        _resource_indicators(tier, facts.inputs)
    return tier


def _amounts(amounts: dict[str, Decimal]) -> str:
    """``120000 USD + 5000 EUR``: plain digits, never a localised number format."""
    return " + ".join(f"{amount:.0f} {currency}" for currency, amount in sorted(amounts.items()))


def _resource_indicators(tier: TierIndicators, inputs: Inputs) -> None:
    """Funders, the secretariat, the website and governance, from the resources recorded by
    year and the steering group's work."""
    latest = inputs.years[0] if inputs.years else None
    if latest is None:
        tier.add("funders", _("Co-funding partners"), None, "—", _("No partner recorded yet."))
    else:
        detail = _("In %(year)s: %(partners)s") % {
            "year": latest.year,
            "partners": ", ".join(sorted(latest.funders)),
        }
        if latest.cash:
            detail += "; " + _("cash %(amounts)s") % {"amounts": _amounts(latest.cash)}
        if latest.in_kind:
            detail += "; " + _("in kind %(amounts)s") % {"amounts": _amounts(latest.in_kind)}
        tier.add(
            "funders",
            _("Co-funding partners"),
            float(len(latest.funders)),
            str(len(latest.funders)),
            detail,
        )
    for code, purpose, label in (
        ("secretariat", "secretariat", _("Secretariat resourced")),
        ("website", "website", _("Website and online tools resourced")),
    ):
        if latest is None:
            tier.add(code, label, None, "—", _("No partner recorded yet."))
            continue
        covered = purpose in latest.purposes
        tier.add(
            code,
            label,
            1.0 if covered else 0.0,
            _("Yes") if covered else _("No"),
            _("Resources recorded for %(year)s.") % {"year": latest.year},
        )
    tier.add(
        "governance",
        _("Country-led steering group: members"),
        float(inputs.steering_members) if inputs.steering_members else None,
        str(inputs.steering_members) if inputs.steering_members else "—",
        _("%(meetings)s meetings, %(decisions)s decisions recorded")
        % {"meetings": inputs.steering_meetings, "decisions": inputs.decisions},
    )


def output_indicators(facts: Facts, metrics: network.NetworkMetrics) -> list[Indicator]:
    """Outputs: events, attendance, the network's shape, learning resources."""
    peers = facts.peers
    total = len(peers)
    tier = TierIndicators(Tier.OUTPUTS)
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
    tier.add(
        "events_per_year",
        _("Events per year"),
        per_year,
        "—" if per_year is None else formats.number_format(per_year, 1),
        ngettext(
            "%(events)s activities over %(years)s calendar year",
            "%(events)s activities over %(years)s calendar years",
            len(years),
        )
        % {"events": len(facts.events), "years": len(years)},
    )
    attendance = share_of(present_total, invited_total)
    tier.add(
        "attendance",
        _("Attendance as a share of invited"),
        attendance,
        as_percent(attendance),
        _("%(present)s attendances of %(invited)s invitations")
        % {"present": present_total, "invited": invited_total},
    )
    attendees = [n for user, n in facts.attended.items() if user in peers]
    repeat = share_of(sum(1 for n in attendees if n >= 2), len(attendees))
    tier.add(
        "repeat_attendance",
        _("Repeat attendance"),
        repeat,
        as_percent(repeat),
        _("Share of attending peers who attended more than one activity."),
    )
    tier.add(
        "density",
        _("Network density"),
        metrics.density,
        f"{metrics.density:.3f}",
        _("%(ties)s ties among %(people)s people")
        % {"ties": metrics.ties, "people": metrics.people},
    )
    tier.add(
        "degree_centrality",
        _("Degree centrality (mean)"),
        metrics.mean_degree,
        f"{metrics.mean_degree:.3f}",
        _("Highest: %(max).3f") % {"max": metrics.max_degree},
    )
    tier.add(
        "betweenness_centrality",
        _("Betweenness centrality (highest)"),
        metrics.max_betweenness,
        f"{metrics.max_betweenness:.3f}",
        (_("Mean: %(mean).3f") % {"mean": metrics.mean_betweenness})
        + ("" if metrics.betweenness_exact else " " + _("(estimated from a sample)")),
    )
    tier.add(
        "diameter",
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
        tier.add(code, label, share, as_percent(share), detail)
    return tier


def outcome_indicators(facts: Facts) -> list[Indicator]:
    """Outcome: use in organisations, contributions, applied or realised value."""
    peers = facts.peers
    total = len(peers)
    tier = TierIndicators(Tier.OUTCOME)
    users = facts.use_in_organisation & peers
    use_countries = {facts.countries_by_peer[p] for p in users if p in facts.countries_by_peer}
    share = share_of(len(users), total)
    tier.add(
        "use_in_organisation",
        _("Peers reporting use of the network's experiences in their organisation"),
        share,
        as_percent(share),
        _("%(peers)s peers from %(countries)s countries")
        % {"peers": len(users), "countries": len(use_countries)},
    )
    contributions = facts.survey.get("contributions", {}).get("total")
    tier.add(
        "contributions",
        _("Contributions to events and learning resources"),
        float(contributions) if contributions is not None else None,
        "—" if contributions is None else f"{contributions:g}",
        _("Reported by peers in the network indicators survey."),
    )
    benchmarking = facts.benchmarking & peers
    share = share_of(len(benchmarking), total)
    tier.add(
        "benchmarking",
        _("Peers using benchmarking tools"),
        share,
        as_percent(share),
        _("%(peers)s peers self-assessed their organisation or reviewed another's")
        % {"peers": len(benchmarking)},
    )
    value = reporting(facts, Cycle.APPLIED) | reporting(facts, Cycle.REALISED)
    share = share_of(len(value), total)
    tier.add(
        "applied_value",
        _("Peers reporting applied or realised value"),
        share,
        as_percent(share),
    )
    return tier


def indicator_tiers(
    programme: Programme, facts: Facts, metrics: network.NetworkMetrics
) -> list[Indicator]:
    """Every indicator of the inputs, outputs and outcome tiers (impact: :func:`impact_rows`)."""
    return [
        *input_indicators(facts),
        *output_indicators(facts, metrics),
        *outcome_indicators(facts),
    ]


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
