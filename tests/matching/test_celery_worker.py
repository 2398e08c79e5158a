"""A matching run and the nightly late-joiner job executed by a real Celery worker (Redis)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from matching import engine, services
from matching.models import MatchingRun
from tests.conftest import World
from tests.matching.factories import add_peers, theme_by_statement
from tests.servicekit import CeleryWorker

pytestmark = pytest.mark.service


def wait_until(predicate: Callable[[], bool], timeout: float = 90.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_worker_runs_matching_and_places_late_joiners(
    celery_worker: CeleryWorker, world: World
) -> None:
    add_peers(world.cohort, 11)
    theme_by_statement(services.ensure_survey(cohort=world.cohort))
    run = MatchingRun.objects.create(
        cohort=world.cohort,
        strategy="problem",
        options=engine.Options(seed=5).to_dict(),
    )
    celery_worker.send("matching.tasks.execute_matching_run", run.pk)

    def done() -> bool:
        run.refresh_from_db()
        return run.status == MatchingRun.Status.DONE

    assert wait_until(done), celery_worker.log.read_text()[-3000:]
    assert run.progress == 1.0 and run.groups.count() == 2
    assert run.members.count() == 11

    services.publish_run(run=run, published_by=world.facilitator, confirmed=True)
    late = add_peers(world.cohort, 1, prefix="late")[0]
    celery_worker.send("matching.tasks.place_late_joiners_nightly")
    assert wait_until(lambda: run.members.filter(user=late).exists()), (
        celery_worker.log.read_text()[-3000:]
    )
    assert run.members.count() == 12
