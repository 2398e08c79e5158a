"""Publication emails are a background job queued once the publication commits: each peer is
emailed exactly once, however many times the job runs, and an email the mail server refused
for a while goes out when the job is tried again."""

from __future__ import annotations

import smtplib
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail as outbox
from django.utils import timezone

from matching import services, tasks
from matching.models import MatchingRun, PublicationNotice
from peerlearn import freshness, mail
from tests.conftest import World
from tests.matching.factories import add_peers, finished_run, theme_by_statement
from tests.servicekit import broker_unreachable


def _jobs(callbacks: list[Any]) -> list[Any]:
    """The work queued on commit, without the data-version bumps of the tables written."""
    return [callback for callback in callbacks if not freshness.is_version_bump(callback)]


def _ready(world: World) -> None:
    add_peers(world.cohort, 12)
    theme_by_statement(services.ensure_survey(cohort=world.cohort))


def _published(world: World, capture: Any, *, execute: bool) -> tuple[MatchingRun, list[str]]:
    _ready(world)
    run = finished_run(world.cohort)
    with capture(execute=execute) as callbacks:
        services.publish_run(run=run, published_by=world.facilitator, confirmed=True)
    assert len(_jobs(callbacks)) == 1  # the job, queued once the publication commits
    addresses = list(run.members.values_list("user__email", flat=True))
    return run, addresses


def _sent_to() -> Counter[str]:
    return Counter(message.to[0] for message in outbox.outbox)


def test_no_email_leaves_before_the_publication_commits(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    run, addresses = _published(world, django_capture_on_commit_callbacks, execute=False)
    assert outbox.outbox == []
    assert not PublicationNotice.objects.filter(run=run, emailed_at__isnull=False).exists()
    assert len(addresses) == 12


def test_each_peer_gets_one_email_even_when_the_job_runs_twice(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    run, addresses = _published(world, django_capture_on_commit_callbacks, execute=True)
    assert _sent_to() == Counter(addresses)
    # The job delivered again (a worker lost its acknowledgement), and once more by hand.
    assert tasks.send_publication_emails.delay(run.pk).get() == 0
    assert tasks.send_publication_emails.apply(args=(run.pk,)).get() == 0
    assert _sent_to() == Counter(addresses)
    assert all(count == 1 for count in _sent_to().values())


def test_a_refused_email_is_sent_when_the_job_runs_again_and_no_one_gets_two(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ready(world)
    run = finished_run(world.cohort)
    addresses = sorted(run.members.values_list("user__email", flat=True))
    busy = addresses[3]
    real_send = mail.send_email

    def server_busy_for_one(**kwargs: Any) -> None:
        if kwargs["to"].email == busy:
            raise smtplib.SMTPServerDisconnected("the server closed the connection")
        real_send(**kwargs)

    monkeypatch.setattr(mail, "send_email", server_busy_for_one)
    with django_capture_on_commit_callbacks() as callbacks:
        services.publish_run(run=run, published_by=world.facilitator, confirmed=True)
    # The job meets the busy server: the others are emailed, and the failure is raised so that
    # Celery tries the job again later.
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.send_publication_emails(run_id=run.pk)
    assert len(_jobs(callbacks)) == 1
    assert sorted(_sent_to()) == [a for a in addresses if a != busy]
    notice = PublicationNotice.objects.get(run=run, user__email=busy)
    assert notice.emailed_at is None  # its claim was rolled back with the failed send
    monkeypatch.setattr(mail, "send_email", real_send)
    assert services.send_publication_emails(run_id=run.pk) == 1
    assert services.send_publication_emails(run_id=run.pk) == 0
    assert _sent_to() == Counter(addresses)


def test_emails_queued_while_the_broker_was_down_are_sent_by_the_sweep(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _ready(world)
    run = finished_run(world.cohort)
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        services.publish_run(run=run, published_by=world.facilitator, confirmed=True)
    run.refresh_from_db()
    assert run.published_at is not None and outbox.outbox == []
    now = timezone.now()
    assert services.queue_waiting_publication_emails(now=now) == 0  # still being handed over
    later = now + timedelta(minutes=15)
    with broker_unreachable():
        assert services.queue_waiting_publication_emails(now=later) == 0
    assert outbox.outbox == []
    assert services.queue_waiting_publication_emails(now=later) == 1  # the job runs at once here
    addresses = list(run.members.values_list("user__email", flat=True))
    assert _sent_to() == Counter(addresses)
    assert services.queue_waiting_publication_emails(now=later) == 0  # nothing waits now


def test_the_sweep_gives_up_on_runs_published_long_ago(world: World) -> None:
    _ready(world)
    run = finished_run(world.cohort)
    MatchingRun.objects.filter(pk=run.pk).update(published_at=timezone.now() - timedelta(days=3))
    PublicationNotice.objects.bulk_create(
        [
            PublicationNotice(run=run, group_id=group_id, user_id=user_id)
            for user_id, group_id in run.members.values_list("user_id", "group_id")
        ]
    )
    assert services.queue_waiting_publication_emails() == 0
    MatchingRun.objects.filter(pk=run.pk).update(published_at=timezone.now() - timedelta(hours=1))
    assert services.queue_waiting_publication_emails() == 1
    assert len(outbox.outbox) == 12
