"""Absurd input is refused with a message, and nothing is written: dates near the year 9999 (or
0001), numbers of people in the billions, bounds of 1e308, line breaks in names and titles, and
ids that are not ids. Each case is a real request of the permission matrix with one value
changed, sent by someone allowed to make it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from tests.conftest import World
from tests.matrix import Row
from tests.test_permission_matrix import ROWS

pytestmark = pytest.mark.django_db

ROW = {row.name: row for row in ROWS}
DATE_MESSAGE = "Enter a date between the years 2000 and 2100."
LINE_MESSAGE = "Keep this on one line, without line breaks."


def _prepare(row: Row, world: World, role: str, changes: dict[str, Any]) -> Callable[[], Any]:
    """The request, ready to send (its objects are made now)."""
    client = Client(raise_request_exception=False)
    user = world.user(role)
    assert user is not None
    client.force_login(user)
    data = {**row.data(world), **changes}
    url = row.url(world)
    send = getattr(client, row.method)
    if row.content_type:
        return lambda: send(url, data, content_type=row.content_type)
    return lambda: send(url, data)


def _send(row: Row, world: World, role: str, changes: dict[str, Any]) -> Any:
    return _prepare(row, world, role, changes)()


# (row, role allowed to send it, changed values, model whose rows must not grow, message)
CASES: list[tuple[str, str, dict[str, Any], str, str]] = [
    (
        "activity create submit",
        "facilitator",
        {"starts_at": "9999-12-31T09:00", "ends_at": "9999-12-31T12:00"},
        "programmes.Activity",
        DATE_MESSAGE,
    ),
    (
        "evaluation wave schedule",
        "facilitator",
        {"anchor": "9999-12-31"},
        "evaluation.Wave",
        DATE_MESSAGE,
    ),
    (
        "evaluation wave schedule",
        "facilitator",
        {"anchor": "0001-01-01"},
        "evaluation.Wave",
        DATE_MESSAGE,
    ),
    (
        "evaluation wave schedule",
        "facilitator",
        {"max_reminders": 10**6},
        "evaluation.Wave",
        "less than or equal to 20",
    ),
    (
        "evaluation wave schedule",
        "facilitator",
        {"reminder_gap_days": 10**9},
        "evaluation.Wave",
        "less than or equal to 365",
    ),
    ("pilot start", "peer", {"starts_on": "9999-12-31"}, "diffusion.Pilot", DATE_MESSAGE),
    (
        "chapter add meeting",
        "facilitator",
        {"held_on": "9999-12-31"},
        "diffusion.ChapterMeeting",
        DATE_MESSAGE,
    ),
    (
        "chapter add meeting",
        "facilitator",
        {"attendance": str(10**12)},
        "diffusion.ChapterMeeting",
        "less than or equal to 100000",
    ),
    (
        "workspace: log a meeting",
        "peer",
        {"held_on": "0001-01-01"},
        "group_life.GroupMeeting",
        DATE_MESSAGE,
    ),
    (
        "workspace: add a meeting slot",
        "peer",
        {"starts_on": "9999-12-31"},
        "group_life.MeetingSlot",
        DATE_MESSAGE,
    ),
    (
        "evaluation add item",
        "facilitator",
        {"kind": "number", "min_value": "-1e308", "max_value": "1e308"},
        "evaluation.Item",
        "less than or equal to 1000000000",
    ),
    (
        "api diffusion report-back create",
        "peer",
        {"audience_size": 10**12},
        "diffusion.ReportBack",
        "less than or equal to 100000",
    ),
    (
        "api diffusion report-back create",
        "peer",
        {"held_on": "0001-01-01"},
        "diffusion.ReportBack",
        DATE_MESSAGE,
    ),
    (
        "api diffusion report-back create",
        "peer",
        {"title": "Back home\r\nBcc: everyone@example.org"},
        "diffusion.ReportBack",
        LINE_MESSAGE,
    ),
    (
        "programme create submit",
        "facilitator",
        {"name": "A new network\nBcc: everyone@example.org"},
        "programmes.Programme",
        LINE_MESSAGE,
    ),
    (
        "programme create submit",
        "facilitator",
        {"starts_on": "9999-12-31"},
        "programmes.Programme",
        DATE_MESSAGE,
    ),
    (
        "invite submit",
        "facilitator",
        {"full_name": "Amina\r\nHoxha"},
        "programmes.Invitation",
        LINE_MESSAGE,
    ),
]


@pytest.mark.parametrize(
    ("row_name", "role", "changes", "model", "message"),
    CASES,
    ids=[f"{case[0]}: {', '.join(case[2])}" for case in CASES],
)
def test_absurd_input_is_refused_with_a_message_and_nothing_is_written(
    world: World, row_name: str, role: str, changes: dict[str, Any], model: str, message: str
) -> None:
    counted = apps.get_model(model)
    send = _prepare(ROW[row_name], world, role, changes)
    before = counted.objects.count()
    response = send()
    assert response.status_code in (200, 400), response.status_code
    assert message in response.content.decode()
    assert counted.objects.count() == before


def test_a_programme_renamed_through_the_api_stays_on_one_line(world: World) -> None:
    response = _send(
        ROW["api programme update"], world, "facilitator", {"name": "Budget\r\nReform"}
    )
    assert response.status_code == 400
    assert LINE_MESSAGE in response.content.decode()
    world.programme.refresh_from_db()
    assert world.programme.name == "Budget Reform Network"


def test_a_report_back_title_with_a_line_break_is_refused_on_the_page(
    world: World, client: Client
) -> None:
    from django.urls import reverse

    from diffusion.models import ReportBack

    client.force_login(world.peer)
    response = client.post(
        reverse("diffusion:report_back_create", args=[world.programme.pk]),
        {
            "title": "Treasury\nsingle account",
            "held_on": "2026-05-04",
            "audience": "Cash team",
            "audience_size": "12",
            "level": "organisation",
        },
    )
    assert response.status_code == 400
    assert LINE_MESSAGE in response.content.decode()
    assert not ReportBack.objects.exists()


def test_a_number_answer_beyond_a_billion_is_refused() -> None:
    from evaluation.models import Item
    from evaluation.services.answers import clean_answer

    item = Item(kind=Item.Kind.NUMBER, code="q", text={"en": "How many?"})
    assert clean_answer(item, ["12"], peer_ids=set()).number == 12
    with pytest.raises(ValueError, match="between"):
        clean_answer(item, ["1e300"], peer_ids=set())


IDS: list[tuple[str, str, Callable[[World], dict[str, Any]]]] = [
    ("sponsor report subscription", "sponsor", lambda w: {"membership": "abc"}),
    ("sponsor report subscription", "sponsor", lambda w: {"membership": "²"}),
    ("run lock a peer", "facilitator", lambda w: {"user_id": 10**30}),
    ("run: a peer leaves", "facilitator", lambda w: {"user_id": "1e308"}),
]


@pytest.mark.parametrize(
    ("row_name", "role", "changes"),
    IDS,
    ids=[f"{i[0]}: {i[2](None)}" for i in IDS],  # type: ignore[arg-type]
)
def test_an_id_that_is_not_one_is_not_found(
    world: World, row_name: str, role: str, changes: Callable[[World], dict[str, Any]]
) -> None:
    response = _send(ROW[row_name], world, role, changes(world))
    assert response.status_code == 404


def test_ids_in_pages_and_api_filters_that_are_not_ids(world: World) -> None:
    from django.urls import reverse

    from programmes.models import WorkingGroup

    client = Client(raise_request_exception=False)
    client.force_login(world.facilitator)
    members = client.post(
        reverse("programmes:working_group_add", args=[world.programme.pk]),
        {"group-cohort": world.cohort.pk, "group-name": "Arrears", "members": "abc"},
    )
    assert members.status_code == 404
    assert not WorkingGroup.objects.exists()
    certificate = client.get(
        reverse("programmes:certificate", args=[world.programme.pk, 1]) + "?membership=abc"
    )
    assert certificate.status_code == 404
    compare = client.get(
        reverse("matching:run_compare", args=[world.programme.pk]) + "?runs=²&runs=abc"
    )
    assert compare.status_code == 404
    for url in (
        reverse("cohort-list") + "?programme=²",
        reverse("cohort-list") + f"?programme={10**30}",
        reverse("diffusion-report-back-list") + "?programme=abc",
        reverse("evaluation-response-list") + "?wave=1e308",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "a whole number" in response.content.decode()
