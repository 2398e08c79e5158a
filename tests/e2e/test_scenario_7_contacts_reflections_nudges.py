"""Scenario 7: peers log contacts and reflections; a reciprocal site visit is planned and held;
a pair with no contact for three weeks raises a flag; Celery beat sends the reminders."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from email import message_from_string
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from evaluation.models import ReminderOptOut, Visibility
from group_life.models import MeetingSlot, Nudge, PairRequest, ReflectionEntry, ReflectionPrompt
from matching.models import MatchingRun
from programmes.models import Activity, Contact
from tests.e2e.conftest import log_in
from tests.group_life.e2e_world import GroupLifeWorld, build
from tests.servicekit import ROOT, SERVICES_USED, CeleryWorker, database_url_for_current_test_db

pytestmark = [pytest.mark.e2e, pytest.mark.service]

PRIVATE = "I was wrong about our quota rules for years."
SHARED = "Bilal's commitment register blocks orders above the quarterly quota."


def wait_until(predicate: Callable[[], bool], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def finished_nudge_runs(celery_worker: CeleryWorker) -> int:
    """How many runs of the nudge job the worker has finished, from its log."""
    return len(
        re.findall(r"send_group_life_nudges\[[^\]]+\] succeeded", celery_worker.log.read_text())
    )


@pytest.fixture
def group_world(transactional_db: None) -> GroupLifeWorld:
    return build()


@pytest.fixture
def same_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker signs the unsubscribe links that the live server checks: one key for both."""
    from django.conf import settings

    monkeypatch.setenv("SECRET_KEY", settings.SECRET_KEY)


@contextmanager
def celery_beat(
    celery_worker: CeleryWorker, tmp_path: Path, every: str = "GROUP_LIFE_NUDGE_SECONDS"
) -> Iterator[Path]:
    """``celery -A peerlearn beat`` on the worker's broker, the job whose interval the setting
    ``every`` names (the nudges by default) every two seconds."""
    log = tmp_path / "beat.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "peerlearn.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": database_url_for_current_test_db(),
        "CELERY_BROKER_URL": celery_worker.broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        every: "2",
    }
    with log.open("w") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "peerlearn",
                "beat",
                "--loglevel=INFO",
                "-s",
                str(tmp_path / "beat-schedule"),
                "--pidfile=",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        if not wait_until(lambda: "beat: Starting" in log.read_text(), timeout=60):
            pytest.fail(f"celery beat did not start:\n{log.read_text()[-3000:]}")
        SERVICES_USED.append(f"celery beat: pid {process.pid}, broker {celery_worker.broker_url}")
        yield log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _bodies(raw: str) -> str:
    """The messages of a file written by Django's file email backend, decoded."""
    texts = []
    for chunk in raw.split("-" * 79):
        if chunk.strip():
            message = message_from_string(chunk.strip())
            payload = message.get_payload(decode=True)
            body = payload.decode() if isinstance(payload, bytes) else str(payload)
            texts.append(f"To: {message['To']}\nSubject: {message['Subject']}\n{body}")
    return "\n".join(texts)


def _log_contact(page: Any, world: GroupLifeWorld, with_name: str, topic: str) -> None:
    page.goto(f"/programmes/{world.programme.pk}/contacts/")
    page.get_by_label("With whom").select_option(label=with_name)
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("How").select_option("call")
    page.get_by_label("About what").fill(topic)
    page.get_by_role("button", name="Log the contact").click()
    page.get_by_text("The contact is logged.").wait_for()


