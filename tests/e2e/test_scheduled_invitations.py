"""Under ``make run``'s settings a survey wave's invitations go out by themselves: a facilitator
schedules a wave in the browser, the worker with beat that ``make run`` starts sends each peer
an invitation, and the link in it opens the survey."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_string
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from evaluation.models import Instrument, Wave
from tests.conftest import World
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD
from tests.servicekit import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.service]


def invitations(mail: Path) -> dict[str, str]:
    """The survey invitations sent so far (as the file email backend writes them): recipient
    to plain text."""
    sent = {}
    for path in mail.iterdir():
        for part in path.read_text().split("\n" + "-" * 79 + "\n"):
            if not part.strip():
                continue
            message = message_from_string(part)
            for leaf in message.walk():
                if leaf.get_content_type() != "text/plain":
                    continue
                payload = leaf.get_payload(decode=True)
                assert isinstance(payload, bytes)
                text = payload.decode(leaf.get_content_charset() or "utf-8")
                if "/answer/" in text:
                    sent[str(message["To"])] = text
    return sent


def test_a_wave_scheduled_in_the_browser_is_sent_by_the_scheduler(
    browser: Any, live_server: Any, world: World, make_run_jobs: Path
) -> None:
    for person in (world.facilitator, world.peer):
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    instrument = Instrument.objects.get(family="continuing-engagement", is_current=True)
    today = timezone.localdate()
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(60_000)
    page = context.new_page()
    log_in(page, world.facilitator.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/" not in url)
    page.goto(f"/evaluation/programmes/{world.programme.pk}/")
    page.get_by_role("link", name="Schedule a survey wave").click()
    page.get_by_label("Instrument").select_option(str(instrument.pk))
    page.get_by_label("Cohort").select_option(str(world.cohort.pk))
    page.get_by_label("Moment").select_option(Wave.Kind.END_OF_EVENT)
    page.get_by_label("Title (optional)").fill("How the workshop went")
    page.get_by_label("Opens on").fill(today.isoformat())
    page.get_by_label("Due on").fill((today + timedelta(days=14)).isoformat())
    page.get_by_label("Closes on").fill((today + timedelta(days=28)).isoformat())
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("is scheduled").wait_for()
    wave = Wave.objects.get(title="How the workshop went")
    context.close()

    # Nobody presses anything: the scheduler opens the wave and invites the cohort's peers.
    cohort = {world.peer.email, world.peer_same_cohort.email}
    assert wait_until(lambda: set(invitations(make_run_jobs)) >= cohort, timeout=150), sorted(
        invitations(make_run_jobs)
    )
    sent = invitations(make_run_jobs)
    assert world.peer_other_cohort.email not in sent
    wave.refresh_from_db()
    assert wave.status == Wave.Status.OPEN

    # The peer follows the link in the email and the survey opens.
    link = re.search(r"https?://[^\s]+(/evaluation/waves/\d+/answer/)", sent[world.peer.email])
    assert link is not None and link.group(1) == f"/evaluation/waves/{wave.pk}/answer/"
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(60_000)
    page = context.new_page()
    log_in(page, world.peer.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/" not in url)
    page.goto(link.group(1))
    page.get_by_role("heading", name="How the workshop went").wait_for()
    assert page.get_by_role("button", name="Submit my answers").is_visible()
    context.close()
