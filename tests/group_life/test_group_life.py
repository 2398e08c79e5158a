"""Group life: the workspace, the Blind Side board, pairs, the progress board, sub-groups,
flags and nudges."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluation.models import ReminderOptOut, Visibility
from group_life import services
from group_life.flags import flags_for
from group_life.models import (
    BlindSideNote,
    EndProduct,
    GroupMeeting,
    GroupWorkspace,
    MeetingSlot,
    Nudge,
    PairRequest,
    ProblemDraft,
    ReflectionEntry,
    ReflectionPrompt,
    SubGroup,
)
from programmes.models import Activity, Contact
from tests.conftest import World
from tests.group_life.factories import published_groups

pytestmark = pytest.mark.django_db


def _workspace(w: World, action: str = "workspace", *ids: int) -> str:
    """The workspace of my group, or the address of one of its actions."""
    group = published_groups(w).mine
    return reverse(f"group_life:{action}", args=[w.programme.pk, group.pk, *ids])


def test_problem_statement_history_and_distilled_mark(world: World, client: Client) -> None:
    client.force_login(world.peer)
    url = _workspace(world)
    add = _workspace(world, "add_draft")
    assert f'action="{add}"' in client.get(url).content.decode()
    client.post(add, {"text": "Arrears grow"})
    response = client.post(add, {"text": "Arrears grow because quotas ignore cash"})
    assert response.status_code == 302 and response["Location"] == url
    drafts = list(ProblemDraft.objects.order_by("pk"))
    assert [d.text for d in drafts] == ["Arrears grow", "Arrears grow because quotas ignore cash"]
    client.force_login(world.peer_same_cohort)
    response = client.post(_workspace(world, "distil", drafts[1].pk))
    assert response.status_code == 302
    workspace = GroupWorkspace.objects.get(group=published_groups(world).mine)
    assert workspace.distilled == drafts[1] and workspace.distilled_by == world.peer_same_cohort
    page = client.get(url).content.decode()
    assert "Distilled" in page and "Arrears grow</p>" in page  # the history is kept
    assert 'name="action"' not in page  # each form posts to the address of its action
    assert client.post(url, {"text": "x"}).status_code == 405


def test_an_empty_draft_is_refused_in_plain_words(world: World, client: Client) -> None:
    client.force_login(world.peer)
    response = client.post(_workspace(world, "add_draft"), {"text": "   "})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not ProblemDraft.objects.exists()


def test_a_draft_of_another_group_cannot_be_distilled(world: World, client: Client) -> None:
    groups = published_groups(world)
    foreign = ProblemDraft.objects.create(group=groups.other, text="Theirs")
    client.force_login(world.peer)
    response = client.post(_workspace(world, "distil", foreign.pk))
    assert response.status_code == 404
    assert GroupWorkspace.objects.filter(distilled__isnull=False).count() == 0


def test_meeting_slot_needs_a_day_when_weekly(world: World, client: Client) -> None:
    client.force_login(world.peer)
    data = {
        "every": "1",
        "weekday": "",
        "time": "09:00",
        "duration_minutes": "60",
        "starts_on": "2026-03-02",
    }
    response = client.post(_workspace(world, "add_slot"), data)
    assert response.status_code == 400
    assert "Choose the day of the week" in response.content.decode()
    assert not MeetingSlot.objects.exists()
    data["weekday"] = "1"
    assert client.post(_workspace(world, "add_slot"), data).status_code == 302
    slot = MeetingSlot.objects.get()
    assert slot.weekday == 1
    client.force_login(world.facilitator)  # not a member: cannot change the group's meetings
    assert client.post(_workspace(world, "remove_slot", slot.pk)).status_code == 403
    client.force_login(world.peer)
    assert client.post(_workspace(world, "remove_slot", slot.pk)).status_code == 302
    assert not MeetingSlot.objects.exists()
    assert client.post(_workspace(world, "remove_slot", slot.pk)).status_code == 404


def test_a_future_meeting_cannot_be_logged(world: World, client: Client) -> None:
    client.force_login(world.peer)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(_workspace(world, "log_meeting"), {"held_on": tomorrow})
    assert response.status_code == 400
    assert "once it has taken place" in response.content.decode()
    assert not GroupMeeting.objects.exists()


def test_end_product_upload_is_checked_and_scored(world: World, client: Client) -> None:
    client.force_login(world.peer)
    url = _workspace(world, "submit_product")
    fake = SimpleUploadedFile("roadmap.pdf", b"not really a pdf", content_type="application/pdf")
    response = client.post(url, {"title": "Roadmap", "file": fake})
    assert response.status_code == 400
    assert "not of that type" in response.content.decode()
    assert not EndProduct.objects.exists()
    response = client.post(url, {"title": "Roadmap", "text": ""})
    assert response.status_code == 400
    assert "Upload a file or write the text" in response.content.decode()
    pdf = SimpleUploadedFile("roadmap.pdf", b"%PDF-1.4 real enough", content_type="application/pdf")
    assert client.post(url, {"title": "Roadmap", "file": pdf}).status_code == 302
    product = EndProduct.objects.get()
    assert product.file.name.endswith(".pdf")
    download = reverse("group_life:product_file", args=[world.programme.pk, product.group_id])
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    client.force_login(published_groups(world).stranger)  # another group of the cohort
    assert client.get(download).status_code == 403
    client.force_login(world.peer)
    # A peer cannot score; the facilitator can, within 1-4.
    url = _workspace(world, "score_product")
    score = {
        "new_ideas": "4",
        "different_experiences": "3",
        "peer_interaction": "2",
    }
    assert client.post(url, score).status_code == 403
    client.force_login(world.facilitator)
    assert client.post(url, {**score, "new_ideas": "9"}).status_code == 400
    assert client.post(url, score).status_code == 302
    product.refresh_from_db()
    assert (product.total_score, product.scored_by) == (9, world.facilitator)


def test_blind_side_notes_are_added_and_moved_with_htmx(world: World, client: Client) -> None:
    groups = published_groups(world)
    client.force_login(world.peer)
    url = reverse("group_life:blind_side", args=[world.programme.pk, groups.mine.pk])
    response = client.post(
        url, {"quadrant": "know_dont", "text": "Multi-year"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Multi-year" in response.content.decode()
    assert "<html" not in response.content.decode()  # a partial for HTMX
    note = BlindSideNote.objects.get()
    move = reverse("group_life:blind_side_move", args=[world.programme.pk, groups.mine.pk, note.pk])
    assert client.post(move, {"quadrant": "nowhere"}).status_code == 400
    assert client.post(move, {"quadrant": "dont_dont"}).status_code == 302
    note.refresh_from_db()
    assert note.quadrant == "dont_dont" and note.moved_by == world.peer
    # Another group's note cannot be moved through my group's board.
    other = BlindSideNote.objects.create(group=groups.other, quadrant="know_know", text="Theirs")
    move = reverse(
        "group_life:blind_side_move", args=[world.programme.pk, groups.mine.pk, other.pk]
    )
    assert client.post(move, {"quadrant": "dont_dont"}).status_code == 404


def test_pair_request_accept_visit_and_reflection(world: World, client: Client) -> None:
    published_groups(world)
    client.force_login(world.peer)
    pairs = reverse("group_life:pairs", args=[world.programme.pk])
    response = client.post(pairs, {"requested_of": world.peer_other_cohort.pk, "purpose": "Visit"})
    assert response.status_code == 400  # not a choice: another cohort
    response = client.post(pairs, {"requested_of": world.peer_same_cohort.pk, "purpose": "Visit"})
    pair = PairRequest.objects.get()
    assert response.status_code == 302
    again = client.post(pairs, {"requested_of": world.peer_same_cohort.pk, "purpose": "Again"})
    assert again.status_code == 400
    assert "already have a request" in again.content.decode()
    url = reverse("group_life:pair", args=[world.programme.pk, pair.pk])
    accept = reverse("group_life:pair_accept", args=[world.programme.pk, pair.pk])
    assert client.post(accept).status_code == 403  # only the other side
    client.force_login(world.peer_same_cohort)
    assert client.post(accept).status_code == 302
    again = client.post(reverse("group_life:pair_decline", args=[world.programme.pk, pair.pk]))
    assert again.status_code == 400 and "already been answered" in again.content.decode()
    url = reverse("group_life:pair_visit", args=[world.programme.pk, pair.pk])
    visit = {
        "starts_at": "2026-05-04T09:00",
        "ends_at": "2026-05-04T08:00",
        "learning_agenda": "Quotas",
        "reciprocal": "on",
    }
    assert client.post(url, visit).status_code == 400
    assert client.post(url, {**visit, "ends_at": "2026-05-04T15:00"}).status_code == 302
    pair.refresh_from_db()
    assert pair.visit is not None and pair.visit.kind == Activity.Kind.SITE_VISIT
    assert pair.visit.reciprocal and pair.visit.host_organisation == world.other_organisation
    assert list(pair.visit.visiting_organisations.all()) == [world.organisation]
    Activity.objects.filter(pk=pair.visit.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=2)
    )
    reflect = reverse("group_life:pair_reflection", args=[world.programme.pk, pair.pk])
    assert client.post(reflect, {"reflection": "Blocks in IT"}).status_code == 302
    pair.refresh_from_db()
    assert pair.reflection == "Blocks in IT"


def test_progress_board_is_opt_in_and_shows_no_content(world: World, client: Client) -> None:
    groups = published_groups(world)
    ProblemDraft.objects.create(group=groups.mine, text="CONFIDENTIAL DRAFT")
    ReflectionEntry.objects.create(
        programme=world.programme,
        author=world.peer,
        learned="CONFIDENTIAL ENTRY",
        visibility=Visibility.PRIVATE,
    )
    client.force_login(world.sponsor)
    board = reverse("group_life:progress_board", args=[world.programme.pk])
    assert "G01" not in client.get(board).content.decode()
    client.force_login(world.peer)
    client.post(_workspace(world, "set_board"), {"shown": "1"})
    client.force_login(world.sponsor)
    page = client.get(board).content.decode()
    assert "G01" in page and "G02" not in page
    assert "CONFIDENTIAL" not in page
    assert ">0</td>" in page  # a private reflection is not even counted
    ReflectionEntry.objects.create(
        programme=world.programme,
        author=world.peer_same_cohort,
        group=groups.mine,
        learned="GROUP ENTRY",
        visibility=Visibility.GROUP,
    )
    page = client.get(board).content.decode()
    assert "GROUP ENTRY" not in page
    assert ">1</td>" in page  # one shared reflection written, counted only


def test_progress_counts_take_the_same_queries_for_any_number_of_groups(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from group_life.selectors import progress_of
    from matching.models import Group, GroupMember
    from tests.factories import UserFactory

    groups = published_groups(world)
    with CaptureQueriesContext(connection) as few:
        progress_of([groups.mine, groups.other])
    for index in range(8):
        extra = Group.objects.create(run=groups.run, label=f"X{index}")
        member = UserFactory(email=f"extra{index}@example.org")
        GroupMember.objects.create(run=groups.run, group=extra, user=member)
        GroupMeeting.objects.create(group=extra, held_on=timezone.localdate())
    all_groups = list(Group.objects.filter(run=groups.run))
    with CaptureQueriesContext(connection) as many:
        rows = progress_of(all_groups)
    assert len(rows) == 10
    assert len(many.captured_queries) == len(few.captured_queries)


def test_facilitator_spins_off_a_sub_group(world: World, client: Client) -> None:
    groups = published_groups(world)
    client.force_login(world.facilitator)
    url = reverse("group_life:cross_group", args=[world.programme.pk])
    response = client.post(
        url, {"name": "Arrears", "problem": "Arrears", "groups": [groups.mine.pk]}
    )
    assert response.status_code == 400 and "at least two groups" in response.content.decode()
    data = {"name": "Arrears", "problem": "Arrears", "groups": [groups.mine.pk, groups.other.pk]}
    assert client.post(url, data).status_code == 302
    sub = SubGroup.objects.get()
    assert set(sub.members.all()) == {world.peer, world.peer_same_cohort, groups.stranger}
    client.force_login(groups.stranger)
    assert "Arrears" in client.get(url).content.decode()


def test_flags_for_no_contact_and_meetings_without_contributions(world: World) -> None:
    groups = published_groups(world)
    today = timezone.localdate()
    groups.run.published_at = timezone.now() - timedelta(weeks=6)
    groups.run.save()
    codes = {(f.code, f.subject) for f in flags_for(world.programme, today)}
    assert ("group-no-contact", "Group G01") in codes
    Contact.objects.create(
        programme=world.programme,
        logged_by=world.peer,
        with_user=world.peer_same_cohort,
        occurred_on=today - timedelta(weeks=2),
        channel="call",
    )
    codes = {(f.code, f.subject) for f in flags_for(world.programme, today)}
    assert ("group-no-contact", "Group G01") not in codes
    services.set_no_contact_weeks(programme=world.programme, weeks=1)
    codes = {(f.code, f.subject) for f in flags_for(world.programme, today)}
    assert ("group-no-contact", "Group G01") in codes
    # Meets but nobody logs anything.
    GroupMeeting.objects.create(group=groups.mine, held_on=today - timedelta(days=2))
    codes = {f.code for f in flags_for(world.programme, today)}
    assert "group-meets-without-contributions" in codes
    BlindSideNote.objects.create(group=groups.mine, quadrant="know_know", text="x")
    codes = {f.code for f in flags_for(world.programme, today)}
    assert "group-meets-without-contributions" not in codes


@pytest.mark.parametrize("logged", ["by a member", "with a member"])
def test_a_contact_by_or_with_one_member_is_a_contribution_of_the_group(
    world: World, logged: str
) -> None:
    groups = published_groups(world)
    today = timezone.localdate()
    GroupMeeting.objects.create(group=groups.mine, held_on=today - timedelta(days=2))
    flagged = ("group-meets-without-contributions", str(groups.mine))
    assert flagged in {(f.code, f.subject) for f in flags_for(world.programme, today)}
    member, outside = world.peer_same_cohort, world.peer_other_cohort
    Contact.objects.create(
        programme=world.programme,
        logged_by=member if logged == "by a member" else outside,
        with_user=outside if logged == "by a member" else member,
        occurred_on=today - timedelta(days=1),
        channel="call",
    )
    assert flagged not in {(f.code, f.subject) for f in flags_for(world.programme, today)}


def test_pair_without_contact_raises_a_flag(world: World) -> None:
    published_groups(world)
    pair = PairRequest.objects.create(
        programme=world.programme,
        requested_by=world.peer,
        requested_of=world.peer_same_cohort,
        purpose="x",
        status=PairRequest.Status.ACCEPTED,
        decided_at=timezone.now() - timedelta(weeks=4),
    )
    assert "pair-no-contact" in {f.code for f in flags_for(world.programme)}
    Contact.objects.create(
        programme=world.programme,
        logged_by=pair.requested_of,
        with_user=pair.requested_by,
        occurred_on=timezone.localdate(),
        channel="email",
    )
    assert "pair-no-contact" not in {f.code for f in flags_for(world.programme)}


def test_nudges_are_sent_once_a_day_with_an_unsubscribe_link_that_is_honoured(
    world: World, client: Client
) -> None:
    groups = published_groups(world)
    today = date(2026, 5, 4)  # a Monday
    MeetingSlot.objects.create(
        group=groups.mine,
        every=MeetingSlot.Every.WEEK,
        weekday=1,
        time=time(9),
        starts_on=date(2026, 4, 1),
    )
    ReflectionPrompt.objects.create(group=groups.mine, question="What surprised you?", due_on=today)
    ReflectionEntry.objects.create(
        programme=world.programme,
        author=world.peer_same_cohort,
        group=groups.mine,
        prompt=ReflectionPrompt.objects.get(),
        learned="x",
        visibility=Visibility.PRIVATE,
    )
    sent = services.send_nudges(today=today)
    # Two meeting reminders, one reflection reminder (peer_same_cohort has answered).
    assert sent == 3 and len(mail.outbox) == 3
    assert services.send_nudges(today=today) == 0  # idempotent
    to_peer = [m for m in mail.outbox if m.to == [world.peer.email]]
    assert {m.subject.split(" · ")[0] for m in to_peer} == {
        "Group G01 meets tomorrow",
        "A reflection is due",
    }
    body = to_peer[0].body
    link = next(line for line in body.splitlines() if "/unsubscribe/" in line)
    assert to_peer[0].extra_headers["List-Unsubscribe"] == f"<{link}>"
    path = link.replace("http://testserver", "").split("://", 1)[-1]
    path = path[path.index("/") :] if not path.startswith("/") else path
    client.post(path)
    assert ReminderOptOut.objects.filter(user=world.peer, programme=world.programme).exists()
    mail.outbox.clear()
    Nudge.objects.all().delete()
    assert services.send_nudges(today=today) == 1
    assert [m.to for m in mail.outbox] == [[world.peer_same_cohort.email]]


def test_visit_reflection_reminder_after_the_visit(world: World) -> None:
    published_groups(world)
    start = timezone.make_aware(datetime(2026, 5, 1, 9))
    visit = Activity.objects.create(
        programme=world.programme,
        kind=Activity.Kind.SITE_VISIT,
        title="Visit",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
    )
    PairRequest.objects.create(
        programme=world.programme,
        requested_by=world.peer,
        requested_of=world.peer_same_cohort,
        purpose="x",
        status=PairRequest.Status.ACCEPTED,
        visit=visit,
    )
    assert services.send_nudges(today=date(2026, 5, 3)) == 2
    assert "site visit" in mail.outbox[0].body