def test_contacts_reflections_visit_flag_and_reminders(
    page: Any,
    group_world: GroupLifeWorld,
    same_secret_key: None,
    celery_worker: CeleryWorker,
    tmp_path: Path,
) -> None:
    world = group_world
    amara, bilal, chiara, dmytro, elena = world.peers
    today = timezone.localdate()
    MatchingRun.objects.filter(cohort=world.cohort).update(
        published_at=timezone.now() - timedelta(weeks=5)
    )

    # Amara logs a contact with Bilal and writes two journal entries: one private, one for
    # her group, tied to Bilal.
    log_in(page, amara.email)
    _log_contact(page, world, str(bilal), "Commitment registers")
    page.goto(f"/programmes/{world.programme.pk}/")
    page.get_by_role("link", name="Reflection journal").first.click()
    page.get_by_label("What I learned").fill(PRIVATE)
    page.get_by_label("Who may read it").select_option(Visibility.PRIVATE)
    page.get_by_role("button", name="Save the entry").click()
    page.get_by_text("Your reflection is saved.").wait_for()
    page.get_by_label("What I learned").fill(SHARED)
    page.get_by_label("From whom").fill("Bilal, in our call")
    page.get_by_label("How I will act on it").fill("Propose a register to my director.")
    page.get_by_label(re.compile(r"^Peer:?$")).select_option(label=str(bilal))
    page.get_by_label("Who may read it").select_option(Visibility.GROUP)
    page.get_by_role("button", name="Save the entry").click()
    page.get_by_text("Your reflection is saved.").wait_for()
    assert PRIVATE in page.inner_text("main") and SHARED in page.inner_text("main")

    # Bilal confirms the contact and reads the group entry, never the private one.
    page.context.clear_cookies()
    log_in(page, bilal.email)
    page.goto(f"/programmes/{world.programme.pk}/contacts/")
    page.get_by_role("button", name=f"Confirm {amara}").click()
    assert Contact.objects.get(logged_by=amara).is_confirmed
    page.goto(f"/programmes/{world.programme.pk}/")
    page.get_by_role("link", name="Reflection journal").first.click()
    assert SHARED in page.inner_text("main") and PRIVATE not in page.content()
    page.goto(f"/matching/{world.programme.pk}/groups/{world.group.pk}/workspace/")
    assert "Amara Mensah" in page.inner_text("main") and PRIVATE not in page.content()

    # The facilitator sees the shared entry on the workspace, not the private one, and sends
    # the group a reflection prompt due tomorrow.
    page.context.clear_cookies()
    log_in(page, world.facilitator.email)
    page.goto(f"/matching/{world.programme.pk}/groups/{world.group.pk}/workspace/")
    assert SHARED[:40] in page.inner_text("main") and PRIVATE not in page.content()
    page.get_by_label("Question for the group").fill("What will you try at home first?")
    page.get_by_label("Answer by").fill((today + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Send the prompt").click()
    page.get_by_text("The prompt is sent to the group.").wait_for()
    prompt = ReflectionPrompt.objects.get(group=world.group)

    # Chiara answers the prompt (a multi-peer reflection).
    page.context.clear_cookies()
    log_in(page, chiara.email)
    page.goto(f"/matching/{world.programme.pk}/groups/{world.group.pk}/workspace/")
    page.get_by_role("link", name="Answer").click()
    page.get_by_label("What I learned").fill("Publishing arrears creates pressure to clear them.")
    page.get_by_label("Who may read it").select_option(Visibility.GROUP)
    page.get_by_role("button", name="Save the entry").click()
    page.get_by_text("Your reflection is saved.").wait_for()
    assert ReflectionEntry.objects.get(author=chiara).prompt == prompt

    # Amara asks Dmytro to pair, to visit his treasury; Dmytro accepts and they plan a
    # reciprocal site visit with a learning agenda.
    page.context.clear_cookies()
    log_in(page, amara.email)
    page.goto(f"/matching/{world.programme.pk}/pairs/")
    page.get_by_label("Pair with").select_option(label=str(dmytro))
    page.get_by_label("Why you want to pair").fill("To see how the State Treasury sets quotas.")
    page.get_by_role("button", name="Send the request").click()
    page.get_by_text("Your request is sent").wait_for()
    page.context.clear_cookies()
    log_in(page, dmytro.email)
    page.goto(f"/matching/{world.programme.pk}/pairs/")
    page.get_by_role("link", name=f"{amara} + {dmytro}").click()
    page.get_by_role("button", name="Accept").click()
    page.get_by_text("Your answer is saved.").wait_for()
    start = timezone.localtime() + timedelta(days=7)
    page.get_by_label("Visit starts").fill(start.strftime("%Y-%m-%dT09:00"))
    page.get_by_label("Visit ends").fill(start.strftime("%Y-%m-%dT16:00"))
    page.get_by_label("Place").fill("State Treasury Service, Kyiv")
    page.get_by_label("Reciprocal: a return visit follows").check()
    page.get_by_label("Learning agenda").fill("How quotas are set; who may override them.")
    page.get_by_role("button", name="Save the plan").click()
    page.get_by_text("The site visit is planned.").wait_for()
    pair = PairRequest.objects.get(requested_by=amara)
    assert pair.visit is not None
    assert pair.visit.kind == Activity.Kind.SITE_VISIT and pair.visit.reciprocal
    assert pair.visit.host_organisation is not None and pair.visit.host_organisation.country == "UA"

    # The visit is held (a week passes); Amara writes her reflection after it.
    Activity.objects.filter(pk=pair.visit.pk).update(
        starts_at=timezone.now() - timedelta(days=1, hours=6),
        ends_at=timezone.now() - timedelta(days=1),
    )
    Contact.objects.create(
        programme=world.programme,
        logged_by=amara,
        with_user=dmytro,
        occurred_on=today - timedelta(days=1),
        channel=Contact.Channel.IN_PERSON,
    )
    page.context.clear_cookies()
    log_in(page, amara.email)
    page.goto(f"/matching/{world.programme.pk}/pairs/{pair.pk}/")
    page.get_by_role("textbox", name="Reflection after the visit").fill(
        "Quotas are blocked in the IT system."
    )
    page.get_by_role("button", name="Save the reflection").click()
    page.get_by_text("Your reflection is saved.").wait_for()

    # Bilal and Elena paired four weeks ago and have logged no contact since: a flag on the
    # facilitator's overview; so is group G02, whose members have logged nothing.
    PairRequest.objects.create(
        programme=world.programme,
        requested_by=bilal,
        requested_of=elena,
        purpose="Cash plans",
        status=PairRequest.Status.ACCEPTED,
        decided_at=timezone.now() - timedelta(weeks=4),
    )
    page.context.clear_cookies()
    log_in(page, world.facilitator.email)
    page.goto(f"/programmes/{world.programme.pk}/overview/")
    overview = page.inner_text("main")
    assert "Pair Bilal Haddad and Elena Vargas" in overview
    assert "No contact has been logged for 3 weeks or more." in overview
    assert "Group G02" in overview and "Group G01" not in overview
    assert "Pair Amara Mensah and Dmytro Koval" not in overview

    # Celery beat: tomorrow's meeting of G01 and the prompt due tomorrow are reminded by the
    # scheduled job, through the real worker; the emails carry an unsubscribe link.
    MeetingSlot.objects.create(
        group=world.group,
        every=MeetingSlot.Every.WEEK,
        weekday=(today + timedelta(days=1)).weekday(),
        time=timezone.localtime().time(),
        starts_on=today - timedelta(days=14),
        location="Online room",
    )
    with celery_beat(celery_worker, tmp_path) as beat_log:
        expected = {
            (amara.pk, Nudge.Kind.MEETING),
            (bilal.pk, Nudge.Kind.MEETING),
            (chiara.pk, Nudge.Kind.MEETING),
            (amara.pk, Nudge.Kind.REFLECTION),
            (bilal.pk, Nudge.Kind.REFLECTION),
        }

        def sent() -> set[tuple[int, str]]:
            return set(Nudge.objects.values_list("user_id", "kind"))

        assert wait_until(lambda: sent() >= expected), (
            f"{sent()}\n{beat_log.read_text()[-2000:]}\n{celery_worker.log.read_text()[-2000:]}"
        )
        assert (chiara.pk, Nudge.Kind.REFLECTION) not in sent()  # she has answered
        assert "send_group_life_nudges" in beat_log.read_text()
        mails = [_bodies(p.read_text()) for p in celery_worker.mail_dir.iterdir()]
        to_amara = [m for m in mails if amara.email in m and "meets tomorrow" in m]
        assert to_amara, mails
        link = re.search(r"http://testserver(/evaluation/unsubscribe/\S+/)", to_amara[0])
        assert link is not None

        # Amara follows the link and stops the reminders; the next scheduled runs honour it.
        page.goto(link.group(1))
        page.get_by_role("button", name="Stop the reminders").click()
        assert ReminderOptOut.objects.filter(user=amara, programme=world.programme).exists()
        Nudge.objects.all().delete()
        assert wait_until(lambda: (bilal.pk, Nudge.Kind.MEETING) in sent())
        # Two more runs finish in the worker: at least one ran wholly after Bilal's reminder.
        runs = finished_nudge_runs(celery_worker)
        assert wait_until(lambda: finished_nudge_runs(celery_worker) >= runs + 2)
        assert not Nudge.objects.filter(user=amara).exists()
