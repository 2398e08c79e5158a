"""Pages of matching: who may change themes, the progress bar, comparison, API scope."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from matching import engine, services
from matching.models import MatchingRun, Theme
from tests.conftest import World
from tests.matching.factories import add_peers, finished_run, theme_by_statement

pytestmark = pytest.mark.django_db


def _theme_url(w: World, name: str, *ids: int) -> str:
    return reverse(f"matching:{name}", args=[w.programme.pk, w.cohort.pk, *ids])


def test_peer_cannot_change_themes_and_manager_only_reads(world: World, client: Client) -> None:
    url = reverse("matching:themes", args=[world.programme.pk, world.cohort.pk])
    client.force_login(world.manager)
    assert client.get(url).status_code == 200
    assert client.post(_theme_url(world, "themes_accept")).status_code == 403
    client.force_login(world.peer)
    assert client.post(_theme_url(world, "themes_accept")).status_code == 403


def test_progress_bar_polls_until_done(world: World, client: Client) -> None:
    add_peers(world.cohort, 6)
    run = MatchingRun.objects.create(
        cohort=world.cohort, strategy="problem", options=engine.Options().to_dict(), progress=0.4
    )
    client.force_login(world.facilitator)
    url = reverse("matching:run_progress", args=[world.programme.pk, run.pk])
    body = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'role="progressbar"' in body and 'aria-valuenow="40"' in body
    assert 'hx-trigger="every 1s"' in body
    services.execute_run(run_id=run.pk)
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    assert 'aria-valuenow="100"' in response.content.decode()


def test_runs_side_by_side(world: World, client: Client) -> None:
    add_peers(world.cohort, 12)
    theme_by_statement(services.ensure_survey(cohort=world.cohort))
    first = finished_run(world.cohort)
    second = finished_run(world.cohort, strategy="task")
    client.force_login(world.facilitator)
    url = reverse("matching:run_compare", args=[world.programme.pk])
    body = client.get(f"{url}?runs={first.pk}&runs={second.pk}").content.decode()
    assert f"Run {first.pk}" in body and f"Run {second.pk}" in body
    assert "task" in body and "problem" in body


def test_api_themes_hidden_from_peers_and_other_programmes(world: World, client: Client) -> None:
    add_peers(world.cohort, 4)
    survey = services.ensure_survey(cohort=world.cohort)
    Theme.objects.create(survey=survey, name="Procurement")
    for user, expected in ((world.facilitator, 1), (world.peer, 0), (world.outsider, 0)):
        client.force_login(user)
        assert client.get(reverse("matching-theme-list")).json()["count"] == expected


def test_nightly_job_is_scheduled() -> None:
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "matching.tasks.place_late_joiners_nightly" in tasks


def test_leave_shows_replacements_and_lock_toggles(world: World, client: Client) -> None:
    from matching.models import GroupMember, GroupMove

    peers = add_peers(world.cohort, 13)
    theme_by_statement(services.ensure_survey(cohort=world.cohort))
    run = finished_run(world.cohort)
    client.force_login(world.facilitator)
    lock = reverse("matching:run_lock", args=[world.programme.pk, run.pk])
    response = client.post(lock, {"user_id": peers[2].pk, "locked": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "locked" in response.content.decode()
    assert GroupMember.objects.get(run=run, user=peers[2]).locked
    services.publish_run(run=run, published_by=world.facilitator)
    leave = reverse("matching:run_leave", args=[world.programme.pk, run.pk])
    refused = client.post(leave, {"user_id": peers[0].pk, "reason": ""}, follow=True)
    assert "Please give the reason" in refused.content.decode()
    response = client.post(leave, {"user_id": peers[0].pk, "reason": "Left post"}, follow=True)
    assert response.status_code == 200
    assert "Who could join group" in response.content.decode()
    assert GroupMove.objects.get(run=run, user=peers[0]).kind == GroupMove.Kind.LEFT
    assert not GroupMember.objects.filter(run=run, user=peers[0]).exists()


def test_programme_page_links_to_matching_by_role(world: World, client: Client) -> None:
    url = reverse("programmes:detail", args=[world.programme.pk])
    link = reverse("matching:overview", args=[world.programme.pk])
    for user, shown in ((world.facilitator, True), (world.peer, True), (world.sponsor, False)):
        client.force_login(user)
        assert (f'href="{link}"' in client.get(url).content.decode()) is shown
