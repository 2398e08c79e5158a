"""The peer's pages: logging a report-back (with materials), plans, chapters, pilots, stories."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from diffusion.models import (
    Chapter,
    ChapterMember,
    DiffusionPlan,
    ImpactStory,
    Pilot,
    PilotUpdate,
    ReportBack,
)
from tests.conftest import World
from tests.diffusion.factories import ChapterFactory, PilotFactory

pytestmark = pytest.mark.django_db(transaction=False)


def _form(**extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Treasury single account",
        "held_on": "2026-05-04",
        "audience": "Cash team",
        "audience_size": "12",
        "level": "organisation",
        "lessons": "Sweep balances daily.",
        "lessons_visible_to_sponsor": "on",
        "attendee_emails": "ama@home.example.org\nkofi@home.example.org",
    }
    data.update(extra)
    return data


def test_a_peer_logs_a_report_back_with_materials(
    world: World, client: Client, django_capture_on_commit_callbacks: object
) -> None:
    client.force_login(world.peer)
    upload = SimpleUploadedFile("slides.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            reverse("diffusion:report_back_create", args=[world.programme.pk]),
            _form(materials=upload),
        )
    assert response.status_code == 302
    report_back = ReportBack.objects.get()
    assert report_back.materials.name.endswith(".pdf")
    assert report_back.recipients.count() == 2
    assert len(mail.outbox) == 2
    page = client.get(response["Location"]).content.decode()
    assert "ama@home.example.org" in page and "Sweep balances daily." in page
    download = client.get(reverse("diffusion:report_back_materials", args=[report_back.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7\n..."  # type: ignore[attr-defined]
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ...", "This type of file is not accepted"),
        ("slides.pdf", b"<html>not a pdf</html>", "does not match its name"),
        ("notes.txt", b"\xff\xfe\x00\x00binary" * 10, "not plain text"),
    ],
)
def test_bad_materials_are_refused_and_nothing_is_saved(
    world: World, client: Client, name: str, content: bytes, message: str
) -> None:
    client.force_login(world.peer)
    response = client.post(
        reverse("diffusion:report_back_create", args=[world.programme.pk]),
        _form(materials=SimpleUploadedFile(name, content)),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReportBack.objects.exists()
    assert not mail.outbox


def test_materials_over_10_mb_are_refused(world: World, client: Client) -> None:
    client.force_login(world.peer)
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024 + 1))
    response = client.post(
        reverse("diffusion:report_back_create", args=[world.programme.pk]), _form(materials=big)
    )
    assert response.status_code == 400
    assert "larger than 10 MB" in response.content.decode()
    assert not ReportBack.objects.exists()


def test_bad_report_back_input_is_named_in_plain_words(world: World, client: Client) -> None:
    client.force_login(world.peer)
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("diffusion:report_back_create", args=[world.programme.pk]),
        _form(held_on=future, audience_size="1", attendee_emails="a@x.org, b@x.org, nope"),
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "This date is in the future." in text
    assert "These are not email addresses: nope" in text
    assert not ReportBack.objects.exists()
    response = client.post(
        reverse("diffusion:report_back_create", args=[world.programme.pk]),
        _form(audience_size="1"),
    )
    assert "more attendees than the number of people present" in response.content.decode()
    assert not ReportBack.objects.exists()


def test_plan_is_proposed_then_confirmed_by_the_sponsor(world: World, client: Client) -> None:
    client.force_login(world.peer)
    client.post(
        reverse("diffusion:plan_edit", args=[world.programme.pk]),
        {"goal": "Share the forecasting template", "propose": "on"},
    )
    plan = DiffusionPlan.objects.get()
    assert plan.status == "proposed" and plan.organisation == world.organisation
    client.post(
        reverse("diffusion:plan_activity_add", args=[plan.pk]),
        {
            "audience": "Cash team",
            "planned_on": "2026-06-01",
            "format": "workshop",
            "level": "team",
        },
    )
    assert plan.activities.count() == 1
    client.force_login(world.sponsor)
    empty = client.post(reverse("diffusion:plan_confirm", args=[plan.pk]), {"time_and_means": ""})
    assert empty.status_code == 400
    plan.refresh_from_db()
    assert plan.status == "proposed"
    client.post(
        reverse("diffusion:plan_confirm", args=[plan.pk]),
        {"time_and_means": "Two hours a month and a room"},
    )
    plan.refresh_from_db()
    assert plan.status == "confirmed" and plan.confirmed_by == world.sponsor
    # a change by the peer sends it back to the sponsor
    client.force_login(world.peer)
    client.post(reverse("diffusion:plan_edit", args=[world.programme.pk]), {"goal": "A new goal"})
    plan.refresh_from_db()
    assert plan.status == "proposed" and plan.confirmed_at is None


def test_a_chapter_is_launched_and_its_members_count_in_reach(world: World, client: Client) -> None:
    from diffusion.selectors import diffusion_reach

    client.force_login(world.peer)
    response = client.post(
        reverse("diffusion:chapter_create", args=[world.programme.pk]),
        {"name": "Ghana budget community", "country": "gh", "launched_on": "2026-06-01"},
    )
    chapter = Chapter.objects.get()
    assert response["Location"] == chapter.get_absolute_url() and chapter.country == "GH"
    duplicate = client.post(
        reverse("diffusion:chapter_create", args=[world.programme.pk]),
        {"name": "ghana budget community", "country": "GH", "launched_on": "2026-06-01"},
    )
    assert duplicate.status_code == 400 and Chapter.objects.count() == 1
    for name, email in [("Abena", "abena@x.org"), ("Kojo", "")]:
        client.post(
            reverse("diffusion:chapter_member_add", args=[chapter.pk]),
            {"full_name": name, "email": email, "joined_on": "2026-06-02"},
        )
    again = client.post(
        reverse("diffusion:chapter_member_add", args=[chapter.pk]),
        {"full_name": "Abena", "email": "ABENA@x.org", "joined_on": "2026-06-02"},
    )
    assert again.status_code == 400 and "member already" in again.content.decode()
    client.post(
        reverse("diffusion:chapter_meeting_add", args=[chapter.pk]),
        {"held_on": "2026-06-10", "topic": "Launch", "attendance": "0"},
    )
    assert chapter.meetings.count() == 0
    assert ChapterMember.objects.count() == 2
    assert diffusion_reach(world.programme) == {1: 2}


def test_a_pilot_runs_100_days_with_chain_milestones_and_comments(
    world: World, client: Client
) -> None:
    client.force_login(world.peer)
    client.post(
        reverse("diffusion:pilot_create", args=[world.programme.pk]),
        {"title": "Weekly forecast", "goal": "Errors below 10%", "starts_on": "2026-06-01"},
    )
    pilot = Pilot.objects.get()
    assert (pilot.ends_on - pilot.starts_on).days == 100
    assert pilot.organisation == world.organisation
    client.post(
        reverse("diffusion:pilot_step_add", args=[pilot.pk]),
        {"kind": "output", "description": "Forecast every Monday"},
    )
    client.post(
        reverse("diffusion:pilot_milestone_add", args=[pilot.pk]),
        {"title": "First forecast", "due_on": "2026-06-08"},
    )
    client.post(
        reverse("diffusion:pilot_update_add", args=[pilot.pk]),
        {"text": "Started", "status": "on_track"},
    )
    pilot.refresh_from_db()
    assert pilot.status == "on_track" and pilot.steps.count() == 1
    # another peer comments but cannot move the status
    client.force_login(world.peer_same_cohort)
    client.post(
        reverse("diffusion:pilot_update_add", args=[pilot.pk]),
        {"text": "We tried this too", "status": "stopped"},
    )
    pilot.refresh_from_db()
    assert pilot.status == "on_track"
    assert PilotUpdate.objects.filter(author=world.peer_same_cohort, status="").count() == 1
    bad = client.post(
        reverse("diffusion:pilot_create", args=[world.programme.pk]),
        {"title": "X", "goal": "Y", "starts_on": "2026-06-01", "ends_on": "2026-05-01"},
    )
    assert (
        bad.status_code == 400 and "The end date is before the start date." in bad.content.decode()
    )
    assert Pilot.objects.count() == 1


def test_an_impact_story_links_peers_and_pilots_of_the_programme_only(
    world: World, client: Client
) -> None:
    pilot = PilotFactory(programme=world.programme, lead=world.peer)
    foreign = PilotFactory()
    client.force_login(world.facilitator)
    url = reverse("diffusion:story_create", args=[world.programme.pk])
    data = {
        "title": "Budget law amended",
        "kind": "law",
        "description": "Commitment controls are law now.",
        "happened_on": "2026-09-01",
        "evidence": "Gazette 41",
        "peers": [world.peer.pk],
        "pilots": [foreign.pk],
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and not ImpactStory.objects.exists()
    data["pilots"] = [pilot.pk]
    client.post(url, data)
    story = ImpactStory.objects.get()
    assert list(story.peers.all()) == [world.peer] and list(story.pilots.all()) == [pilot]


def test_a_peer_sees_only_their_own_report_backs_in_the_overview(
    world: World, client: Client
) -> None:
    from tests.diffusion.factories import ReportBackFactory

    ReportBackFactory(programme=world.programme, peer=world.peer, title="Mine")
    ReportBackFactory(programme=world.programme, peer=world.peer_same_cohort, title="Theirs")
    ChapterFactory(programme=world.programme, founded_by=world.peer_same_cohort)
    client.force_login(world.peer)
    page = client.get(reverse("diffusion:overview", args=[world.programme.pk])).content.decode()
    assert "Mine" in page and "Theirs" not in page
    client.force_login(world.facilitator)
    page = client.get(reverse("diffusion:overview", args=[world.programme.pk])).content.decode()
    assert "Mine" in page and "Theirs" in page


def test_pilot_comments_post_in_place_with_htmx(world: World, client: Client) -> None:
    pilot = PilotFactory(programme=world.programme, lead=world.peer)
    client.force_login(world.facilitator)
    url = reverse("diffusion:pilot_update_add", args=[pilot.pk])
    response = client.post(
        url, {"text": "Keep going", "status": "at_risk"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="pilot-updates"')
    assert "Keep going" in html and 'aria-live="polite"' in html
    pilot.refresh_from_db()
    assert pilot.status == "at_risk"
    empty = client.post(url, {"text": ""}, headers={"HX-Request": "true"})
    assert "This field is required" in empty.content.decode()
    assert pilot.updates.count() == 1


def test_a_sponsor_sees_their_organisation_only_on_the_overview(
    world: World, client: Client
) -> None:
    from tests.diffusion.factories import ReportBackFactory

    ReportBackFactory(
        programme=world.programme, peer=world.peer, organisation=world.organisation, title="Ours"
    )
    ReportBackFactory(
        programme=world.programme,
        peer=world.peer_other_organisation,
        organisation=world.other_organisation,
        title="Not ours",
        audience_size=40,
    )
    ChapterFactory(
        programme=world.programme,
        founded_by=world.peer_other_organisation,
        organisation=world.other_organisation,
        name="Kenya chapter",
    )
    client.force_login(world.sponsor)
    page = client.get(reverse("diffusion:overview", args=[world.programme.pk])).content.decode()
    assert "Ours" in page and "Not ours" not in page and "Kenya chapter" not in page
    # 1 of the 2 peers of the sponsor's organisation has reported back; 10 people reached
    assert "1 / 2" in page
    assert "<td>40</td>" not in page and "<td>50</td>" not in page


def test_a_peer_sees_pilots_chapters_and_graph_of_their_own_cohort_only(
    world: World, client: Client
) -> None:
    from tests.diffusion.factories import ReportBackFactory

    PilotFactory(programme=world.programme, lead=world.peer_same_cohort, title="Cohort pilot")
    PilotFactory(programme=world.programme, lead=world.peer_other_cohort, title="Far pilot")
    ChapterFactory(programme=world.programme, founded_by=world.peer_other_cohort, name="Far ch")
    ReportBackFactory(programme=world.programme, peer=world.peer_other_cohort)
    ReportBackFactory(programme=world.programme, peer=world.peer_same_cohort)
    client.force_login(world.peer)
    page = client.get(reverse("diffusion:overview", args=[world.programme.pk])).content.decode()
    assert "Cohort pilot" in page and "Far pilot" not in page and "Far ch" not in page
    graph_page = client.get(reverse("diffusion:graph", args=[world.programme.pk])).content.decode()
    assert world.peer_same_cohort.full_name in graph_page
    assert world.peer_other_cohort.full_name not in graph_page
    api = client.get(reverse("diffusion-pilot-list")).json()
    assert [row["title"] for row in api["results"]] == ["Cohort pilot"]


def test_the_sponsor_is_asked_once_to_confirm_a_proposed_plan(
    world: World, client: Client, django_capture_on_commit_callbacks: object
) -> None:
    from diffusion import services

    client.force_login(world.peer)
    url = reverse("diffusion:plan_edit", args=[world.programme.pk])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(url, {"goal": "Draft only"})
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(url, {"goal": "Share the template", "propose": "on"})
    plan = DiffusionPlan.objects.get()
    assert [m.to for m in mail.outbox] == [[world.sponsor.email]]
    assert plan.get_absolute_url() in mail.outbox[0].body
    # saving again without a new proposal, or running the task again, sends nothing more
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(url, {"goal": "Share the template, in French too"})
    assert services.ask_sponsors(plan.pk) == 0
    assert len(mail.outbox) == 1
