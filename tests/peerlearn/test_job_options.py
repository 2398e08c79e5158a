"""The tasks share a few sets of Celery options (``peerlearn.jobs``). The long jobs (a matching
run, an export file) are acknowledged when they end, not handed to another worker when theirs
died, retried with backoff when the database or the network fails; the email jobs retry when the
mail server refuses for now; the sweeps retry quickly."""

from __future__ import annotations

from smtplib import SMTPException, SMTPRecipientsRefused, SMTPServerDisconnected
from typing import Any

import pytest
from django.db import OperationalError

from evaluation.tasks import write_export
from matching.tasks import execute_matching_run
from peerlearn.jobs import BACKGROUND_TASK, EMAIL_TASK, LONG_JOB, SWEEP_TASK


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


# Every task of the project uses one of the shared option sets of ``peerlearn.jobs``; the email
# jobs use EMAIL_TASK, so that they all try again when the mail server refuses for now.

# LONG_JOB first: its options are BACKGROUND_TASK's and more.
SHARED_SETS = {
    "LONG_JOB": LONG_JOB,
    "EMAIL_TASK": EMAIL_TASK,
    "BACKGROUND_TASK": BACKGROUND_TASK,
    "SWEEP_TASK": SWEEP_TASK,
}
RETRY_OPTIONS = ("autoretry_for", "retry_backoff", "retry_backoff_max", "max_retries")

EMAIL_TASKS = [
    "diffusion.tasks.send_feedback_link",
    "diffusion.tasks.send_plan_notice",
    "diffusion.tasks.send_sponsor_report",
    "evaluation.tasks.run_wave_schedule",
    "evaluation.tasks.send_comparison_invitation",
    "evaluation.tasks.send_wave_email_task",
    "group_life.tasks.email_discussion_notification",
    "group_life.tasks.send_discussion_digests",
    "group_life.tasks.send_group_life_nudges",
    "matching.tasks.send_intake_reminders",
    "matching.tasks.send_publication_emails",
    "peerlearn.users.tasks.build_data_export",
    "peerlearn.users.tasks.tell_facilitators_of_erasure",
    "programmes.tasks.apply_retention",
    "programmes.tasks.send_invitation_email",
]


def project_tasks() -> dict[str, Any]:
    from peerlearn.celery import app

    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def options_of(task: Any) -> dict[str, Any]:
    return {option: getattr(task, option) for option in RETRY_OPTIONS}


def shared_set_of(task: Any) -> str | None:
    """The name of the first shared set whose every option the task has."""
    for name, options in SHARED_SETS.items():
        assert set(RETRY_OPTIONS) <= set(options), name
        if all(getattr(task, option) == value for option, value in options.items()):
            return name
    return None


def test_the_project_tasks_are_found() -> None:
    tasks = project_tasks()
    assert set(EMAIL_TASKS) <= set(tasks)
    assert "matching.tasks.queue_waiting_runs" in tasks
    assert len(tasks) > len(EMAIL_TASKS) + 10


def test_every_task_runs_with_one_of_the_shared_option_sets() -> None:
    drifting = {
        name: options_of(task)
        for name, task in project_tasks().items()
        if shared_set_of(task) is None
    }
    assert drifting == {}


@pytest.mark.parametrize("name", EMAIL_TASKS)
def test_every_email_task_retries_on_a_mail_server_error_with_the_email_options(name: str) -> None:
    task = project_tasks()[name]
    assert shared_set_of(task) == "EMAIL_TASK"
    assert issubclass(SMTPServerDisconnected, task.autoretry_for)
    assert issubclass(SMTPRecipientsRefused, task.autoretry_for)
    assert task.max_retries == EMAIL_TASK["max_retries"] > 0


def test_a_task_that_retries_on_mail_errors_is_listed_as_an_email_task() -> None:
    retrying = {
        name
        for name, task in project_tasks().items()
        if issubclass(SMTPException, tuple(task.autoretry_for or ()))
    }
    assert retrying == set(EMAIL_TASKS)


def test_the_sweeps_retry_within_the_minute_between_two_sweeps() -> None:
    tasks = project_tasks()
    sweeps = [name for name in tasks if ".queue_waiting_" in name or "sweep" in name]
    assert len(sweeps) >= 7
    for name in sweeps:
        assert shared_set_of(tasks[name]) == "SWEEP_TASK", name
    assert SWEEP_TASK["retry_backoff_max"] <= 60


def test_an_email_task_is_tried_again_when_the_mail_server_refuses_for_now() -> None:
    from unittest import mock

    from celery.exceptions import Retry

    from programmes import tasks

    task = tasks.send_invitation_email
    refused = SMTPServerDisconnected("closed")
    with mock.patch.object(tasks.invitations, "send_invitation_email", side_effect=refused):
        with pytest.raises(Retry) as retry:
            task.apply(args=(1,), retries=EMAIL_TASK["max_retries"] - 1)
        assert retry.value.exc is refused
        # After the last retry the error is raised: the invitation waits for the sweep.
        with pytest.raises(SMTPServerDisconnected):
            task.apply(args=(1,), retries=EMAIL_TASK["max_retries"])
