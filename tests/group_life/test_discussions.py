"""Discussions: who reads a thread, formatting, mentions, reactions, moderation, notifications,
digests in the person's language, one-click unsubscribe, replies as contacts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from group_life.discussions import emails, markup, selectors, services
from group_life.discussions.models import EmailChoice, Notification, Reaction, Space, Thread
from group_life.models import PairRequest, SubGroup
from group_life.tasks import email_discussion_notification
from tests.conftest import World
from tests.group_life.discussion_factories import group_thread, space
from tests.group_life.factories import published_groups
from tests.servicekit import broker_unreachable

pytestmark = pytest.mark.django_db


def test_markdown_is_sanitised() -> None:
    html = markup.render(
        "# Title\n<script>alert(1)</script> **bold** [x](javascript:alert(1)) "
        "[ok](https://example.org) ![pic](https://example.org/p.png)\n\n<b onclick=x>b</b>"
    )
    assert "<script" not in html and "<b " not in html and "<img" not in html
    assert 'href="javascript' not in html
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">ok</a>' in html
    assert "<h3>Title</h3>" in html
    assert "&lt;script&gt;" in html


def test_mentions_by_full_or_unique_first_name(world: World) -> None:
    groups = published_groups(world)
    world.peer.full_name = "Amara Mensah"
    world.peer.save()
    world.peer_same_cohort.full_name = "Bilal Haddad"
    world.peer_same_cohort.save()
    people = [world.peer, world.peer_same_cohort, groups.stranger]
    assert markup.mentioned("thanks @amara mensah!", people) == [world.peer]
    assert markup.mentioned("ask @Bilal about it", people) == [world.peer_same_cohort]
    assert markup.mentioned("mail me at bilal@example.org", people) == []


def test_another_groups_peer_cannot_read_or_find_a_thread(world: World) -> None:
    thread = group_thread(world)
    stranger = published_groups(world).stranger
    assert thread in selectors.threads_for(world.peer_same_cohort, world.programme)
    assert thread in selectors.threads_for(world.facilitator, world.programme)
    for user in (stranger, world.manager, world.sponsor, world.outsider, world.peer_other_cohort):
        assert thread not in selectors.threads_visible_to(user)
        assert not selectors.search_threads(user, world.programme, "registers").exists()
    assert (
        selectors.search_threads(world.peer_same_cohort, world.programme, "multi-year").get()
        == thread
    )


def test_spaces_pair_cohort_sub_group(world: World) -> None:
    groups = published_groups(world)
    pair = PairRequest.objects.create(
        programme=world.programme,
        requested_by=world.peer,
        requested_of=groups.stranger,
        purpose="Visit",
        status=PairRequest.Status.ACCEPTED,
    )
    sub = SubGroup.objects.create(programme=world.programme, name="Arrears", problem="Arrears")
    sub.members.add(world.peer, groups.stranger)
    keys = {s.key for s in selectors.spaces_for(world.peer, world.programme)}
    assert {
        f"group-{groups.mine.pk}",
        f"pair-{pair.pk}",
        f"cohort-{world.cohort.pk}",
        f"sub_group-{sub.pk}",
    } <= keys
    assert f"cohort-{world.other_cohort.pk}" not in keys
    pair_thread = services.start_thread(
        programme=world.programme,
        author=world.peer,
        space=space(world, world.peer, "pair-"),
        title="Our visit",
        body="Dates?",
    )
    assert pair_thread.space == Space.PAIR
    assert pair_thread in selectors.threads_visible_to(groups.stranger)
    assert pair_thread not in selectors.threads_visible_to(world.peer_same_cohort)
    cohort_thread = services.start_thread(
        programme=world.programme,
        author=world.peer,
        space=space(world, world.peer, "cohort-"),
        title="Cohort question",
        body="Hello all",
    )
    assert cohort_thread in selectors.threads_visible_to(world.peer_same_cohort)
    assert cohort_thread not in selectors.threads_visible_to(world.peer_other_cohort)
    # A space that is not yours is refused.
    other_cohort = selectors.SpaceChoice(
        f"cohort-{world.other_cohort.pk}", "B", Space.COHORT, world.other_cohort
    )
    with pytest.raises(services.DiscussionError):
        services.start_thread(
            programme=world.programme, author=world.peer, space=other_cohort, title="x", body="y"
        )


def test_reply_notifies_mentions_and_emails_immediately(world: World) -> None:
    thread = group_thread(world)
    world.peer.full_name = "Amara Mensah"
    world.peer.save()
    services.set_email_choice(
        user_id=world.peer.pk, programme_id=world.programme.pk, email=EmailChoice.IMMEDIATELY
    )
    mail.outbox.clear()
    post = services.reply(
        thread=thread, author=world.peer_same_cohort, body="@Amara Mensah we use a register."
    )
    note = Notification.objects.get(post=post, user=world.peer)
    assert note.reason == Notification.Reason.MENTION
    assert list(post.mentions.all()) == [world.peer]
    assert selectors.unread_count(world.peer, world.programme) == 1


def test_immediate_email_is_sent_on_commit(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    thread = group_thread(world)
    services.set_email_choice(
        user_id=world.peer.pk, programme_id=world.programme.pk, email=EmailChoice.IMMEDIATELY
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.reply(thread=thread, author=world.peer_same_cohort, body="We use a register.")
    assert [m.to for m in mail.outbox] == [[world.peer.email]]
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    assert "We use a register." in mail.outbox[0].body


def test_an_immediate_email_the_broker_could_not_take_is_sent_once_it_is_back(
    world: World, django_capture_on_commit_callbacks: object
) -> None:
    thread = group_thread(world)
    services.set_email_choice(
        user_id=world.peer.pk, programme_id=world.programme.pk, email=EmailChoice.IMMEDIATELY
    )
    mail.outbox.clear()
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        post = services.reply(
            thread=thread, author=world.peer_same_cohort, body="We use a register."
        )
    assert mail.outbox == []
    # Everyone else notified waits for their digest: only the immediate email is queued.
    note = Notification.objects.get(post=post, user=world.peer)
    assert note.emailed_at is None and note.dispatched_at is None

    later = timezone.now() + timedelta(minutes=2)
    with broker_unreachable():
        assert emails.queue_waiting_notifications(job=email_discussion_notification, now=later) == 0
    assert emails.queue_waiting_notifications(job=email_discussion_notification, now=later) == 1
    assert [m.to for m in mail.outbox] == [[world.peer.email]]
    assert "We use a register." in mail.outbox[0].body
    assert (
        emails.queue_waiting_notifications(
            job=email_discussion_notification, now=later + timedelta(hours=1)
        )
        == 0
    )
    assert emails.email_notification(note.pk) is False
    assert len(mail.outbox) == 1


def test_daily_digest_in_the_persons_language_and_unsubscribe(world: World) -> None:
    thread = group_thread(world)
    world.peer.preferred_language = "fr"
    world.peer.save()
    services.reply(thread=thread, author=world.peer_same_cohort, body="Nous tenons un registre.")
    mail.outbox.clear()
    # The group mate hears of the new thread, the opener of the reply.
    assert emails.send_digests(now=timezone.now()) == 2
    message = next(m for m in mail.outbox if m.to == [world.peer.email])
    assert "nouveaut" in message.subject
    assert "Nous tenons un registre." in message.body
    # Nothing twice; the next digest waits a day.
    assert emails.send_digests(now=timezone.now() + timedelta(hours=1)) == 0
    # One click (a POST without a session or CSRF token) stops the emails.
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    response = Client(enforce_csrf_checks=True).post(url.replace("http://testserver", ""))
    assert response.status_code == 200
    assert selectors.email_choice(world.peer.pk, world.programme.pk) == EmailChoice.NEVER
    services.reply(thread=thread, author=world.peer_same_cohort, body="Again")
    mail.outbox.clear()
    emails.send_digests(now=timezone.now() + timedelta(days=2))
    assert all(m.to != [world.peer.email] for m in mail.outbox)


def test_weekly_digest_waits_a_week(world: World) -> None:
    thread = group_thread(world)
    services.set_email_choice(
        user_id=world.peer.pk, programme_id=world.programme.pk, email=EmailChoice.WEEKLY
    )
    now = timezone.now()
    services.set_email_choice(
        user_id=world.peer_same_cohort.pk, programme_id=world.programme.pk, email=EmailChoice.NEVER
    )
    services.reply(thread=thread, author=world.peer_same_cohort, body="One")
    assert emails.send_digests(now=now) == 1
    services.reply(thread=thread, author=world.peer_same_cohort, body="Two")
    assert emails.send_digests(now=now + timedelta(days=2)) == 0
    assert emails.send_digests(now=now + timedelta(days=7)) == 1


def test_a_digest_leaves_out_a_thread_no_longer_readable(world: World) -> None:
    thread = group_thread(world)
    services.reply(thread=thread, author=world.peer_same_cohort, body="Secret plan")
    services.set_hidden(thread=thread, by=world.facilitator, hidden=True)
    mail.outbox.clear()
    emails.send_digests(now=timezone.now())
    assert all("Secret plan" not in m.body for m in mail.outbox)


def test_reactions_and_solved_mark_become_a_story_draft(world: World) -> None:
    thread = group_thread(world)
    post = services.reply(
        thread=thread, author=world.peer_same_cohort, body="Link commitments to the cash plan."
    )
    assert services.react(post=post, user=world.peer, kind=Reaction.Kind.SOLVED) is True
    with pytest.raises(services.DiscussionError):
        services.react(post=post, user=world.peer_same_cohort, kind=Reaction.Kind.USEFUL)
    draft = selectors.story_draft_from_thread(world.peer, world.programme, str(thread.pk))
    assert draft["immediate_value"] == "Link commitments to the cash plan."
    stranger = published_groups(world).stranger
    assert selectors.story_draft_from_thread(stranger, world.programme, str(thread.pk)) == {}
    assert services.react(post=post, user=world.peer, kind=Reaction.Kind.SOLVED) is False


def test_moderation(world: World) -> None:
    thread = group_thread(world)
    with pytest.raises(services.DiscussionError):
        services.set_locked(thread=thread, by=world.peer, locked=True)
    services.set_locked(thread=thread, by=world.facilitator, locked=True)
    with pytest.raises(services.DiscussionError):
        services.reply(thread=thread, author=world.peer_same_cohort, body="Still here")
    services.set_hidden(thread=thread, by=world.facilitator, hidden=True)
    assert thread not in selectors.threads_visible_to(world.peer)
    assert thread in selectors.threads_visible_to(world.facilitator)
    groups = published_groups(world)
    services.move_thread(
        thread=thread,
        by=world.facilitator,
        to=space(world, world.facilitator, f"group-{groups.other.pk}"),
    )
    thread.refresh_from_db()
    assert thread.group == groups.other
    services.set_hidden(thread=thread, by=world.facilitator, hidden=False)
    assert thread in selectors.threads_visible_to(groups.stranger)
    assert thread not in selectors.threads_visible_to(world.peer)


def test_a_reply_is_a_contact_without_content(world: World) -> None:
    thread = group_thread(world)
    services.reply(thread=thread, author=world.peer, body="my own follow-up")
    assert selectors.reply_contact_edges(world.programme) == []
    services.reply(thread=thread, author=world.peer_same_cohort, body="private content")
    edges = selectors.reply_contact_edges(world.programme)
    assert edges == [(world.peer_same_cohort.pk, world.peer.pk, timezone.localdate(), True)]
    # The reply is also the group's latest contact, for the no-contact flag.
    from group_life import selectors as group_life

    ids = [world.peer.pk, world.peer_same_cohort.pk]
    assert group_life.last_contact_between(world.programme, ids) == timezone.localdate()
    from evaluation.indicators.dashboard import compute_figures

    figures = compute_figures(world.programme)
    assert figures["metrics"].ties == 1
    assert "private content" not in repr(figures)


def test_thread_page_404_for_another_group(world: World) -> None:
    thread = group_thread(world)
    client = Client()
    client.force_login(published_groups(world).stranger)
    assert client.get(reverse("group_life:thread", args=[thread.pk])).status_code == 404
    page = client.get(reverse("group_life:discussions", args=[world.programme.pk]) + "?q=registers")
    assert page.status_code == 200
    assert b"Commitment registers" not in page.content


def test_bad_input_keeps_the_message(world: World) -> None:
    thread = group_thread(world)
    client = Client()
    client.force_login(world.peer_same_cohort)
    response = client.post(reverse("group_life:reply", args=[thread.pk]), {"body": "   "})
    assert response.status_code == 400
    response = client.post(
        reverse("group_life:start_thread", args=[world.programme.pk]),
        {"space": "cohort-999999", "title": "Kept title", "body": "Kept body"},
    )
    assert response.status_code == 400
    assert b"Kept body" in response.content
    assert not Thread.objects.filter(title="Kept title").exists()


def test_new_messages_are_a_next_step_until_read(world: World) -> None:
    from group_life.next_steps import next_steps

    thread = group_thread(world)
    services.reply(thread=thread, author=world.peer_same_cohort, body="Answer")
    titles = [step.title for step in next_steps(world.peer, world.programme)]
    assert "1 new message in your discussions" in titles
    services.mark_read(user=world.peer, programme=world.programme, thread=thread)
    titles = [step.title for step in next_steps(world.peer, world.programme)]
    assert not any("new message" in title for title in titles)
