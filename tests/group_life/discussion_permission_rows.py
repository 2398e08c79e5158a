"""Rows of the permission matrix for the discussions (tests/matrix.py).

The thread is in group G01 (the World's peer and ``peer_same_cohort``), opened by the peer.
Managers and sponsors read no discussion; a peer of another group or programme finds none.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from group_life.discussions import emails, services
from tests.conftest import World
from tests.group_life.discussion_factories import group_thread
from tests.group_life.factories import published_groups
from tests.matrix import API_ANON, LOGIN, Row, everyone


def _thread(w: World) -> int:
    return group_thread(w).pk


def _reply_of_mate(w: World) -> tuple[int, int]:
    thread = group_thread(w)
    post = thread.posts.filter(author=w.peer_same_cohort).first() or services.reply(
        thread=thread, author=w.peer_same_cohort, body="We keep a register."
    )
    return thread.pk, post.pk


def _on_thread(name: str) -> Callable[[World], str]:
    return lambda w: reverse(f"group_life:{name}", args=[_thread(w)])


def _on_post(name: str) -> Callable[[World], str]:
    return lambda w: reverse(f"group_life:{name}", args=[*_reply_of_mate(w)])


def _programme_page(name: str) -> Callable[[World], str]:
    return lambda w: reverse(f"group_life:{name}", args=[w.programme.pk])


def _unsubscribe(w: World) -> str:
    return reverse(
        "group_life:discussion_unsubscribe",
        args=[emails.unsubscribe_token(w.peer.pk, w.programme.pk)],
    )


MEMBERS = {"peer": 200, "facilitator": 200, "admin": 200}
READERS = everyone(404, anonymous=LOGIN, **MEMBERS)
WRITERS = everyone(404, anonymous=LOGIN, peer=302, facilitator=302, admin=302)
MODERATORS = everyone(404, anonymous=LOGIN, peer=403, facilitator=302, admin=302)
SECTION = everyone(403, anonymous=LOGIN, outsider=404, **MEMBERS)
SECTION_POST = everyone(403, anonymous=LOGIN, outsider=404, peer=302, facilitator=302, admin=302)


def _guided_activity(w: World) -> int:
    from programmes.models import Activity
    from tests.programmes.factories import ActivityFactory

    found = Activity.objects.filter(programme=w.programme, conversation_tool="blind_side").first()
    return (found or ActivityFactory(programme=w.programme, conversation_tool="blind_side")).pk


ROWS: list[Row] = [
    Row(
        "notes of a guided conversation in my group's workspace",
        "post",
        lambda w: reverse(
            "group_life:add_session_note", args=[w.programme.pk, published_groups(w).mine.pk]
        ),
        everyone(403, anonymous=LOGIN, outsider=404, peer=302, admin=302),
        data=lambda w: {"activity": str(_guided_activity(w)), "text": "We mapped four notes."},
    ),
    Row("discussions", "get", _programme_page("discussions"), SECTION),
    Row(
        "discussions search",
        "get",
        lambda w: reverse("group_life:discussions", args=[w.programme.pk]) + "?q=register",
        SECTION,
    ),
    Row(
        "start a thread in my group",
        "post",
        _programme_page("start_thread"),
        SECTION_POST,
        data=lambda w: {
            "space": f"group-{published_groups(w).mine.pk}",
            "title": "Arrears",
            "body": "How do you clear them?",
        },
    ),
    Row("thread page", "get", _on_thread("thread"), READERS),
    Row("reply", "post", _on_thread("reply"), WRITERS, data=lambda w: {"body": "Same here."}),
    Row("react: useful", "post", _on_post("react_useful"), WRITERS),
    Row("react: solved my problem", "post", _on_post("react_solved"), WRITERS),
    Row("hide a thread", "post", _on_thread("hide_thread"), MODERATORS),
    Row("show a thread", "post", _on_thread("show_thread"), MODERATORS),
    Row("lock a thread", "post", _on_thread("lock_thread"), MODERATORS),
    Row("unlock a thread", "post", _on_thread("unlock_thread"), MODERATORS),
    Row(
        "move a thread",
        "post",
        _on_thread("move_thread"),
        MODERATORS,
        data=lambda w: {"space": f"group-{published_groups(w).other.pk}"},
    ),
    Row("discussion notifications", "get", _programme_page("discussion_notifications"), SECTION),
    Row("mark notifications read", "post", _programme_page("discussion_mark_read"), SECTION_POST),
    Row("discussion email choice", "get", _programme_page("discussion_settings"), SECTION),
    Row(
        "discussion email choice: save",
        "post",
        _programme_page("discussion_settings"),
        SECTION_POST,
        data=lambda w: {"email": "weekly"},
    ),
    Row("discussion unsubscribe link", "get", _unsubscribe, everyone(200)),
    Row("discussion unsubscribe: one click", "post", _unsubscribe, everyone(200)),
    Row(
        "discussion unsubscribe: forged link",
        "get",
        lambda w: reverse("group_life:discussion_unsubscribe", args=["forged"]),
        everyone(404),
    ),
    Row(
        "api discussion threads",
        "get",
        lambda w: (group_thread(w), reverse("discussion-thread-list"))[1],
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api discussion thread",
        "get",
        lambda w: reverse("discussion-thread-detail", args=[_thread(w)]),
        everyone(404, anonymous=API_ANON, **MEMBERS),
    ),
    Row(
        "api discussion reply",
        "post",
        lambda w: reverse("discussion-thread-reply", args=[_thread(w)]),
        everyone(404, anonymous=API_ANON, peer=201, facilitator=201, admin=201),
        data=lambda w: {"body": "From the API"},
        content_type="application/json",
    ),
]
