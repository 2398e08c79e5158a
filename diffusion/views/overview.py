"""The diffusion overview of a programme and its diffusion graph."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from peerlearn.flags import RiskFlag, current_flags
from peerlearn.http import AuthenticatedHttpRequest
from peerlearn.listing import paginate
from peerlearn.roles import Role, roles_in
from programmes.selectors import get_programme_for

from .. import graph, selectors
from .common import require

ROWS_PER_PAGE = 25
# Subjects named under one kind of flag; the others are counted.
FLAG_SUBJECTS_SHOWN = 12


def flag_groups(flags: list[RiskFlag]) -> list[dict[str, Any]]:
    """The flags by kind, each with the first subjects it names and how many more there are."""
    groups: dict[str, list[RiskFlag]] = {}
    for flag in flags:
        groups.setdefault(flag.code, []).append(flag)
    return [
        {
            "first": grouped[0],
            "count": len(grouped),
            "shown": grouped[:FLAG_SUBJECTS_SHOWN],
            "more": max(len(grouped) - FLAG_SUBJECTS_SHOWN, 0),
        }
        for grouped in groups.values()
    ]


@login_required
def overview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    require(request, "diffusion.view_diffusion", programme, _("You cannot see this programme."))
    user = request.user
    roles = roles_in(user, programme)
    staff = selectors.sees_whole_programme(user, programme)
    chapters = selectors.chapters_for(user, programme)
    # a sponsor's figures cover their own organisation's peers only
    figures = selectors.reach_figures_for(user, programme)
    context: dict[str, Any] = {
        "programme": programme,
        "roles": roles,
        "staff": staff,
        "is_peer": Role.PEER in roles,
        "my_plan": selectors.own_plan(user, programme),
        "plans": paginate(
            request,
            selectors.plans_for(user, programme).order_by("peer__full_name", "peer__email", "pk"),
            per_page=ROWS_PER_PAGE,
            prefix="plans",
            label=_("Pages of diffusion plans"),
        ),
        "report_backs": paginate(
            request,
            selectors.report_backs_for(user, programme).order_by("-held_on", "-pk"),
            per_page=ROWS_PER_PAGE,
            prefix="reports",
            label=_("Pages of report-backs"),
        ),
        "chapters": chapters,
        "pilots": selectors.pilots_for(user, programme),
        "stories": selectors.stories_for(user, programme),
        "reach": figures.reach_by_depth,
        "peer_count": figures.peers,
        "diffusing_count": figures.peers_diffusing,
        "flags": flag_groups(current_flags(programme, only=["diffusion"])[0]) if staff else [],
    }
    return render(request, "diffusion/overview.html", context)


@login_required
def graph_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for(request.user, pk)
    require(request, "diffusion.view_diffusion", programme, _("You cannot see this programme."))
    user = request.user
    chapters = selectors.chapters_for(user, programme)
    diffusion_graph = graph.build_graph(selectors.graph_sessions_for(user, programme), chapters)
    picture = graph.draw(
        diffusion_graph,
        title=_("Diffusion graph of %(programme)s") % {"programme": programme.name},
    )
    context = {
        "programme": programme,
        "picture": picture,
        "reach": graph.reach_of(diffusion_graph),
        "peers_shown": sum(1 for _n, d in diffusion_graph.nodes(data=True) if d["kind"] == "peer"),
    }
    return render(request, "diffusion/graph.html", context)
