"""Scenario 11: two peers of one group discuss between meetings; a peer of another group
cannot see or find their thread (pages, search, API); the scheduled digest reaches a
French-speaking group mate in French; the reply counts as a contact on the dashboard."""

from __future__ import annotations

from email import message_from_string, policy
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from evaluation.models import Story
from group_life.models import Notification, Post, Thread
from peerlearn.roles import Role
from peerlearn.users.models import User
from programmes.models import Membership
from tests.e2e.conftest import log_in
from tests.e2e.test_scenario_7_contacts_reflections_nudges import celery_beat, wait_until
from tests.group_life.e2e_world import PASSWORD, GroupLifeWorld, build
from tests.servicekit import CeleryWorker

pytestmark = [pytest.mark.e2e, pytest.mark.service]

TITLE = "How do you record multi-year commitments?"


@pytest.fixture
def group_world(transactional_db: None) -> GroupLifeWorld:
    return build()


@pytest.fixture
def same_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker signs the unsubscribe links that the live server checks: one key for both."""
    from django.conf import settings

    monkeypatch.setenv("SECRET_KEY", settings.SECRET_KEY)


def _emails(mail_dir: Path) -> list[Any]:
    """Every message Django's file email backend wrote, headers decoded."""
    found = []
    for path in mail_dir.iterdir():
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                found.append(message_from_string(chunk.strip(), policy=policy.default))
    return found


def _people_and_ties(page: Any) -> str:
    term = page.locator("dl.network-figures dt", has_text="People and ties")
    return term.locator("xpath=following-sibling::dd").inner_text().strip()


def test_two_peers_discuss_between_meetings(
    page: Any,
    group_world: GroupLifeWorld,
    celery_worker: CeleryWorker,
    same_secret_key: None,
    tmp_path: Path,
) -> None:
    world = group_world
    amara, bilal, chiara, dmytro = world.peers[:4]
    pk = world.programme.pk
    dashboard = reverse("evaluation:dashboard", args=[pk])
    discussions = reverse("group_life:discussions", args=[pk])
    notifications = reverse("group_life:discussion_notifications", args=[pk])
    chiara.preferred_language = "fr"
    chiara.save(update_fields=["preferred_language"])
    manager = User.objects.create_user(
        email="manager@example.org", password=PASSWORD, full_name="Mona Manager"
    )
    EmailAddress.objects.create(user=manager, email=manager.email, verified=True, primary=True)
    Membership.objects.create(user=manager, programme=world.programme, role=Role.MANAGER)

    # Before anyone talks, the manager's dashboard counts no tie between peers.
    log_in(page, manager.email)
    page.goto(dashboard)
    page.get_by_role("heading", name="Evaluation dashboard").wait_for()
    assert _people_and_ties(page).endswith("/ 0")
    page.context.clear_cookies()

    # Amara opens a thread in her group's space from the programme's navigation, formatted,
    # with a line of HTML that must stay text, and a mention of Bilal.
    log_in(page, amara.email)
    page.goto(reverse("programmes:detail", args=[world.programme.pk]))
    page.get_by_role("link", name="Group life", exact=True).first.click()
    page.get_by_role("link", name="Discussions", exact=True).first.click()
    page.get_by_role("heading", name="Discussions", exact=True).wait_for()
    page.get_by_label("Where").select_option(label="Group: Cohort 2026 · G01")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Message").fill(
        "We record them **one year at a time**.\n\n<script>alert('x')</script>\n\n"
        "@Bilal, how does your register work?"
    )
    page.get_by_role("button", name="Start the thread").click()
    page.get_by_text("Your thread is started.").wait_for()
    opening = page.locator("article.card").first
    assert opening.locator("strong", has_text="one year at a time").count() == 1
    assert "<script>alert('x')</script>" in opening.inner_text()
    assert page.locator("article.card script").count() == 0
    page.context.clear_cookies()

    # Bilal was mentioned: the notification leads him to the thread; he replies.
    log_in(page, bilal.email)
    page.goto(notifications)
    page.get_by_text("You were mentioned").wait_for()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label("Your reply").fill(
        "Our register blocks any order above the **quarterly quota**."
    )
    page.get_by_role("button", name="Post the reply").click()
    page.get_by_text("Your reply is posted.").wait_for()
    assert page.locator("article.card").count() == 2
    page.context.clear_cookies()

    # Amara marks the reply as having solved her problem and starts a story from it.
    log_in(page, amara.email)
    thread = Thread.objects.get(title=TITLE)
    page.goto(reverse("group_life:thread", args=[thread.pk]))
    reply_card = page.locator("article.card").nth(1)
    reply_card.get_by_role("button", name="This solved my problem").click()
    page.get_by_text("Marked: this solved your problem.").wait_for()
    page.locator("article.card").nth(1).get_by_role(
        "link", name="Tell it as a value-creation story"
    ).click()
    assert "quarterly quota" in page.get_by_label("Immediate value").input_value()
    assert Story.objects.count() == 0
    page.context.clear_cookies()

    # Dmytro, a peer of group G02, neither sees nor finds the thread: list, search, the
    # address itself and the API all keep it from him.
    log_in(page, dmytro.email)
    page.goto(discussions)
    assert TITLE not in page.inner_text("main")
    page.get_by_label("Search the discussions").fill("register")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("No thread you can read matches this search.").wait_for()
    response = page.goto(reverse("group_life:thread", args=[thread.pk]))
    assert response is not None and response.status == 404
    api = page.request.get("/api/v1/matching/discussions/?q=register")
    assert api.ok and TITLE not in api.text()
    assert page.request.get(f"/api/v1/matching/discussions/{thread.pk}/").status == 404
    page.context.clear_cookies()

    # The scheduled digest (Celery beat through the worker) reaches Chiara, of the same group,
    # in French, with a link that stops these emails.
    with celery_beat(celery_worker, tmp_path, every="DISCUSSION_DIGEST_SECONDS"):

        def digest_to_chiara() -> list[Any]:
            return [
                message
                for message in _emails(celery_worker.mail_dir)
                if chiara.email in str(message["To"])
            ]

        assert wait_until(lambda: bool(digest_to_chiara()), timeout=90), (
            celery_worker.log.read_text()[-3000:]
        )
    digest = digest_to_chiara()[0]
    assert "nouveautés dans les discussions de Treasury Peer Network" in str(digest["Subject"])
    body = digest.get_content()
    assert "Bonjour Chiara Rossi," in body
    assert TITLE in body
    assert "Nouveau fil dans votre espace" in body
    assert digest["List-Unsubscribe"]
    assert Notification.objects.get(user=chiara).emailed_at is not None

    # The reply counts as a contact between Bilal and Amara on the dashboard; no message shows.
    log_in(page, manager.email)
    page.goto(dashboard)
    page.get_by_role("heading", name="Evaluation dashboard").wait_for()
    assert _people_and_ties(page).endswith("/ 1")
    main = page.inner_text("main")
    assert "quarterly quota" not in main and TITLE not in main
    assert Post.objects.filter(thread=thread).count() == 2
