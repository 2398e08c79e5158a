"""Geometry of the light SVG charts drawn by the templates in ``templates/components/``.

Every coordinate is returned as a string with a dot decimal, so that a page in a language that
writes decimals with a comma still draws the chart. The labels and values are part of the
chart (axes, value at each bar), so that a chart pasted into a report reads on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import pgettext


def num(value: float) -> str:
    """A coordinate for an SVG attribute: at most two decimals, always with a dot."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def percent(share: float | None) -> str:
    """A share as a percentage written the page's way ("49%", "49 %")."""
    if share is None:
        return "—"
    return pgettext("a percentage", "%(number)s%%") % {"number": f"{share * 100:.0f}"}


@dataclass(frozen=True)
class ChartRow:
    label: str
    share: float | None  # 0..1; None when not measured
    value: str  # the value as written next to the bar ("27 · 49%", "Not measured")
    tone: str = "series-1"  # a class of the design system's chart colours


@dataclass
class Chart:
    width: str
    height: str
    items: list[dict[str, str]] = field(default_factory=list)
    ticks: list[dict[str, str]] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)


# The hourglass: one row per stage, the stage's name above a bar centred in its lane (so the
# bars draw the shape of the hourglass), the value at the end of the row.
HOURGLASS_WIDTH = 480
LANE_WIDTH = 360
ROW_HEIGHT = 56
LABEL_HEIGHT = 22
BAR_HEIGHT = 22


def hourglass(rows: list[ChartRow]) -> Chart:
    chart = Chart(width=num(HOURGLASS_WIDTH), height=num(len(rows) * ROW_HEIGHT + 6))
    centre = LANE_WIDTH / 2
    for index, row in enumerate(rows):
        top = index * ROW_HEIGHT + 4
        bar_width = max((row.share or 0.0) * LANE_WIDTH, 2.0) if row.share is not None else 0.0
        chart.items.append(
            {
                "label": row.label,
                "value": row.value,
                "tone": row.tone,
                "label_y": num(top + LABEL_HEIGHT - 4),
                "x": num(centre - bar_width / 2),
                "y": num(top + LABEL_HEIGHT),
                "width": num(bar_width),
                "height": num(BAR_HEIGHT),
                "value_x": num(HOURGLASS_WIDTH),
                "value_y": num(top + LABEL_HEIGHT + BAR_HEIGHT - 6),
            }
        )
    return chart


# Columns: a share (0-100 %) per category on a labelled vertical axis.
COLUMNS_WIDTH = 480
PLOT_LEFT = 44
PLOT_RIGHT = 472
PLOT_TOP = 40
PLOT_BOTTOM = 236
COLUMNS_HEIGHT = 270


def columns(rows: list[ChartRow], *, axis_title: str) -> Chart:
    chart = Chart(width=num(COLUMNS_WIDTH), height=num(COLUMNS_HEIGHT))
    plot_height = PLOT_BOTTOM - PLOT_TOP
    for tick in (0, 25, 50, 75, 100):
        y = PLOT_BOTTOM - plot_height * tick / 100
        chart.ticks.append({"label": percent(tick / 100), "y": num(y), "text_y": num(y + 5)})
    slot = (PLOT_RIGHT - PLOT_LEFT) / max(len(rows), 1)
    bar_width = min(slot * 0.6, 60)
    for index, row in enumerate(rows):
        height = (row.share or 0.0) * plot_height
        centre = PLOT_LEFT + slot * index + slot / 2
        chart.items.append(
            {
                "label": row.label,
                "value": row.value,
                "tone": row.tone,
                "x": num(centre - bar_width / 2),
                "y": num(PLOT_BOTTOM - height),
                "width": num(bar_width),
                "height": num(height),
                "centre": num(centre),
                "value_y": num(PLOT_BOTTOM - height - 6),
                "label_y": num(PLOT_BOTTOM + 22),
            }
        )
    chart.extra = {
        "axis_title": axis_title,
        "left": num(PLOT_LEFT),
        "right": num(PLOT_RIGHT),
        "top": num(PLOT_TOP),
        "bottom": num(PLOT_BOTTOM),
        "title_y": num(PLOT_TOP - 22),
        "tick_x": num(PLOT_LEFT - 6),
    }
    return chart
