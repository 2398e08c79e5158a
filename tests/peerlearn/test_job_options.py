"""The long jobs (a matching run, an export file) share one set of Celery options, chosen on
purpose: acknowledged when they end, not handed to another worker when theirs died, retried
with backoff when the database or the network fails."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from evaluation.tasks import write_export
from matching.tasks import execute_matching_run
from peerlearn.jobs import LONG_JOB


@pytest.mark.parametrize("task", [execute_matching_run, write_export], ids=lambda t: t.name)
def test_each_long_job_runs_with_the_shared_options(task: object) -> None:
    assert LONG_JOB["acks_late"] is True
    assert LONG_JOB["reject_on_worker_lost"] is False
    assert OperationalError in LONG_JOB["autoretry_for"]
    for option, value in LONG_JOB.items():
        assert getattr(task, option) == value, option


def test_the_matching_run_keeps_its_time_limits() -> None:
    from django.conf import settings

    limit = settings.MATCHING_RUN_TIME_LIMIT_SECONDS
    assert execute_matching_run.soft_time_limit == limit
    assert execute_matching_run.time_limit == limit + 60
