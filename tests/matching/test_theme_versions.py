"""Proposals run as jobs with progress; proposing again never replaces edited themes without
confirmation; versions are kept, compared and brought back; guided themes; names in the
facilitator's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matching import services, themes
from matching.models import Challenge, ThemeSet
from programmes.models import WorkingGroup
from tests.conftest import World
from tests.matching.factories import add_multilingual_peers, add_peers

pytestmark = pytest.mark.django_db


def _url(w: World, name: str, *ids: int) -> str:
    return reverse(f"matching:{name}", args=[w.programme.pk, w.cohort.pk, *ids])


def _members(survey: Any) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {t.name: set() for t in survey.themes.all()}
    for challenge in Challenge.objects.filter(response__survey=survey, theme__isnull=False):
        out[challenge.theme.name].add(challenge.pk)
    return out


def test_propose_runs_as_a_job_with_progress_then_fills_an_empty_cohort(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    add_multilingual_peers(world.cohort, 6)
    survey = services.ensure_survey(cohort=world.cohort)
    client.force_login(world.facilitator)
    # Queued, not run in the request: the page shows its progress, polled with HTMX.
    response = client.post(_url(world, "themes_propose"), {"count": "3"}, follow=True)
    assert "Themes are being proposed" in response.content.decode()
    proposal = ThemeSet.objects.get(survey=survey)
    assert proposal.status == ThemeSet.Status.QUEUED and proposal.parameters["count"] == 3
    assert survey.themes.count() == 0
    page = client.get(_url(world, "themes")).content.decode()
    progress = _url(world, "theme_progress", proposal.pk)
    assert f'hx-get="{progress}"' in page and 'role="progressbar"' in page
    refused = client.post(_url(world, "themes_propose"), {"count": "3"}, follow=True)
    assert "already being proposed" in refused.content.decode()
    # The job runs (as the worker would) and writes its progress as it goes.
    seen: list[float] = []
    assert services.execute_proposal(set_id=proposal.pk, progress=seen.append)
    assert seen and seen[-1] >= 0.9 and seen == sorted(seen)
    assert not services.execute_proposal(set_id=proposal.pk)  # idempotent
    response = client.get(progress, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    proposal.refresh_from_db()
    survey.refresh_from_db()
    # Nothing to lose: the first proposal becomes the themes in use at once.
    assert proposal.status == ThemeSet.Status.SAVED and survey.current_set_id == proposal.pk
    assert survey.themes.count() == 3
    assert sum(len(m) for m in _members(survey).values()) == 18


def test_a_proposal_asked_for_while_the_broker_is_down_runs_once_it_is_back(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from matching.services import theme_versions
    from tests.servicekit import broker_unreachable

    add_multilingual_peers(world.cohort, 6)
    survey = services.ensure_survey(cohort=world.cohort)
    client.force_login(world.facilitator)
    with broker_unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(world, "themes_propose"), {"count": "3"})
    assert response.status_code == 302
    proposal = ThemeSet.objects.get(survey=survey)
    assert proposal.status == ThemeSet.Status.QUEUED and proposal.dispatched_at is None

    later = timezone.now() + timedelta(minutes=2)
    with broker_unreachable():
        assert theme_versions.queue_waiting_proposals(now=later) == 0
    assert theme_versions.queue_waiting_proposals(now=later) == 1
    proposal.refresh_from_db()
    assert proposal.status == ThemeSet.Status.SAVED and survey.themes.count() == 3
    assert theme_versions.queue_waiting_proposals(now=later + timedelta(minutes=20)) == 0


def test_propose_again_keeps_edits_until_confirmed_and_can_go_back(
    world: World, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    add_multilingual_peers(world.cohort, 6)
    survey = services.ensure_survey(cohort=world.cohort)
    first = services.propose_now(survey=survey, by=world.facilitator, count=3)
    client.force_login(world.facilitator)
    a, b, c = list(survey.themes.order_by("name"))
    client.post(_url(world, "theme_rename", a.pk), {"name": "Buying well"})
    client.post(_url(world, "themes_merge"), {"source": b.pk, "target": c.pk})
    edited = _members(survey)
    assert "Buying well" in edited and len(edited) == 2

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(world, "themes_propose"), {"count": "3"})
    second = ThemeSet.objects.get(survey=survey, number=first.number + 1)
    assert second.status == ThemeSet.Status.READY
    page = client.get(_url(world, "themes")).content.decode()
    assert "The themes in use stay as they are until you compare and confirm." in page
    assert _url(world, "theme_version", second.pk) in page
    assert _members(survey) == edited  # nothing replaced yet

    compare = client.get(_url(world, "theme_version", second.pk)).content.decode()
    assert "What would change" in compare
    assert "Buying well" in compare  # renamed back to the proposed name
    assert "Statements that would move" in compare
    revision = survey.__class__.objects.get(pk=survey.pk).themes_revision

    apply = _url(world, "theme_version_apply", second.pk)
    refused = client.post(apply, {"revision": revision})
    assert refused.status_code == 400
    assert "Tick the box to confirm" in refused.content.decode()
    assert _members(survey) == edited
    stale = client.post(apply, {"revision": revision - 1, "confirm": "yes"})
    assert "changed since you compared" in stale.content.decode()
    assert _members(survey) == edited
    for odd in ("²", "9" * 30, ""):
        refused = client.post(apply, {"revision": odd, "confirm": "yes"})
        assert refused.status_code == 400
        assert "Compare the themes again before replacing them." in refused.content.decode()
    assert _members(survey) == edited

    response = client.post(apply, {"revision": revision, "confirm": "yes"}, follow=True)
    assert "The themes in use are now version" in response.content.decode()
    survey.refresh_from_db()
    assert survey.current_set_id == second.pk and not survey.themes_edited
    assert len(_members(survey)) == 3
    curated = ThemeSet.objects.get(survey=survey, kind=ThemeSet.Kind.CURATED)
    assert curated.created_by == world.facilitator and curated.status == ThemeSet.Status.SAVED
    assert {t["name"] for t in curated.themes} == set(edited)

    # Back to the curated version, the same way: compare, confirm.
    client.post(
        _url(world, "theme_version_apply", curated.pk),
        {"revision": survey.themes_revision, "confirm": "yes"},
    )
    assert _members(survey) == edited
    survey.refresh_from_db()
    assert survey.current_set_id == curated.pk
    # The unedited proposal it replaced is still a version: no new copy was made.
    assert ThemeSet.objects.filter(survey=survey, kind=ThemeSet.Kind.CURATED).count() == 1
    versions = client.get(_url(world, "themes")).content.decode()
    for number in (first.number, second.number, curated.number):
        assert f"Compare version {number}" in versions


def test_a_proposal_can_be_set_aside_and_a_failed_one_says_why(
    world: World, client: Client
) -> None:
    add_peers(world.cohort, 4)
    survey = services.ensure_survey(cohort=world.cohort)
    services.propose_now(survey=survey, by=world.facilitator, count=2)
    before = _members(survey)
    client.force_login(world.facilitator)
    client.post(_url(world, "themes_propose"), {})
    waiting = ThemeSet.objects.filter(survey=survey).order_by("-number").first()
    assert waiting is not None and waiting.status == ThemeSet.Status.QUEUED
    response = client.post(_url(world, "theme_version_discard", waiting.pk), follow=True)
    assert "Proposal set aside" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == ThemeSet.Status.DISCARDED
    assert not services.execute_proposal(set_id=waiting.pk)  # a stopped proposal never runs
    assert _members(survey) == before
    again = client.post(_url(world, "theme_version_discard", waiting.pk), follow=True)
    assert "Only a proposal that was not used" in again.content.decode()
    # A proposal whose statements are all gone fails with a reason on the page.
    client.post(_url(world, "themes_propose"), {})
    failing = ThemeSet.objects.filter(survey=survey).order_by("-number").first()
    assert failing is not None
    Challenge.objects.filter(response__survey=survey).delete()
    assert not services.execute_proposal(set_id=failing.pk)
    page = client.get(_url(world, "themes")).content.decode()
    assert "No challenge statements yet" in page


def test_bad_counts_are_refused_with_what_was_typed(world: World, client: Client) -> None:
    add_peers(world.cohort, 2)
    client.force_login(world.facilitator)
    for value, message in (
        ("51", "less than or equal to 50"),
        ("x", "Enter a whole number"),
        ("7", "There are 6 statements"),
    ):
        response = client.post(_url(world, "themes_propose"), {"count": value})
        assert response.status_code == 400
        body = response.content.decode()
        assert message in body and f'value="{value}"' in body
    assert not ThemeSet.objects.exists()


def test_guided_themes_start_from_the_working_groups(world: World, client: Client) -> None:
    add_multilingual_peers(world.cohort, 6)
    WorkingGroup.objects.create(
        cohort=world.cohort, name="Public procurement", component="Tenders and bidders"
    )
    WorkingGroup.objects.create(cohort=world.cohort, name="Payroll", component="Ghost workers")
    client.force_login(world.facilitator)
    page = client.get(_url(world, "themes")).content.decode()
    assert "Payroll: Ghost workers\nPublic procurement: Tenders and bidders</textarea>" in page

    guided = _url(world, "themes_propose_guided")
    bad = "Payroll: wages\n: no name\npayroll: again"
    response = client.post(guided, {"seeds": bad})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 2 has no theme name" in body
    assert "payroll: again</textarea>" in body  # what was typed is still there
    response = client.post(guided, {"seeds": "Payroll: wages\npayroll: again"})
    assert "Line 2 repeats the theme" in response.content.decode()
    assert not ThemeSet.objects.exists()

    seeds = "Public procurement: tenders and bidders\nPayroll: ghost workers and wages"
    client.post(guided, {"seeds": seeds, "new_count": "1"})
    proposal = ThemeSet.objects.get()
    assert proposal.parameters["seeds"][1] == {
        "name": "Payroll",
        "description": "ghost workers and wages",
    }
    services.execute_proposal(set_id=proposal.pk)
    proposal.refresh_from_db()
    names = [t["name"] for t in proposal.themes]
    assert names[:2] == ["Public procurement", "Payroll"]
    assert [t["seed"] for t in proposal.themes[:2]] == [0, 1]
    survey = services.ensure_survey(cohort=world.cohort)
    members = _members(survey)
    procurement_texts = set(
        Challenge.objects.filter(pk__in=members["Public procurement"]).values_list(
            "text", flat=True
        )
    )
    assert "Most tenders attract a single bidder and prices are high" in procurement_texts
    assert "На большинство закупок подаётся только одна заявка" in procurement_texts


def test_theme_names_are_in_the_facilitators_language(world: World, client: Client) -> None:
    add_multilingual_peers(world.cohort, 6)
    client.force_login(world.facilitator)
    client.cookies["django_language"] = "fr"
    client.post(_url(world, "themes_propose"), {"count": "3"})
    proposal = ThemeSet.objects.get()
    assert proposal.parameters["language"] == "fr"
    services.execute_proposal(set_id=proposal.pk)
    names = set(services.ensure_survey(cohort=world.cohort).themes.values_list("name", flat=True))
    lexicon = themes.lexicon.default_lexicon()
    french = {str(c.labels.get("fr")) for c in lexicon.concepts.values()}
    english = {str(c.labels.get("en")) for c in lexicon.concepts.values()}
    assert names & french and not names & (english - french)
