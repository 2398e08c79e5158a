"""The diffusion overview of a programme and its diffusion graph."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from peerlearn.http import AuthenticatedHttpRequest
from peerlearn.roles import Role, roles_in
from programmes.selectors import get_programme_for

from .. import graph, selectors
from ..flags import flags_for
from .common import require


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
        "plans": selectors.plans_for(user, programme),
        "report_backs": selectors.report_backs_for(user, programme)[:50],
        "chapters": chapters,
        "pilots": selectors.pilots_for(user, programme),
        "stories": selectors.stories_for(user, programme),
        "reach": figures.reach_by_depth,
        "peer_count": figures.peers,
        "diffusing_count": figures.peers_diffusing,
        "flags": flags_for(programme) if staff else [],
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
