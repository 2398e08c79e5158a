"""The themes page at scale: cards with counts, statements searched, filtered and paged, bulk
moves; bad input refused in plain words without losing what was typed; the API pages too."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import Challenge, Theme
from tests.conftest import World
from tests.matching.factories import bulk_statements

pytestmark = pytest.mark.django_db


def _url(w: World, name: str, *ids: int, cohort: Any = None) -> str:
    return reverse(f"matching:{name}", args=[w.programme.pk, (cohort or w.cohort).pk, *ids])


def _measure(client: Client, url: str) -> tuple[int, int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.content), response.content.decode()


@pytest.mark.parametrize("role", ["facilitator", "manager"])
def test_page_queries_and_size_do_not_grow_with_the_cohort(
    world: World, client: Client, role: str
) -> None:
    bulk_statements(world.cohort, 20)  # 60 statements
    bulk_statements(world.other_cohort, 400)  # 1,200 statements
    client.force_login(getattr(world, role))
    for query in ("", "?theme=none", "?q=arrears&language=fr&page=2"):
        small = _measure(client, _url(world, "themes") + query)
        large = _measure(client, _url(world, "themes", cohort=world.other_cohort) + query)
        assert small[0] == large[0] <= 30, (query, small[0], large[0])
        assert large[1] < 120_000
    body = large[2]
    assert body.count('name="challenges"') == (50 if role == "facilitator" else 0)
    assert "Page 2 of" in body


def test_statements_are_searched_filtered_and_paged(world: World, client: Client) -> None:
    survey = bulk_statements(world.cohort, 40)  # 120 statements, 12 themes
    client.force_login(world.facilitator)
    page = client.get(_url(world, "themes")).content.decode()
    assert "12 themes" in page and "120 statements" in page
    unthemed = Challenge.objects.filter(response__survey=survey, theme__isnull=True).count()
    assert f"{unthemed} without a theme" in page
    assert "French" in page and "Russian" in page  # each statement's language, named
    assert 'lang="ru"' in page
    theme = survey.themes.get(name="Theme 03")
    body = client.get(_url(world, "themes") + f"?theme={theme.pk}").content.decode()
    assert f"Statements 1–{theme.challenges.count()} of {theme.challenges.count()}" in body
    assert "Statements of “Theme 03”" in body
    body = client.get(_url(world, "themes") + "?theme=none").content.decode()
    assert f"of {unthemed}" in body
    peer = Challenge.objects.filter(response__survey=survey).order_by("pk")[7]
    body = client.get(_url(world, "themes") + f"?q=peer {7 // 3}:").content.decode()
    assert peer.text in body and "Statements 1–3 of 3" in body
    body = client.get(_url(world, "themes") + "?language=pt").content.decode()
    assert "Statements 1–24 of 24" in body
    second = client.get(_url(world, "themes") + "?page=2").content.decode()
    assert "Statements 51–100 of 120" in second and "Page 2 of 3" in second
    nonsense = client.get(_url(world, "themes") + "?page=x&theme=<b>&language=../")
    assert nonsense.status_code == 200 and "Statements 1–50 of 120" in nonsense.content.decode()
    partial = client.get(
        _url(world, "themes") + "?page=3", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="statements"
    ).content.decode()
    assert partial.lstrip().startswith('<section id="statements"') and "<html" not in partial
    assert "Statements 101–120 of 120" in partial


def test_bulk_move_and_a_new_theme_from_ticked_statements(world: World, client: Client) -> None:
    survey = bulk_statements(world.cohort, 10, themes=3)
    client.force_login(world.facilitator)
    target = survey.themes.get(name="Theme 02")
    chosen = list(
        Challenge.objects.filter(response__survey=survey)
        .exclude(theme=target)
        .values_list("pk", flat=True)[:4]
    )
    move = _url(world, "statements_move")
    response = client.post(
        move, {"challenges": chosen, "target": target.pk, "return_query": "theme=none&page=1"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?theme=none&page=1")
    assert set(target.challenges.values_list("pk", flat=True)) >= set(chosen)
    client.post(move, {"challenges": chosen[:1], "target": "none"})
    assert Challenge.objects.get(pk=chosen[0]).theme is None
    revision = survey.__class__.objects.get(pk=survey.pk).themes_revision
    assert revision == 2

    create = _url(world, "theme_create")
    response = client.post(create, {"challenges": chosen[1:3], "name": "  Arrears\x0b now "})
    assert response.status_code == 302
    new = survey.themes.get(name="Arrears now")
    assert set(new.challenges.values_list("pk", flat=True)) == set(chosen[1:3])
    duplicate = client.post(create, {"challenges": chosen[3:], "name": "arrears NOW"})
    assert duplicate.status_code == 400
    body = duplicate.content.decode()
    assert "Another theme is already called “arrears NOW”" in body
    assert 'value="arrears NOW"' in body  # what was typed stays
    assert f'value="{chosen[3]}" id="pick-{chosen[3]}" checked' in body  # and what was ticked
    empty = client.post(create, {"challenges": chosen[3:], "name": " "})
    assert "A theme needs a name." in empty.content.decode()
    assert Challenge.objects.get(pk=chosen[3]).theme == target


def test_a_move_by_htmx_answers_with_the_statements_and_the_counts_only(
    world: World, client: Client
) -> None:
    survey = bulk_statements(world.cohort, 30, themes=3)
    client.force_login(world.facilitator)
    target = survey.themes.get(name="Theme 02")
    before = target.challenges.count()
    chosen = list(
        Challenge.objects.filter(response__survey=survey)
        .exclude(theme=target)
        .values_list("pk", flat=True)[:3]
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            _url(world, "statements_move"),
            {"challenges": chosen, "target": target.pk, "return_query": "theme=none&page=2"},
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="statements",
        )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="statements"') and "<html" not in body
    assert "3 statements moved." in body
    assert 'id="theme-cards" hx-swap-oob="true"' in body
    assert 'id="theme-summary" hx-swap-oob="true"' in body  # the counts at the top too
    assert f"{before + 3} statements" in body
    assert body.count('name="challenges"') <= 50
    assert "Propose themes" not in body  # the rest of the page is not sent again
    assert set(target.challenges.values_list("pk", flat=True)) >= set(chosen)
    assert len(queries) <= 30


def test_bad_moves_are_refused_in_plain_words_and_nothing_moves(
    world: World, client: Client
) -> None:
    survey = bulk_statements(world.cohort, 4, themes=2)
    other = bulk_statements(world.other_cohort, 2, themes=2)
    client.force_login(world.facilitator)
    mine = list(Challenge.objects.filter(response__survey=survey).order_by("pk"))
    theirs = Challenge.objects.filter(response__survey=other).first()
    theme = survey.themes.get(name="Theme 00")
    foreign_theme = other.themes.get(name="Theme 01")
    before = dict(Challenge.objects.values_list("pk", "theme_id"))
    move = _url(world, "statements_move")
    cases = [
        ({"target": theme.pk}, "Choose at least one statement."),
        ({"challenges": [mine[0].pk]}, "Choose the theme to move the statements to."),
        ({"challenges": [mine[0].pk], "target": "x"}, "Please choose from the list."),
        ({"challenges": ["x"], "target": theme.pk}, "Please choose from the list."),
        (
            {"challenges": [mine[0].pk], "target": foreign_theme.pk},
            "That theme belongs to another cohort.",
        ),
        (
            {"challenges": [mine[0].pk, theirs.pk], "target": theme.pk},
            "not statements of this cohort",
        ),
    ]
    for data, message in cases:
        response = client.post(move, data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
        # by htmx, which swaps in only a successful answer: the refusal comes back inside the
        # statements section, the ticked statements still ticked
        response = client.post(move, data, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="statements")
        assert response.status_code == 200, data
        body = response.content.decode()
        assert body.lstrip().startswith('<section id="statements"'), data
        assert message in body, data
    assert dict(Challenge.objects.values_list("pk", "theme_id")) == before
    ticked = client.post(
        move, {"challenges": [mine[1].pk]}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="statements"
    )
    assert f'value="{mine[1].pk}" id="pick-{mine[1].pk}" checked' in ticked.content.decode()
    nul = client.post(_url(world, "theme_create"), {"name": "Bad\x00name"})
    assert nul.status_code == 400
    assert not Theme.objects.filter(name__startswith="Bad").exists()


def test_rename_merge_and_delete_refuse_bad_input(world: World, client: Client) -> None:
    survey = bulk_statements(world.cohort, 4, themes=3)
    client.force_login(world.facilitator)
    first, second, third = list(survey.themes.order_by("name"))
    rename = _url(world, "theme_rename", first.pk)
    response = client.post(rename, {"name": "theme 01"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Another theme is already called" in body and 'value="theme 01"' in body
    assert client.post(rename, {"name": "x" * 121}).status_code == 400
    client.post(rename, {"name": "Arrears"})
    first.refresh_from_db()
    assert first.name == "Arrears"
    merge = _url(world, "themes_merge")
    assert (
        "different themes"
        in client.post(merge, {"source": first.pk, "target": first.pk}).content.decode()
    )
    assert "choose from the list" in client.post(merge, {"source": first.pk}).content.decode()
    client.post(merge, {"source": second.pk, "target": first.pk})
    assert not Theme.objects.filter(pk=second.pk).exists()
    delete = client.post(_url(world, "theme_delete", third.pk), follow=True)
    assert "Only a theme without statements can be deleted." in delete.content.decode()
    third.challenges.update(theme=None)
    client.post(_url(world, "theme_delete", third.pk))
    assert not Theme.objects.filter(pk=third.pk).exists()
    assert client.post(_url(world, "theme_rename", third.pk), {"name": "x"}).status_code == 404


def test_managers_read_and_peers_are_kept_out(world: World, client: Client) -> None:
    bulk_statements(world.cohort, 4)
    client.force_login(world.manager)
    body = client.get(_url(world, "themes")).content.decode()
    assert "Theme 00" in body and "statement-actions" not in body and "Propose" not in body
    assert client.post(_url(world, "themes_accept")).status_code == 403
    client.force_login(world.peer)
    assert client.get(_url(world, "themes")).status_code == 403


def test_api_lists_themes_with_counts_and_pages_their_statements(
    world: World, client: Client
) -> None:
    survey = bulk_statements(world.cohort, 60, themes=2)
    client.force_login(world.facilitator)
    data = client.get(reverse("matching-theme-list")).json()
    assert data["count"] == 2
    row = data["results"][0]
    theme = survey.themes.get(pk=row["id"])
    assert row["statement_count"] == theme.challenges.count() > 50
    statements = client.get(row["statements"]).json()
    assert statements["count"] == row["statement_count"] and len(statements["results"]) == 50
    assert set(statements["results"][0]) == {"id", "text", "language"}
    assert client.get(statements["next"]).json()["results"]
    client.force_login(world.peer)
    assert client.get(row["statements"]).status_code == 404


def test_odd_numbers_in_addresses_and_forms_are_refused_or_ignored(
    world: World, client: Client
) -> None:
    """Digits that are not ASCII ("²", "٣") or do not fit a database integer are no ids."""
    survey = bulk_statements(world.cohort, 4, themes=2)
    client.force_login(world.facilitator)
    page = _url(world, "themes")
    for query in ("?theme=²", "?theme=٣", f"?theme={'9' * 30}", "?page=²", f"?page={'9' * 30}"):
        response = client.get(page + query)
        assert response.status_code == 200, query
        assert "Statements 1–12 of 12" in response.content.decode(), query
    before = dict(Challenge.objects.values_list("pk", "theme_id"))
    mine = Challenge.objects.filter(response__survey=survey).first()
    assert mine is not None
    theme = survey.themes.get(name="Theme 01")
    for data in (
        {"challenges": ["²"], "target": theme.pk},
        {"challenges": ["9" * 30], "target": theme.pk},
        {"challenges": [mine.pk], "target": "٣"},
        {"challenges": [mine.pk, "²"], "target": ""},
    ):
        response = client.post(_url(world, "statements_move"), data)
        assert response.status_code == 400, data
        assert "Please choose from the list." in response.content.decode(), data
    assert dict(Challenge.objects.values_list("pk", "theme_id")) == before
    moved = client.post(
        _url(world, "statements_move"),
        {"challenges": [mine.pk], "target": theme.pk, "return_query": f"page={'9' * 30}"},
    )
    assert moved.status_code == 302
    assert moved["Location"] == page
