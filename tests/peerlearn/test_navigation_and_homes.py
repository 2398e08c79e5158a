"""Navigation by stage of the hourglass, each role's programme home with its next steps, and risk
flags that are fresh after the data they read changes."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from evaluation.models import Wave
from peerlearn import freshness
from peerlearn.home import DONE, OPEN, next_steps_for
from peerlearn.navigation import STAGES, stages_for
from programmes.models import LearningObjective
from tests.conftest import World
from tests.evaluation.factories import WaveFactory, answer_wave, wenger_answers
from tests.group_life.factories import published_groups
from tests.matching.factories import add_peers

pytestmark = pytest.mark.django_db


def test_sections_are_grouped_by_stage_in_the_order_of_the_hourglass(world: World) -> None:
    nav = stages_for(world.facilitator, world.programme)
    codes = [stage["code"] for stage in nav["stages"]]
    assert codes == [code for code in STAGES if code in codes]
    assert codes[:3] == ["setup", "people", "matching"]
    labels = {s["label"] for stage in nav["stages"] for s in stage["sections"]}
    assert {"Foundations", "Overview", "Matching", "Evaluation dashboard"} <= labels
    # A peer sees their own pages only: no overview, no dashboard.
    peer = stages_for(world.peer, world.programme)
    peer_labels = {s["label"] for stage in peer["stages"] for s in stage["sections"]}
    assert "My learning objectives" in peer_labels
    assert not {"Overview", "Evaluation dashboard", "Nominations"} & peer_labels


def test_the_current_stage_is_found_by_address_and_by_page_name(world: World) -> None:
    pk = world.programme.pk
    dashboard = reverse("evaluation:dashboard", args=[pk])
    nav = stages_for(world.facilitator, world.programme, path=dashboard)
    assert nav["current_stage"]["code"] == "evaluation"
    marked = [s for s in nav["current_stage"]["sections"] if s["current"]]
    assert [(s["key"], s["current"]) for s in marked] == [("evaluation-dashboard", "page")]
    # A page under a section's address belongs to it ("true", not "page").
    report = reverse("evaluation:report", args=[pk])
    nav = stages_for(world.facilitator, world.programme, path=report)
    assert nav["current_stage"]["code"] == "evaluation"
    # A page outside every section's address belongs to the section that names it.
    theory = reverse("programmes:theory", args=[pk])
    nav = stages_for(world.facilitator, world.programme, path=theory, view_name="programmes:theory")
    assert nav["current_stage"]["code"] == "setup"
    assert [s["current"] for s in nav["current_stage"]["sections"] if s["key"] == "setup"] == [
        "true"
    ]
    home = stages_for(world.facilitator, world.programme, path=world.programme.get_absolute_url())
    assert home["at_home"] and home["current_stage"] is None


def test_every_programme_page_shows_the_stage_navigation(world: World, client: Client) -> None:
    client.force_login(world.facilitator)
    pk = world.programme.pk
    for url, stage in (
        (reverse("programmes:theory", args=[pk]), "Set-up"),
        (reverse("matching:overview", args=[pk]), "Matching"),
        (reverse("evaluation:home", args=[pk]), "Evaluation"),
        (reverse("diffusion:overview", args=[pk]), "Diffusion"),
    ):
        html = client.get(url).content.decode()
        assert 'class="programme-bar"' in html, url
        current = re.search(r'<li class="stage"><a href="[^"]+" aria-current="true">([^<]+)<', html)
        assert current is not None and current.group(1) == stage, url
    # Outside a programme, and for someone outside it, there is none.
    assert 'class="programme-bar"' not in client.get("/").content.decode()


def _titles(steps: list) -> list[str]:
    return [step.title for step in steps]


def test_a_peer_is_led_to_the_intake_then_to_the_group_then_to_surveys(world: World) -> None:
    add_peers(world.cohort, 0)  # the cohort's intake survey exists
    steps = next_steps_for(world.peer, world.programme)
    todo = [step for step in steps if step.status == OPEN]
    assert todo[0].title == "Fill in your intake survey"
    assert todo[0].url == reverse("matching:intake", args=[world.programme.pk])

    groups = published_groups(world)
    wave = WaveFactory(programme=world.programme, title="End of the event")
    steps = next_steps_for(world.peer, world.programme)
    titles = _titles([step for step in steps if step.status == OPEN])
    group_step = f"Your group: {groups.mine.label}"
    assert titles.index("Fill in your intake survey") < titles.index(group_step)
    assert titles.index(group_step) < titles.index("Answer the survey: End of the event")
    assert titles.index("Answer the survey: End of the event") < titles.index(
        "Write a first reflection"
    )
    answer_wave(wave, world.peer, wenger_answers(4))
    steps = next_steps_for(world.peer, world.programme)
    answered = [step for step in steps if step.title == "Survey answered: End of the event"]
    assert answered and answered[0].status == DONE


def test_a_facilitators_home_shows_set_up_gaps_and_flags_by_stage(
    world: World, client: Client
) -> None:
    client.force_login(world.facilitator)
    html = client.get(world.programme.get_absolute_url()).content.decode()
    assert "Next steps by stage" in html
    assert "Write the theory of change" in html
    assert "Set the learning objectives" in html
    assert reverse("programmes:theory", args=[world.programme.pk]) in html
    assert "Risk flags by stage" in html
    assert "Foundational engagement" in html
    LearningObjective.objects.create(programme=world.programme, text="Cut arrears")
    html = client.get(world.programme.get_absolute_url()).content.decode()
    assert "Set the learning objectives" not in html and "1 learning objective" in html


def test_flags_are_grouped_with_a_count_instead_of_listed_one_by_one(
    world: World, client: Client
) -> None:
    from peerlearn.flags import RiskFlag, Stage, grouped

    flags = [
        RiskFlag(Stage.DIFFUSION, "silent", "Has shared with no one.", subject=f"Peer {n}")
        for n in range(48)
    ] + [RiskFlag(Stage.FOUNDATION, "no-theory", "No theory of change.", url="/x/")]
    stages = grouped(flags)
    assert [(s["stage"], s["count"]) for s in stages] == [(1, 1), (4, 48)]
    assert stages[1]["groups"][0]["count"] == 48 and stages[0]["groups"][0]["url"] == "/x/"


def test_a_managers_home_summarises_the_dashboard(world: World, client: Client) -> None:
    wave = WaveFactory(programme=world.programme, title="Baseline")
    answer_wave(wave, world.peer, wenger_answers(4))
    client.force_login(world.manager)
    html = client.get(world.programme.get_absolute_url()).content.decode()
    assert "Evaluation dashboard" in html
    assert reverse("evaluation:dashboard", args=[world.programme.pk]) in html
    assert "Latest survey: Baseline" in html and "1 of 4 answered" in html


def test_a_sponsors_home_lists_their_organisations_peers_only(world: World, client: Client) -> None:
    client.force_login(world.sponsor)
    html = client.get(world.programme.get_absolute_url()).content.decode()
    assert "Peers of your organisation" in html
    assert world.peer.full_name in html and world.peer_other_cohort.full_name in html
    assert world.peer_same_cohort.full_name not in html  # another organisation's peer
    assert reverse("diffusion:sponsor_report", args=[world.programme.pk]) in html
    assert reverse("programmes:nominations", args=[world.programme.pk]) in html


def test_the_programmes_list_shows_each_programmes_next_step(world: World, client: Client) -> None:
    add_peers(world.cohort, 0)
    client.force_login(world.peer)
    html = client.get("/").content.decode()
    assert "Next: Fill in your intake survey" in html
    assert reverse("matching:intake", args=[world.programme.pk]) in html


@pytest.mark.django_db(transaction=True)
def test_flags_are_fresh_on_the_next_page_load_after_answers_arrive(
    world: World, client: Client
) -> None:
    client.force_login(world.manager)
    url = reverse("evaluation:dashboard", args=[world.programme.pk])
    message = "No evaluation survey is scheduled for this programme."
    assert message in client.get(url).content.decode()
    wave = WaveFactory(programme=world.programme)
    for peer in (world.peer, world.peer_same_cohort):
        answer_wave(wave, peer, wenger_answers(4))
    assert message not in client.get(url).content.decode()
    assert message not in client.get(world.programme.get_absolute_url()).content.decode()


@pytest.mark.django_db(transaction=True)
def test_any_write_to_a_flagged_apps_table_gives_a_new_version(world: World) -> None:
    """Bulk updates send no signal; the version changes all the same."""
    wave = WaveFactory(programme=world.programme, status=Wave.Status.OPEN)
    before = freshness.version()
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)
    after = freshness.version()
    assert after != before
    # Reading changes nothing; nor does a write to a table no flag reads.
    list(Wave.objects.all())
    from evaluation.models import AccessRecord

    AccessRecord.objects.create(programme=world.programme, user=world.manager, action="view")
    assert freshness.version() == after


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_keeps_the_version(world: World) -> None:
    from django.db import transaction

    before = freshness.version()
    with pytest.raises(RuntimeError), transaction.atomic():
        WaveFactory(programme=world.programme)
        raise RuntimeError
    assert freshness.version() == before
