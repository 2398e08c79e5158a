"""The living style guide: every component of the design system with its markup, for the people
who build pages (site administrators, or anyone while ``DEBUG`` is on)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import charts
from .home import DONE, OPEN, WAITING, NextStep


def styleguide(request: HttpRequest) -> HttpResponse:
    if not (settings.DEBUG or (request.user.is_authenticated and request.user.is_superuser)):
        raise Http404
    rows = [
        charts.ChartRow("Enrolled peers", 1.0, "55 · 100%", "series-5"),
        charts.ChartRow("Engaged", 0.87, "48 · 87%"),
        charts.ChartRow("Reporting learning", 0.49, "27 · 49%"),
        charts.ChartRow("Diffusing", None, "Not measured"),
        charts.ChartRow("Reporting applied or realised value", 0.31, "17 · 31%", "series-2"),
    ]
    columns = [
        charts.ChartRow(label, share, charts.percent(share))
        for label, share in [("Immediate", 0.96), ("Potential", 0.8), ("Applied", 0.45)]
    ]
    steps = [
        NextStep(stage="matching", title="Fill in your intake survey", url="#", action="Start"),
        NextStep(
            stage="matching", title="Your group", detail="Formed after the intake.", status=WAITING
        ),
        NextStep(
            stage="setup",
            title="Commitment contract signed",
            url="#",
            action="Read it",
            status=DONE,
        ),
        NextStep(
            stage="evaluation",
            title="Evaluation dashboard",
            url="#",
            action="Open",
            figures=(("Risk flags", "3"),),
            status=OPEN,
        ),
    ]
    context = {
        "hourglass": charts.hourglass(rows),
        "columns": charts.columns(columns, axis_title="Share of peers reporting the cycle"),
        "steps": steps,
        "rows": [
            {"name": "Ioana Petrović", "organisation": "Ministry of Finance", "status": "Joined"},
            {"name": "Kwame Mensah", "organisation": "National Treasury", "status": "Invited"},
        ],
    }
    return render(request, "styleguide.html", context)
