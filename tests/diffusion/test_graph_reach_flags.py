"""The diffusion graph, reach by depth and the stage-4 risk flags."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse

from diffusion import graph
from diffusion.flags import flags_for
from diffusion.models import ChapterMember
from diffusion.selectors import diffusion_reach, peers_diffusing
from tests.conftest import World
from tests.diffusion.factories import ChapterFactory, RecipientFactory, ReportBackFactory


def _three_levels(world: World) -> None:
    session = ReportBackFactory(
        programme=world.programme,
        peer=world.peer,
        organisation=world.organisation,
        audience_size=10,
    )
    first = [RecipientFactory(report_back=session, email=f"a{n}@x.org") for n in range(2)]
    second = RecipientFactory(report_back=session, email="b@x.org", shared_by=first[0], depth=2)
    RecipientFactory(report_back=session, email="c@x.org", shared_by=second, depth=3)
    other = ReportBackFactory(
        programme=world.programme, peer=world.peer_same_cohort, audience_size=3
    )
    # the same person attending two sessions counts once at depth 1
    RecipientFactory(report_back=other, email="A0@x.org")


def test_reach_by_depth_counts_named_and_unnamed_people_once(world: World) -> None:
    _three_levels(world)
    chapter = ChapterFactory(programme=world.programme, founded_by=world.peer_other_cohort)
    ChapterMember.objects.create(
        chapter=chapter, full_name="M", email="m@x.org", joined_on=datetime.date(2026, 6, 1)
    )
    # depth 1: a0, a1, m (named, distinct) + (10 - 2) + (3 - 1) unnamed present
    assert diffusion_reach(world.programme) == {1: 3 + 8 + 2, 2: 1, 3: 1}
    assert peers_diffusing(world.programme) == {world.peer.pk, world.peer_same_cohort.pk}
    assert diffusion_reach(world.other_programme) == {}


def test_the_graph_is_layered_by_depth_and_drawn_as_svg(world: World) -> None:
    _three_levels(world)
    sessions = world.programme.report_backs.select_related("peer")
    built = graph.build_graph(sessions)
    assert graph.reach_of(built) == {1: 3 + 8 + 2, 2: 1, 3: 1}
    columns = graph.layers(built)
    assert sorted(columns) == [0, 1, 2, 3]
    assert len(columns[0]) == 2  # two peers
    picture = graph.draw(built, title="Diffusion <graph>")
    assert picture.svg.startswith("<svg") and picture.svg.endswith("</svg>")
    assert "Diffusion &lt;graph&gt;" in picture.svg
    assert picture.svg.count('data-depth="3"') == 1
    assert picture.svg.count("<line") == built.number_of_edges()
    assert "x.org" not in picture.svg  # attendees are not named in the picture


def test_graph_page_for_a_peer_and_for_a_sponsor(world: World, client: Client) -> None:
    _three_levels(world)
    client.force_login(world.peer)
    page = client.get(reverse("diffusion:graph", args=[world.programme.pk])).content.decode()
    assert page.count('data-kind="peer"') == 2 and "<svg" in page
    client.force_login(world.sponsor)
    page = client.get(reverse("diffusion:graph", args=[world.programme.pk])).content.decode()
    # the sponsor sees only their organisation's peer's sessions
    assert page.count('data-kind="peer"') == 1


def test_flags_diffusion_stopping_at_the_peer_and_missing_report_backs(world: World) -> None:
    programme = world.programme
    programme.starts_on = datetime.date(2026, 1, 5)
    programme.ends_on = datetime.date(2026, 3, 1)
    programme.save()
    early = flags_for(programme, today=datetime.date(2026, 2, 1))
    assert early == []
    ReportBackFactory(programme=programme, peer=world.peer)
    ChapterFactory(programme=programme, founded_by=world.peer_same_cohort)
    late = flags_for(programme, today=datetime.date(2026, 6, 1))
    stopping = {f.subject for f in late if f.code == "diffusion-stops-at-peer"}
    assert stopping == {
        world.peer_other_cohort.full_name,
        world.peer_other_organisation.full_name,
    }
    missing = [f for f in late if f.code == "no-report-back"]
    assert len(missing) == 1 and missing[0].message.startswith("3 peers")
    assert {f.stage for f in late} == {4}
    assert any(f.code == "diffusion-not-past-attendees" for f in late)
    assert not [
        f
        for f in flags_for(programme, today=datetime.date(2026, 4, 1))
        if f.code == "no-report-back"
    ]
