"""A nightly run killed half way and run again the same day sends each email once: the record of
each email is written as soon as it is sent, not at the end of a batch."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test import override_settings

from evaluation import services
from evaluation.models import Reminder
from tests.evaluation.test_wave_schedule_queries import START, programme_of

pytestmark = pytest.mark.django_db

PEERS = 40
DUE = (PEERS - 2) + PEERS // 2  # see programme_of
KILLED_AFTER = 25


class WorkerKilled(BaseException):
    """The worker is killed (kill -9, out of memory): nothing more runs in it."""


class DyingBackend(EmailBackend):
    """The mail server takes KILLED_AFTER messages; the worker dies while sending the next."""

    dying: ClassVar[bool] = True
    dead: ClassVar[bool] = False

    def send_messages(self, messages: Any) -> int:
        if type(self).dying and len(mail.outbox) >= KILLED_AFTER:
            type(self).dead = True
            raise WorkerKilled
        return super().send_messages(messages)


def dead_after_kill(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    """A killed worker writes nothing more: no statement runs once it died."""
    if DyingBackend.dead:
        raise WorkerKilled
    return execute(sql, params, many, context)


@override_settings(EMAIL_BACKEND="tests.evaluation.test_wave_schedule_crash.DyingBackend")
def test_a_run_killed_half_way_and_retried_the_same_day_sends_each_email_once() -> None:
    programme_of(PEERS)
    mail.outbox.clear()
    DyingBackend.dying, DyingBackend.dead = True, False
    try:
        with connection.execute_wrapper(dead_after_kill), pytest.raises(WorkerKilled):
            services.run_wave_schedule(today=START)
        assert len(mail.outbox) == KILLED_AFTER
        # Every email that went out before the kill is on record.
        assert Reminder.objects.filter(sent_on=START).count() == KILLED_AFTER

        # A fresh worker retries the job the same day.
        DyingBackend.dying, DyingBackend.dead = False, False
        counts = services.run_wave_schedule(today=START)
    finally:
        DyingBackend.dying, DyingBackend.dead = True, False
    assert counts["emails"] == DUE - KILLED_AFTER
    assert len(mail.outbox) == DUE
    sent = [(message.to[0], message.body) for message in mail.outbox]
    assert len(set(sent)) == DUE  # nobody got the same email twice
    assert Reminder.objects.filter(sent_on=START).count() == DUE
