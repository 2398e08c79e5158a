"""Matching runs when things go wrong: the broker is down, the worker dies mid-run, storing the
result fails, or the numbers asked for are absurd."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import DataError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matching import engine, services
from matching.models import MatchingRun
from matching.services import runs
from tests.conftest import World
from tests.matching.factories import add_peers, theme_by_statement
from tests.servicekit import broker_unreachable

pytestmark = pytest.mark.django_db


def _ready(world: World, count: int = 12) -> None:
    add_peers(world.cohort, count)
    theme_by_statement(services.ensure_survey(cohort=world.cohort))


def _new_run_url(world: World) -> str:
    return reverse("matching:run_new", args=[world.programme.pk, world.cohort.pk])


RUN_FORM = {
    "strategy": "problem",
    "weight_problem": "1",
    "weight_role": "0",
    "weight_task": "0",
    "weight_context": "0",
    "min_size": "5",
    "max_size": "6",
    "seed": "0",
    "one_per_organisation": "on",
}


def test_a_run_started_while_the_broker_is_down_waits_and_starts_when_it_is_back(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _ready(world)
    client.force_login(world.facilitator)
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(_new_run_url(world), RUN_FORM)
    assert response.status_code == 302
    run = MatchingRun.objects.get()
    assert run.status == MatchingRun.Status.QUEUED and run.dispatched_at is None
    page = client.get(response["Location"]).content.decode()
    assert "Waiting to start" in page
    assert "starts by itself" in page

    # The sweep leaves a run alone for its first minute (it is being handed over) ...
    assert services.queue_waiting_runs() == 0
    # ... and while the broker is still down it hands over nothing.
    later = timezone.now() + timedelta(minutes=2)
    with broker_unreachable():
        assert services.queue_waiting_runs(now=later) == 0
    run.refresh_from_db()
    assert run.is_waiting
    # Once the broker answers, the next sweep queues it (here the task runs at once).
    assert services.queue_waiting_runs(now=later) == 1
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.DONE and run.dispatched_at is not None
    assert run.groups.count() == 2
    assert services.queue_waiting_runs(now=later + timedelta(hours=1)) == 0  # nothing waits


def test_the_api_starts_a_run_while_the_broker_is_down(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _ready(world)
    client.force_login(world.facilitator)
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("matching-run-list"),
            {"cohort": world.cohort.pk, "strategy": "problem"},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "queued"
    assert MatchingRun.objects.get().is_waiting


def test_a_run_handed_over_long_ago_that_never_started_is_handed_over_again(
    world: World,
) -> None:
    _ready(world)
    run = services.start_run(
        cohort=world.cohort, created_by=world.facilitator, options=engine.Options(seed=1)
    )
    now = timezone.now()
    MatchingRun.objects.filter(pk=run.pk).update(dispatched_at=now - timedelta(minutes=5))
    assert services.queue_waiting_runs(now=now) == 0  # recently handed over: still in the queue
    MatchingRun.objects.filter(pk=run.pk).update(dispatched_at=now - timedelta(hours=2))
    assert services.queue_waiting_runs(now=now) == 1
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.DONE


def _running(world: World, *, last_sign: timedelta, **extra: Any) -> MatchingRun:
    now = timezone.now()
    return MatchingRun.objects.create(
        cohort=world.cohort,
        strategy="problem",
        options=engine.Options(seed=3).to_dict(),
        status=MatchingRun.Status.RUNNING,
        progress=0.13,
        started_at=now - timedelta(hours=1),
        heartbeat_at=now - last_sign,
        dispatched_at=now - timedelta(hours=1),
        **extra,
    )


def test_the_reaper_fails_a_run_whose_worker_died_and_the_facilitator_runs_it_again(
    world: World, client: Client
) -> None:
    _ready(world)
    dead = _running(world, last_sign=timedelta(minutes=6))
    alive = _running(world, last_sign=timedelta(seconds=20))
    done = _running(world, last_sign=timedelta(hours=3))
    MatchingRun.objects.filter(pk=done.pk).update(status=MatchingRun.Status.DONE)

    assert services.fail_stalled_runs() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    done.refresh_from_db()
    assert dead.status == MatchingRun.Status.FAILED and dead.finished_at is not None
    assert "stopped without finishing" in dead.error
    assert alive.status == MatchingRun.Status.RUNNING
    assert done.status == MatchingRun.Status.DONE
    assert services.fail_stalled_runs() == 0  # idempotent

    client.force_login(world.facilitator)
    page = client.get(reverse("matching:run_detail", args=[world.programme.pk, dead.pk]))
    body = page.content.decode()
    assert "stopped without finishing" in body
    assert 'id="run-progress" hx-get' not in body  # the page stops polling
    assert reverse("matching:run_retry", args=[world.programme.pk, dead.pk]) in body
    alive_page = client.get(reverse("matching:run_progress", args=[world.programme.pk, alive.pk]))
    assert "hx-get" in alive_page.content.decode()  # a live run is still followed

    response = client.post(reverse("matching:run_retry", args=[world.programme.pk, dead.pk]))
    assert response.status_code == 302
    again = MatchingRun.objects.exclude(pk__in=[dead.pk, alive.pk, done.pk]).get()
    assert response["Location"] == reverse(
        "matching:run_detail", args=[world.programme.pk, again.pk]
    )
    assert again.options == dead.options and again.cohort_id == dead.cohort_id
    assert again.created_by == world.facilitator


def test_only_a_failed_run_is_run_again(world: World, client: Client) -> None:
    running = _running(world, last_sign=timedelta(seconds=1))
    client.force_login(world.facilitator)
    response = client.post(
        reverse("matching:run_retry", args=[world.programme.pk, running.pk]), follow=True
    )
    assert "Only a run that failed can be run again." in response.content.decode()
    assert MatchingRun.objects.count() == 1


def test_a_run_the_reaper_gave_up_on_does_not_store_a_late_result(world: World) -> None:
    _ready(world)
    run = services.start_run(cohort=world.cohort, created_by=None, options=engine.Options(seed=1))

    def reaped_meanwhile(fraction: float) -> None:
        if fraction >= 1.0:
            MatchingRun.objects.filter(pk=run.pk).update(status=MatchingRun.Status.FAILED)

    assert services.execute_run(run_id=run.pk, progress=reaped_meanwhile) is False
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.FAILED and run.groups.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_running_run_shows_a_sign_of_life_while_the_engine_is_busy(world: World) -> None:
    run = _running(world, last_sign=timedelta(hours=1))
    before = run.heartbeat_at
    assert before is not None
    with runs._Heartbeat(run.pk, every=0.01):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.heartbeat_at and run.heartbeat_at > before:
                break
            time.sleep(0.01)
    assert run.heartbeat_at is not None and run.heartbeat_at > before


def test_a_failure_while_storing_the_result_fails_the_run_with_the_reason(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ready(world)
    run = services.start_run(cohort=world.cohort, created_by=None, options=engine.Options(seed=1))

    def refused(*args: Any) -> None:
        raise DataError('Token "Infinity" is invalid.')

    monkeypatch.setattr(runs, "_store_groups", refused)
    with pytest.raises(DataError):
        services.execute_run(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.FAILED
    assert "Infinity" in run.error
    assert run.finished_at is not None


HUGE = {"weight_problem": "1e308", "weight_role": "1e308", "weight_task": "0"}


@pytest.mark.parametrize(
    "changes",
    [
        {"strategy": "hybrid", **HUGE},
        {"strategy": "hybrid", "weight_problem": "101"},
        {"max_size": "100000"},
        {"seed": str(10**20)},
        {"max_per_country": "99999999999"},
    ],
    ids=["infinite weights", "weight over 100", "huge group", "huge seed", "huge country cap"],
)
def test_absurd_numbers_are_refused_on_the_page_and_no_run_is_made(
    world: World, client: Client, changes: dict[str, str]
) -> None:
    _ready(world)
    client.force_login(world.facilitator)
    response = client.post(_new_run_url(world), {**RUN_FORM, **changes})
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to" in response.content.decode()
    assert MatchingRun.objects.count() == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"strategy": "hybrid", "weights": {"problem": 1e308, "role": 1e308}},
        {"strategy": "hybrid", "weights": {"problem": 1000}},
        {"min_size": 2, "max_size": 10**9},
        {"seed": 10**30},
        {"max_per_country": 10**12},
    ],
    ids=["infinite weights", "weight over 100", "huge group", "huge seed", "huge country cap"],
)
def test_absurd_numbers_are_refused_by_the_api_and_no_run_is_made(
    world: World, client: Client, changes: dict[str, Any]
) -> None:
    _ready(world)
    client.force_login(world.facilitator)
    response = client.post(
        reverse("matching-run-list"),
        {"cohort": world.cohort.pk, **changes},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "less than or equal to" in response.content.decode()
    assert MatchingRun.objects.count() == 0


def test_the_engine_refuses_weights_that_are_not_finite() -> None:
    with pytest.raises(ValueError, match="numbers"):
        engine.Options(strategy="hybrid", weights={"problem": float("inf")})
    with pytest.raises(ValueError, match="at most"):
        engine.Options(strategy="hybrid", weights={"problem": 1e308})
    with pytest.raises(ValueError):
        engine.Options(effort=float("nan"))
