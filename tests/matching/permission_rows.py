"""Rows of the permission matrix for matching's pages and endpoints (see tests/matrix.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from matching import engine, services
from matching.models import (
    Challenge,
    Group,
    GroupMember,
    IntakeResponse,
    MatchingRun,
    MoveRequest,
    Theme,
    ThemeSet,
)
from tests.conftest import World
from tests.matrix import API_ANON, LOGIN, Row, everyone


def _run(w: World, *, published: bool = False) -> MatchingRun:
    from django.utils import timezone

    run = MatchingRun.objects.create(
        cohort=w.cohort,
        strategy="problem",
        options=engine.Options().to_dict(),
        status=MatchingRun.Status.DONE,
        progress=1.0,
        score=0.5,
        published_at=timezone.now() if published else None,
    )
    first = Group.objects.create(run=run, label="G01")
    Group.objects.create(run=run, label="G02")
    GroupMember.objects.create(run=run, group=first, user=w.peer)
    GroupMember.objects.create(run=run, group=first, user=w.peer_same_cohort)
    return run


def _response_of(w: World, user_attr: str) -> int:
    survey = services.ensure_survey(cohort=w.cohort)
    user = getattr(w, user_attr)
    response = services.save_draft(survey=survey, user=user, data={"challenges": ["a"]})
    return response.pk


def _theme(w: World, name: str = "Procurement") -> int:
    survey = services.ensure_survey(cohort=w.cohort)
    return Theme.objects.get_or_create(survey=survey, name=name)[0].pk


def _statement(w: World) -> int:
    survey = services.ensure_survey(cohort=w.cohort)
    response = IntakeResponse.objects.get_or_create(survey=survey, user=w.peer)[0]
    theme = Theme.objects.get(pk=_theme(w))
    return Challenge.objects.get_or_create(
        response=response, position=0, defaults={"text": "Single bidders", "theme": theme}
    )[0].pk


def _submitted(w: World) -> None:
    survey = services.ensure_survey(cohort=w.cohort)
    services.submit_intake(
        survey=survey, user=w.peer, answers={"challenges": ["Arrears", "Ghost workers", "VAT"]}
    )


def _theme_set(w: World, status: str = ThemeSet.Status.READY) -> int:
    survey = services.ensure_survey(cohort=w.cohort)
    statement = _statement(w)
    return ThemeSet.objects.create(
        survey=survey,
        number=survey.theme_sets.count() + 1,
        kind=ThemeSet.Kind.PROPOSED,
        status=status,
        themes=[{"name": "Buying", "challenges": [statement], "concepts": [], "seed": None}],
    ).pk


def _version_action(name: str, status: str = ThemeSet.Status.READY) -> Callable[[World], str]:
    return lambda w: reverse(
        f"matching:{name}", args=[w.programme.pk, w.cohort.pk, _theme_set(w, status)]
    )


def _move_request(w: World) -> int:
    run = _run(w, published=True)
    mine, other = run.groups.get(label="G01"), run.groups.get(label="G02")
    return MoveRequest.objects.create(
        run=run, user=w.peer, from_group=mine, wanted_group=other, reason="Language"
    ).pk


def _run_action(name: str) -> Callable[[World], str]:
    return lambda w: reverse(f"matching:{name}", args=[w.programme.pk, _run(w).pk])


def _request_action(name: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        request_id = _move_request(w)
        run_id = MoveRequest.objects.get(pk=request_id).run_id
        return reverse(f"matching:{name}", args=[w.programme.pk, run_id, request_id])

    return url


def _theme_action(name: str, *, theme: bool = True) -> Callable[[World], str]:
    def url(w: World) -> str:
        ids = [_theme(w)] if theme else []
        return reverse(f"matching:{name}", args=[w.programme.pk, w.cohort.pk, *ids])

    return url


STAFF_PAGE = everyone(403, anonymous=LOGIN, outsider=404, facilitator=200, admin=200)
VIEW_RUNS = everyone(403, anonymous=LOGIN, outsider=404, facilitator=200, manager=200, admin=200)
PEER_PAGE = everyone(403, anonymous=LOGIN, outsider=404, peer=200)
STAFF_POST = everyone(403, anonymous=LOGIN, outsider=404, facilitator=302, admin=302)

ROWS: list[Row] = [
    Row(
        "matching overview",
        "get",
        lambda w: reverse("matching:overview", args=[w.programme.pk]),
        everyone(200, anonymous=LOGIN, outsider=404, sponsor=403),
    ),
    Row(
        "intake page", "get", lambda w: reverse("matching:intake", args=[w.programme.pk]), PEER_PAGE
    ),
    Row(
        "intake draft autosave",
        "post",
        lambda w: reverse("matching:intake_draft", args=[w.programme.pk]),
        PEER_PAGE,
        data=lambda w: {"challenge_0": "Arrears keep growing"},
    ),
    Row(
        "intake survey set-up and completion",
        "get",
        lambda w: reverse("matching:survey", args=[w.programme.pk, w.cohort.pk]),
        STAFF_PAGE,
    ),
    Row(
        "intake reminders",
        "post",
        lambda w: reverse("matching:reminders", args=[w.programme.pk, w.cohort.pk]),
        everyone(403, anonymous=LOGIN, outsider=404, facilitator=302, admin=302),
    ),
    Row(
        "themes page",
        "get",
        lambda w: reverse("matching:themes", args=[w.programme.pk, w.cohort.pk]),
        VIEW_RUNS,
    ),
    Row(
        "themes: propose",
        "post",
        _theme_action("themes_propose", theme=False),
        STAFF_POST,
        data=lambda w: (_submitted(w), {"count": "2"})[1],
    ),
    Row(
        "themes: propose from theme names",
        "post",
        _theme_action("themes_propose_guided", theme=False),
        STAFF_POST,
        data=lambda w: (_submitted(w), {"seeds": "Arrears: unpaid bills\nPayroll"})[1],
    ),
    Row("themes: accept", "post", _theme_action("themes_accept", theme=False), STAFF_POST),
    Row(
        "theme: rename",
        "post",
        _theme_action("theme_rename"),
        STAFF_POST,
        data=lambda w: {"name": "Buying better"},
    ),
    Row(
        "themes: merge",
        "post",
        _theme_action("themes_merge", theme=False),
        STAFF_POST,
        data=lambda w: {"source": _theme(w), "target": _theme(w, "Budgeting")},
    ),
    Row(
        "theme: new from chosen statements",
        "post",
        _theme_action("theme_create", theme=False),
        STAFF_POST,
        data=lambda w: {"challenges": [_statement(w)], "name": "Bidders"},
    ),
    Row("theme: delete", "post", _theme_action("theme_delete"), STAFF_POST),
    Row(
        "themes: move chosen statements",
        "post",
        _theme_action("statements_move", theme=False),
        STAFF_POST,
        data=lambda w: {"challenges": [_statement(w)], "target": _theme(w, "Budgeting")},
    ),
    Row("themes: proposal progress", "get", _version_action("theme_progress"), STAFF_PAGE),
    Row("themes: compare a version", "get", _version_action("theme_version"), STAFF_PAGE),
    Row(
        "themes: replace by a version",
        "post",
        _version_action("theme_version_apply"),
        STAFF_POST,
        data=lambda w: {
            "revision": services.ensure_survey(cohort=w.cohort).themes_revision,
            "confirm": "yes",
        },
    ),
    Row(
        "themes: set a proposal aside", "post", _version_action("theme_version_discard"), STAFF_POST
    ),
    Row(
        "new run page",
        "get",
        lambda w: reverse("matching:run_new", args=[w.programme.pk, w.cohort.pk]),
        STAFF_PAGE,
    ),
    Row(
        "strategy warning",
        "get",
        lambda w: reverse("matching:strategy_warning", args=[w.programme.pk]) + "?strategy=task",
        STAFF_PAGE,
    ),
    Row(
        "run detail",
        "get",
        lambda w: reverse("matching:run_detail", args=[w.programme.pk, _run(w).pk]),
        VIEW_RUNS,
    ),
    Row(
        "run progress",
        "get",
        lambda w: reverse("matching:run_progress", args=[w.programme.pk, _run(w).pk]),
        VIEW_RUNS,
    ),
    Row(
        "run compare",
        "get",
        lambda w: reverse("matching:run_compare", args=[w.programme.pk]) + f"?runs={_run(w).pk}",
        VIEW_RUNS,
    ),
    Row(
        "run move peer",
        "post",
        lambda w: reverse("matching:run_move", args=[w.programme.pk, _run(w).pk]),
        everyone(403, anonymous=LOGIN, outsider=404, facilitator=302, admin=302),
        data=lambda w: {"user_id": w.peer.pk, "to_group": 0},
    ),
    Row(
        "run publish",
        "post",
        lambda w: reverse("matching:run_publish", args=[w.programme.pk, _run(w).pk]),
        everyone(403, anonymous=LOGIN, outsider=404, facilitator=302, admin=302),
    ),
    Row(
        "run lock a peer",
        "post",
        _run_action("run_lock"),
        STAFF_POST,
        data=lambda w: {"user_id": w.peer.pk, "locked": "1"},
    ),
    Row(
        "run: a peer leaves",
        "post",
        _run_action("run_leave"),
        STAFF_POST,
        data=lambda w: {"user_id": w.peer.pk, "reason": "Left the ministry"},
    ),
    Row("run: place late joiners", "post", _run_action("run_late_joiners"), STAFF_POST),
    Row(
        "run: approve a request to move",
        "post",
        _request_action("approve_request"),
        STAFF_POST,
    ),
    Row(
        "run: decline a request to move",
        "post",
        _request_action("decline_request"),
        STAFF_POST,
        data=lambda w: {"note": "Stay for now"},
    ),
    Row(
        "my group",
        "get",
        lambda w: (
            reverse("matching:my_group", args=[w.programme.pk]) + f"?r={_run(w, published=True).pk}"
        ),
        everyone(403, anonymous=LOGIN, outsider=404, peer=200, admin=200),
    ),
    Row(
        "api intake list",
        "get",
        lambda w: reverse("matching-intake-list"),
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api own intake answers",
        "get",
        lambda w: reverse("matching-intake-detail", args=[_response_of(w, "peer")]),
        everyone(404, anonymous=API_ANON, peer=200, facilitator=200, admin=200),
    ),
    Row(
        "api another peer's intake answers",
        "get",
        lambda w: reverse("matching-intake-detail", args=[_response_of(w, "peer_same_cohort")]),
        everyone(404, anonymous=API_ANON, facilitator=200, admin=200),
    ),
    Row(
        "api intake submit",
        "post",
        lambda w: reverse("matching-intake-submit"),
        everyone(403, anonymous=API_ANON, outsider=400, peer=201, admin=400),
        data=lambda w: {"programme": w.programme.pk, "challenges": ["a1", "b1", "c1"]},
        content_type="application/json",
    ),
    Row(
        "api themes list",
        "get",
        lambda w: reverse("matching-theme-list"),
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api theme detail",
        "get",
        lambda w: reverse("matching-theme-detail", args=[_theme(w)]),
        everyone(404, anonymous=API_ANON, facilitator=200, manager=200, admin=200),
    ),
    Row(
        "api statements of a theme",
        "get",
        lambda w: reverse("matching-theme-statements", args=[_theme(w)]),
        everyone(404, anonymous=API_ANON, facilitator=200, manager=200, admin=200),
    ),
    Row(
        "api run detail",
        "get",
        lambda w: reverse("matching-run-detail", args=[_run(w).pk]),
        everyone(404, anonymous=API_ANON, facilitator=200, manager=200, admin=200),
    ),
    Row(
        "api run create",
        "post",
        lambda w: reverse("matching-run-list"),
        everyone(403, anonymous=API_ANON, outsider=400, facilitator=400, admin=400),
        data=lambda w: {"cohort": w.cohort.pk, "strategy": "problem"},
        content_type="application/json",
    ),
    Row(
        "api groups list",
        "get",
        lambda w: reverse("matching-group-list"),
        everyone(200, anonymous=API_ANON),
    ),
    Row(
        "api published group",
        "get",
        lambda w: reverse(
            "matching-group-detail", args=[_run(w, published=True).groups.get(label="G01").pk]
        ),
        everyone(404, anonymous=API_ANON, peer=200, facilitator=200, manager=200, admin=200),
    ),
    Row(
        "api unpublished group",
        "get",
        lambda w: reverse("matching-group-detail", args=[_run(w).groups.get(label="G01").pk]),
        everyone(404, anonymous=API_ANON, facilitator=200, manager=200, admin=200),
    ),
]
