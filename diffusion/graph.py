"""The diffusion graph (Figure 12 of the report): who shared with whom, layered by depth.

Built with networkx from report-backs, their recipients and chapters, and drawn as an inline SVG
on the server: column 0 holds the peers, column *n* the people reached *n* steps away.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Chapter, Recipient, ReportBack

COLUMN_WIDTH = 190
ROW_HEIGHT = 22
MARGIN = 24
MAX_PER_COLUMN = 80
COLOURS = {"peer": "#0b5cad", "recipient": "#1e6b34", "audience": "#4a5360", "chapter": "#8a4b00"}


def build_graph(report_backs: Iterable[ReportBack], chapters: Iterable[Chapter] = ()) -> Any:
    """A directed graph: peer → attendee → onward recipient...; unnamed audiences and chapters
    hang off the peer as one node each, weighted by the number of people they stand for."""
    graph = nx.DiGraph()
    sessions = list(report_backs)
    recipients = Recipient.objects.filter(report_back__in=[r.pk for r in sessions]).order_by(
        "depth", "pk"
    )
    named: dict[int, int] = defaultdict(int)
    for report_back in sessions:
        peer = ("peer", report_back.peer_id)
        if peer not in graph:
            graph.add_node(
                peer, kind="peer", depth=0, people=1, label=report_back.peer.full_name or "—"
            )
    for recipient in recipients:
        node = ("recipient", recipient.pk)
        graph.add_node(
            node,
            kind="recipient",
            depth=recipient.depth,
            people=1,
            label="",
            answered=recipient.answered_at is not None,
        )
        if recipient.shared_by_id is None:
            named[recipient.report_back_id] += 1
    by_id = {r.pk: r for r in sessions}
    for recipient in recipients:
        node = ("recipient", recipient.pk)
        if recipient.shared_by_id is None:
            graph.add_edge(("peer", by_id[recipient.report_back_id].peer_id), node)
        elif ("recipient", recipient.shared_by_id) in graph:
            graph.add_edge(("recipient", recipient.shared_by_id), node)
    for report_back in sessions:
        rest = report_back.audience_size - named[report_back.pk]
        if rest > 0:
            node = ("audience", report_back.pk)
            graph.add_node(
                node,
                kind="audience",
                depth=1,
                people=rest,
                label=ngettext("+%(count)d present", "+%(count)d present", rest) % {"count": rest},
            )
            graph.add_edge(("peer", report_back.peer_id), node)
    for chapter in chapters:
        founder = ("peer", chapter.founded_by_id)
        if founder not in graph:
            graph.add_node(
                founder,
                kind="peer",
                depth=0,
                people=1,
                label=chapter.founded_by.full_name or "—",
            )
        # chapters_for annotates member_count; count only when it is missing
        annotated = getattr(chapter, "member_count", None)
        members = int(annotated) if annotated is not None else chapter.members.count()
        node = ("chapter", chapter.pk)
        graph.add_node(
            node,
            kind="chapter",
            depth=1,
            people=members,
            label=_("%(name)s (%(count)d members)") % {"name": chapter.name, "count": members},
        )
        graph.add_edge(founder, node)
    return graph


@dataclass
class Picture:
    svg: str
    width: int
    height: int
    hidden: dict[int, int]  # depth -> nodes not drawn because the column was full


def layers(graph: Any) -> dict[int, list[Any]]:
    """Nodes per depth, each column ordered by the position of the node it came from."""
    columns: dict[int, list[Any]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        columns[data["depth"]].append(node)
    position: dict[Any, float] = {}
    for depth in sorted(columns):
        if depth == 0:
            columns[depth].sort(key=lambda n: (graph.nodes[n]["label"], str(n)))
        else:

            def parent_position(node: Any) -> tuple[float, str]:
                parents = list(graph.predecessors(node))
                return (min((position.get(p, 0.0) for p in parents), default=0.0), str(node))

            columns[depth].sort(key=parent_position)
        for index, node in enumerate(columns[depth]):
            position[node] = float(index)
    return dict(columns)


def draw(graph: Any, *, title: str) -> Picture:
    """An SVG picture of the graph, one column per depth."""
    columns = layers(graph)
    hidden = {
        d: len(nodes) - MAX_PER_COLUMN
        for d, nodes in columns.items()
        if len(nodes) > MAX_PER_COLUMN
    }
    columns = {d: nodes[:MAX_PER_COLUMN] for d, nodes in columns.items()}
    tallest = max((len(nodes) for nodes in columns.values()), default=0)
    depth_count = max(columns, default=0) + 1
    width = MARGIN * 2 + COLUMN_WIDTH * depth_count
    height = MARGIN * 3 + ROW_HEIGHT * max(tallest, 1)
    xy: dict[Any, tuple[int, int]] = {}
    for depth, nodes in columns.items():
        offset = (tallest - len(nodes)) * ROW_HEIGHT // 2
        for index, node in enumerate(nodes):
            xy[node] = (
                MARGIN + depth * COLUMN_WIDTH + 8,
                MARGIN * 2 + offset + index * ROW_HEIGHT + ROW_HEIGHT // 2,
            )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="diffusion-graph-title" '
        f'class="diffusion-graph">',
        f'<title id="diffusion-graph-title">{escape(title)}</title>',
    ]
    for depth in range(depth_count):
        heading = _("Peers") if depth == 0 else _("Depth %(depth)d") % {"depth": depth}
        x = MARGIN + depth * COLUMN_WIDTH
        parts.append(
            f'<text x="{x}" y="{MARGIN}" font-size="13" font-weight="700" '
            f'fill="#1b1f24">{escape(heading)}</text>'
        )
    for source, target in graph.edges():
        if source in xy and target in xy:
            (x1, y1), (x2, y2) = xy[source], xy[target]
            parts.append(
                f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#9aa5b4" stroke-width="1"/>'
            )
    for node, (x, y) in xy.items():
        data = graph.nodes[node]
        colour = COLOURS[data["kind"]]
        radius = 7 if data["kind"] == "peer" else 5
        fill = colour if data["kind"] != "recipient" or data.get("answered") else "#ffffff"
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="{radius}" fill="{fill}" stroke="{colour}" '
            f'stroke-width="2" data-kind="{data["kind"]}" data-depth="{data["depth"]}"/>'
        )
        if data["label"]:
            label = str(data["label"])
            if len(label) > 24:
                label = label[:23] + "…"
            parts.append(
                f'<text x="{x + 11}" y="{y + 4}" font-size="12" fill="#1b1f24">'
                f"{escape(label)}</text>"
            )
    for depth, count in hidden.items():
        x = MARGIN + depth * COLUMN_WIDTH
        more = _("and %(count)d more") % {"count": count}
        parts.append(
            f'<text x="{x}" y="{height - MARGIN // 2}" font-size="12" fill="#4a5360">'
            f"{escape(more)}</text>"
        )
    parts.append("</svg>")
    return Picture(svg="".join(parts), width=width, height=height, hidden=hidden)


def reach_of(graph: Any) -> dict[int, int]:
    """People per depth in a graph (beyond the peers themselves)."""
    reach: dict[int, int] = defaultdict(int)
    for _node, data in graph.nodes(data=True):
        if data["depth"] > 0:
            reach[data["depth"]] += data["people"]
    return dict(sorted(reach.items()))
