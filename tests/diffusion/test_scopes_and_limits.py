"""Cohort scoping of impact stories, sponsor-scoped reach in the API, limits on the email sent
on the word of anonymous attendee links, and list queries that do not grow with the rows."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from diffusion import emails, graph, services
from diffusion.models import ImpactStory, Recipient
from diffusion.selectors import chapters_for, stories_for
from programmes.models import Membership
from tests.conftest import World
from tests.diffusion.factories import (
    ChapterFactory,
    ImpactStoryFactory,
    PilotFactory,
    ReportBackFactory,
    recipient_with_token,
)

# ---------------------------------------------------------------------------------------------
# Impact stories: a peer sees and links only their own cohort


def _checkbox_values(html: str, name: str) -> set[int]:
    return {int(v) for v in re.findall(rf'name="{name}" value="(\d+)"', html)}


def test_the_story_form_offers_a_peer_only_their_own_cohort(world: World, client: Client) -> None:
    own_pilot = PilotFactory(programme=world.programme, lead=world.peer_same_cohort)
    other_pilot = PilotFactory(programme=world.programme, lead=world.peer_other_cohort)
    url = reverse("diffusion:story_create", args=[world.programme.pk])

    client.force_login(world.peer)
    html = client.get(url).content.decode()
    assert _checkbox_values(html, "peers") == {world.peer.pk, world.peer_same_cohort.pk}
    assert _checkbox_values(html, "pilots") == {own_pilot.pk}

    client.force_login(world.facilitator)
    html = client.get(url).content.decode()
    assert {world.peer_other_cohort.pk, world.peer_other_organisation.pk} <= _checkbox_values(
        html, "peers"
    )
    assert _checkbox_values(html, "pilots") == {own_pilot.pk, other_pilot.pk}


def test_a_peer_cannot_post_another_cohorts_peer_or_pilot(world: World, client: Client) -> None:
    other_pilot = PilotFactory(programme=world.programme, lead=world.peer_other_cohort)
    client.force_login(world.peer)
    data = {
        "title": "Regulation amended",
        "kind": "law",
        "description": "Article 12 now requires it.",
        "happened_on": "2026-09-01",
        "evidence": "Official gazette 2026/41",
        "peers": [world.peer_other_cohort.pk],
        "pilots": [other_pilot.pk],
    }
    response = client.post(reverse("diffusion:story_create", args=[world.programme.pk]), data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ImpactStory.objects.exists()


def test_recording_a_story_refuses_peers_and_pilots_outside_the_recorders_cohort(
    world: World,
) -> None:
    other_pilot = PilotFactory(programme=world.programme, lead=world.peer_other_cohort)
    story = {
        "programme": world.programme,
        "title": "Regulation amended",
        "kind": "law",
        "description": "Article 12 now requires it.",
        "happened_on": datetime.date(2026, 9, 1),
        "evidence": "Official gazette 2026/41",
    }
    with pytest.raises(services.DiffusionError, match="peers of your own cohort"):
        services.record_story(recorded_by=world.peer, peers=[world.peer_other_cohort], **story)
    with pytest.raises(services.DiffusionError, match="pilots of your own cohort"):
        services.record_story(recorded_by=world.peer, pilots=[other_pilot], **story)
    assert not ImpactStory.objects.exists()
    # the facilitator links anyone of the programme
    recorded = services.record_story(
        recorded_by=world.facilitator,
        peers=[world.peer_other_cohort],
        pilots=[other_pilot],
        **story,
    )
    assert list(recorded.peers.all()) == [world.peer_other_cohort]
    # a peer links their own cohort
    mine = services.record_story(recorded_by=world.peer, peers=[world.peer_same_cohort], **story)
    assert list(mine.peers.all()) == [world.peer_same_cohort]


def test_pages_list_and_show_a_peer_only_their_own_cohorts_stories(
    world: World, client: Client
) -> None:
    ImpactStoryFactory(programme=world.programme, recorded_by=world.peer_same_cohort, title="Ours")
    theirs = ImpactStoryFactory(
        programme=world.programme, recorded_by=world.peer_other_cohort, title="Theirs"
    )
    involving = ImpactStoryFactory(
        programme=world.programme, recorded_by=world.facilitator, title="About a mate"
    )
    involving.peers.set([world.peer_same_cohort])

    assert {s.title for s in stories_for(world.peer, world.programme)} == {"Ours", "About a mate"}
    assert {s.title for s in stories_for(world.peer_other_cohort, world.programme)} == {"Theirs"}
    assert {s.title for s in stories_for(world.facilitator, world.programme)} == {
        "Ours",
        "Theirs",
        "About a mate",
    }

    client.force_login(world.peer)
    overview = client.get(reverse("diffusion:overview", args=[world.programme.pk]))
    assert overview.status_code == 200
    assert "Ours" in overview.content.decode() and "Theirs" not in overview.content.decode()
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(involving.get_absolute_url()).status_code == 200
    assert client.get(reverse("diffusion-story-detail", args=[theirs.pk])).status_code == 404
    listed = client.get(reverse("diffusion-story-list")).json()["results"]
    assert {row["title"] for row in listed} == {"Ours", "About a mate"}


# ---------------------------------------------------------------------------------------------
# Reach in the API: a sponsor gets their own organisation's figures, as on the overview page


def test_the_reach_endpoint_gives_a_sponsor_their_organisations_figures_only(
    world: World, client: Client
) -> None:
    ReportBackFactory(
        programme=world.programme,
        peer=world.peer,
        organisation=world.organisation,
        audience_size=4,
    )
    ReportBackFactory(
        programme=world.programme,
        peer=world.peer_other_organisation,
        organisation=world.other_organisation,
        audience_size=10,
    )
    url = reverse("diffusion-reach-detail", args=[world.programme.pk])

    client.force_login(world.sponsor)
    figures = client.get(url).json()
    own_peers = Membership.objects.filter(
        programme=world.programme, role="peer", organisation=world.organisation
    ).count()
    assert figures["people_reached"] == 4
    assert figures["peers_diffusing"] == 1
    assert figures["peers"] == own_peers
    page = client.get(reverse("diffusion:overview", args=[world.programme.pk]))
    assert page.context["peer_count"] == figures["peers"]
    assert page.context["diffusing_count"] == figures["peers_diffusing"]
    assert sum(page.context["reach"].values()) == figures["people_reached"]

    client.force_login(world.facilitator)
    figures = client.get(url).json()
    assert figures["people_reached"] == 14
    assert figures["peers_diffusing"] == 2
    assert (
        figures["peers"]
        == Membership.objects.filter(programme=world.programme, role="peer").count()
    )


# ---------------------------------------------------------------------------------------------
# Email sent on the word of an anonymous attendee link is limited


def _answer(client: Client, token: str, names: list[str], capture: object) -> tuple[int, str]:
    with capture(execute=True):  # type: ignore[operator]
        response = client.post(
            reverse("diffusion:feedback", args=[token]),
            {"will_use": "The checklist", "share_with": ", ".join(names)},
        )
    return response.status_code, response.content.decode()


@override_settings(
    DIFFUSION_MAX_RECIPIENTS_PER_REPORT_BACK=3, DIFFUSION_MAX_ONWARD_EMAILS_PER_LINK_PER_DAY=10
)
def test_onward_email_stops_at_the_report_back_limit_but_names_are_recorded(
    world: World, client: Client, django_capture_on_commit_callbacks: object
) -> None:
    report_back = ReportBackFactory(programme=world.programme, peer=world.peer)
    ama, ama_token = recipient_with_token(report_back=report_back, email="ama@home.example.org")
    _kofi, kofi_token = recipient_with_token(report_back=report_back, email="kofi@home.example.org")
    names = [f"person{n}@anywhere.example.com" for n in range(5)]

    status, html = _answer(client, ama_token, names, django_capture_on_commit_callbacks)
    assert status == 200
    assert len(mail.outbox) == 3
    onward = Recipient.objects.filter(shared_by=ama)
    assert onward.count() == 5  # everyone named is in the graph
    assert onward.filter(email_withheld=True).count() == 2
    assert {m.to[0] for m in mail.outbox} == set(
        onward.filter(email_withheld=False).values_list("email", flat=True)
    )
    assert "3 people you named will receive" in html
    assert "2 other people you named are recorded, but no email was sent" in html

    # the graph is full: a second attendee's names are recorded, nobody is emailed
    mail.outbox.clear()
    status, html = _answer(
        client, kofi_token, ["esi@home.example.org"], django_capture_on_commit_callbacks
    )
    assert status == 200 and mail.outbox == []
    assert Recipient.objects.get(email="esi@home.example.org").email_withheld
    assert "no email was sent" in html
    # a withheld person is never emailed, even if the task is run for them
    withheld = Recipient.objects.filter(email_withheld=True).first()
    assert withheld is not None
    assert emails.send_feedback_link(recipient_id=withheld.pk) is False
    assert mail.outbox == []


@override_settings(
    DIFFUSION_MAX_RECIPIENTS_PER_REPORT_BACK=200, DIFFUSION_MAX_ONWARD_EMAILS_PER_LINK_PER_DAY=2
)
def test_onward_email_stops_at_the_daily_limit_of_one_link(
    world: World, client: Client, django_capture_on_commit_callbacks: object
) -> None:
    report_back = ReportBackFactory(programme=world.programme, peer=world.peer)
    ama, token = recipient_with_token(report_back=report_back)
    names = [f"person{n}@anywhere.example.com" for n in range(6)]
    status, _html = _answer(client, token, names, django_capture_on_commit_callbacks)
    assert status == 200
    assert len(mail.outbox) == 2
    assert Recipient.objects.filter(shared_by=ama).count() == 6
    assert Recipient.objects.filter(shared_by=ama, email_withheld=True).count() == 4


def test_the_default_limit_bounds_the_email_of_a_whole_report_back(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    """Without settings, a chain of answers cannot make the platform email more than 200
    people named onward for one report-back."""
    report_back = ReportBackFactory(programme=world.programme, peer=world.peer)
    answering = [
        recipient_with_token(report_back=report_back, email=f"attendee{n}@home.example.org")[0]
        for n in range(25)
    ]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        for n, recipient in enumerate(answering):
            services.submit_feedback(
                recipient=recipient,
                will_use="",
                share_with=[f"p{n}-{k}@anywhere.example.com" for k in range(25)],
            )
    onward = Recipient.objects.filter(report_back=report_back, shared_by__isnull=False)
    assert onward.count() == 25 * 25
    assert onward.filter(email_withheld=False).count() == services.max_recipients_per_report_back()
    assert len(mail.outbox) == 200


def test_naming_someone_already_in_the_graph_does_not_email_them_again(
    world: World, client: Client, django_capture_on_commit_callbacks: object
) -> None:
    report_back = ReportBackFactory(programme=world.programme, peer=world.peer)
    _ama, token = recipient_with_token(report_back=report_back)
    # an attendee whose link expired unanswered
    kofi, _kofi_token = recipient_with_token(
        report_back=report_back,
        email="kofi@home.example.org",
        link_expires_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    status, _html = _answer(
        client, token, ["kofi@home.example.org"], django_capture_on_commit_callbacks
    )
    assert status == 200
    assert mail.outbox == []
    kofi.refresh_from_db()
    assert kofi.token_hash and kofi.link_expires_at is not None
    assert report_back.recipients.filter(email="kofi@home.example.org").count() == 1


# ---------------------------------------------------------------------------------------------
# Queries do not grow with the number of rows


def _report_back_list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("diffusion-report-back-list"))
    assert response.status_code == 200
    return len(queries)


def test_the_report_back_list_counts_people_named_without_a_query_per_row(
    world: World, client: Client
) -> None:
    client.force_login(world.facilitator)
    first = ReportBackFactory(programme=world.programme, peer=world.peer)
    recipient_with_token(report_back=first)
    recipient_with_token(report_back=first)
    few = _report_back_list_queries(client)
    for _n in range(4):
        recipient_with_token(
            report_back=ReportBackFactory(programme=world.programme, peer=world.peer)
        )
    assert _report_back_list_queries(client) == few
    rows = {
        row["id"]: row["people_named"]
        for row in client.get(reverse("diffusion-report-back-list")).json()["results"]
    }
    assert rows[first.pk] == 2 and sorted(rows.values()) == [1, 1, 1, 1, 2]
    detail = client.get(reverse("diffusion-report-back-detail", args=[first.pk])).json()
    assert detail["people_named"] == 2


def test_the_graph_counts_chapter_members_without_a_query_per_chapter(world: World) -> None:
    def graph_queries() -> tuple[int, object]:
        chapters = list(chapters_for(world.facilitator, world.programme))
        with CaptureQueriesContext(connection) as queries:
            built = graph.build_graph([], chapters)
        return len(queries), built

    chapter = ChapterFactory(programme=world.programme, founded_by=world.peer)
    for n in range(3):
        services.add_chapter_member(
            chapter=chapter,
            full_name=f"Member {n}",
            email=f"m{n}@home.example.org",
            organisation="Treasury",
            joined_on=datetime.date(2026, 6, 2),
        )
    few, _built = graph_queries()
    for _n in range(4):
        ChapterFactory(programme=world.programme, founded_by=world.peer_same_cohort)
    many, built = graph_queries()
    assert many == few == 0
    assert built.nodes[("chapter", chapter.pk)]["people"] == 3  # type: ignore[attr-defined]
