"""The evaluation plan: the theory of change's elements (focal point, influential variables,
assumptions, one a line) with the indicators linked to them and how each moves, the assumptions
whose indicators move the wrong way, and the checklist's answers on how peer learning could be
evaluated. Trends are read from the nightly indicator snapshots and the impact observations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from programmes import selectors as programmes

from .models import ImpactIndicator, ImpactObservation, IndicatorSnapshot, TheoryLink
from .services import EvaluationError

if TYPE_CHECKING:
    from programmes.models import Programme

SNAPSHOTS = 12


@dataclass(frozen=True)
class Element:
    kind: str
    position: int
    text: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.position}"


def elements_of(programme: Programme) -> list[Element]:
    theory = programmes.theory_of_change(programme)
    if theory is None:
        return []
    found: list[Element] = []
    for kind, text in (
        (TheoryLink.Element.FOCAL_POINT, theory.focal_point),
        (TheoryLink.Element.VARIABLE, theory.influential_variables),
        (TheoryLink.Element.ASSUMPTION, theory.assumptions),
    ):
        lines = [line.strip(" -•*\t") for line in (text or "").splitlines()]
        for position, line in enumerate(line for line in lines if line):
            found.append(Element(str(kind), position, line[:500]))
    return found


def snapshot_trends(programme: Programme) -> dict[str, list[float]]:
    snapshots = list(
        IndicatorSnapshot.objects.filter(programme=programme).order_by("-taken_on")[:SNAPSHOTS]
    )
    trends: dict[str, list[float]] = defaultdict(list)
    for snapshot in reversed(snapshots):
        for code, value in (snapshot.values or {}).items():
            if isinstance(value, int | float):
                trends[code].append(float(value))
    return trends


def impact_trends(indicator_ids: list[int]) -> dict[int, list[float]]:
    """Per impact indicator, the mean over countries of each observation date's numeric
    values, in one query for them all."""
    if not indicator_ids:
        return {}
    by_day: dict[int, dict[Any, list[float]]] = defaultdict(lambda: defaultdict(list))
    for indicator_id, day, value in ImpactObservation.objects.filter(
        indicator_id__in=indicator_ids
    ).values_list("indicator_id", "observed_on", "value"):
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            continue
        by_day[indicator_id][day].append(number)
    return {
        indicator_id: [sum(values) / len(values) for _day, values in sorted(days.items())]
        for indicator_id, days in by_day.items()
    }


def wrong_way(trend: list[float], expected: str) -> bool | None:
    """Whether the trend runs against what is expected; None while there is no trend."""
    if len(trend) < 2 or trend[-1] == trend[0]:
        return None if len(trend) < 2 else False
    rising = trend[-1] > trend[0]
    return rising != (expected == TheoryLink.Expected.UP)


@dataclass
class LinkProgress:
    link: TheoryLink
    label: str
    trend: list[float]
    latest: str
    wrong_way: bool | None


@dataclass
class ElementProgress:
    element: Element
    label: str
    links: list[LinkProgress] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not self.links:
            return "unlinked"
        states = [link.wrong_way for link in self.links]
        if any(states):
            return "wrong-way"
        if all(state is None for state in states):
            return "no-trend"
        return "on-track"


def _latest(trend: list[float]) -> str:
    return "—" if not trend else f"{trend[-1]:.2f}".rstrip("0").rstrip(".")


def progress(
    programme: Programme, labels: dict[str, str], *, only: str = ""
) -> list[ElementProgress]:
    """Each element of the theory of change with its linked indicators and their trends;
    ``labels`` names the built-in indicators by code. With ``only`` (an element kind), the
    elements of that kind alone, and nothing read when none of them is linked."""
    links = defaultdict(list)
    found = TheoryLink.objects.filter(programme=programme).select_related("impact_indicator")
    if only:
        found = found.filter(element=only)
    for link in found:
        links[(link.element, link.position)].append(link)
    if only and not links:
        return []
    built_in = any(not link.impact_indicator_id for row in links.values() for link in row)
    trends = snapshot_trends(programme) if built_in else {}
    impact = impact_trends(
        sorted(
            {
                link.impact_indicator_id
                for row in links.values()
                for link in row
                if link.impact_indicator_id is not None
            }
        )
    )
    kinds = dict(TheoryLink.Element.choices)
    rows = []
    for element in elements_of(programme):
        if only and element.kind != only:
            continue
        row = ElementProgress(element, str(kinds[element.kind]))
        for link in links.get((element.kind, element.position), []):
            if link.impact_indicator is not None:
                trend = impact.get(link.impact_indicator.pk, [])
                label = link.impact_indicator.name
            else:
                trend = trends.get(link.indicator_code, [])
                label = labels.get(link.indicator_code, link.indicator_code)
            row.links.append(
                LinkProgress(link, label, trend, _latest(trend), wrong_way(trend, link.expected))
            )
        rows.append(row)
    return rows


def assumptions_moving_wrong_way(programme: Programme) -> list[str]:
    """The assumptions with a linked indicator moving against what is expected (for a flag):
    one query when no assumption is linked."""
    return [
        row.element.text
        for row in progress(programme, {}, only=TheoryLink.Element.ASSUMPTION)
        if row.status == "wrong-way"
    ]


def evaluation_answers(programme: Programme) -> list[dict[str, Any]]:
    """The checklist's "How could peer learning be evaluated?" questions with their answers."""
    from programmes.selectors import checklist_with_answers

    part = next((p for p in checklist_with_answers(programme) if p["key"] == "evaluation"), None)
    return part["questions"] if part else []


@transaction.atomic
def link_indicator(
    *, programme: Programme, element_key: str, indicator: str, expected: str
) -> TheoryLink:
    """Link an element ("assumption:0") to a built-in indicator ("builtin:<code>") or an
    impact indicator ("impact:<id>") of the programme."""
    element = next((e for e in elements_of(programme) if e.key == element_key), None)
    if element is None:
        raise EvaluationError(_("Choose an element of the theory of change."))
    if expected not in TheoryLink.Expected.values:
        raise EvaluationError(_("Say whether the indicator should rise or fall."))
    kind, _sep, value = indicator.partition(":")
    fields: dict[str, Any] = {"indicator_code": "", "impact_indicator": None}
    if kind == "builtin" and value:
        fields["indicator_code"] = value[:60]
    elif kind == "impact" and value.isdigit():
        found = ImpactIndicator.objects.filter(programme=programme, pk=int(value)).first()
        if found is None:
            raise EvaluationError(_("Choose an indicator of this programme."))
        fields["impact_indicator"] = found
    else:
        raise EvaluationError(_("Choose an indicator."))
    return TheoryLink.objects.create(
        programme=programme,
        element=element.kind,
        position=element.position,
        element_text=element.text,
        expected=expected,
        **fields,
    )


@transaction.atomic
def unlink_indicator(*, programme: Programme, link_id: int) -> None:
    deleted, _rows = TheoryLink.objects.filter(programme=programme, pk=link_id).delete()
    if not deleted:
        raise EvaluationError(_("This link no longer exists."))
