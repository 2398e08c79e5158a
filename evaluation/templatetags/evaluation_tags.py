"""Small template helpers for evaluation pages: percentages and inline SVG geometry."""

from __future__ import annotations

from typing import Any

from django import template

from peerlearn import charts

register = template.Library()


@register.filter
def percent(value: Any) -> str:
    """0.456 → "46%"; None → "—"."""
    if value is None or value == "":
        return "—"
    return charts.percent(float(value))


@register.filter
def bar_width(value: Any, scale: float = 100) -> str:
    """A share (0-1) as an SVG length in a 0-``scale`` box, never below a hairline."""
    if value is None:
        return "0"
    return f"{max(float(value) * float(scale), 0.4):.2f}"


@register.filter
def centred_x(value: Any) -> str:
    """The x of a bar of this share centred in a 0-100 box (the hourglass funnel)."""
    if value is None:
        return "50"
    return f"{(100 - max(float(value) * 100, 0.4)) / 2:.2f}"


@register.filter
def sparkline(values: list[float], size: str = "100,24") -> str:
    """Polyline points of a trend in a ``width,height`` box."""
    width, height = (float(part) for part in size.split(","))
    if not values:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = width / max(len(values) - 1, 1)
    return " ".join(
        f"{index * step:.1f},{height - 2 - (value - low) / span * (height - 4):.1f}"
        for index, value in enumerate(values)
    )


@register.filter
def as_strings(values: Any) -> list[str]:
    return [str(value) for value in values or []]


@register.filter
def in_language(texts: Any) -> str:
    from evaluation.models import in_language as pick

    return pick(texts)
