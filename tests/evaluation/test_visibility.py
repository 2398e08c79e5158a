"""Private free text never reaches managers, the API or exports; peers never read others."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from evaluation.models import AccessRecord, Item
from tests.conftest import World
from tests.evaluation.factories import (
    InstrumentFactory,
    ItemFactory,
    WaveFactory,
    answer_wave,
)

pytestmark = pytest.mark.django_db

SECRETS = {
    "private": "I doubt my director will ever allow this",
    "facilitators": "Our arrears are worse than reported",
    "group": "Ask Kwame about the payroll audit",
    "programme": "We adopted the commitment control module",
}


@pytest.fixture
def answered(world: World):  # type: ignore[no-untyped-def]
    instrument = InstrumentFactory(programme=world.programme)
    for position, level in enumerate(SECRETS):
        ItemFactory(
            instrument=instrument,
            code=f"text_{level}",
            kind=Item.Kind.LONG_TEXT,
            visibility=level,
            position=position,
            text={"en": f"Question for {level}"},
        )
    ItemFactory(instrument=instrument, code="rating", kind=Item.Kind.LIKERT, position=9)
    wave = WaveFactory(programme=world.programme, instrument=instrument)
    values = {f"text_{level}": text for level, text in SECRETS.items()} | {"rating": 4}
    return answer_wave(wave, world.peer_same_cohort, values)


def visible(text: str) -> dict[str, bool]:
    return {level: secret in text for level, secret in SECRETS.items()}


def pages_for(client: Client, world: World, response) -> list[str]:  # type: ignore[no-untyped-def]
    pk = world.programme.pk
    texts = [
        client.get(reverse("evaluation:response", args=[response.pk])).text,
        client.get(reverse("evaluation-response-detail", args=[response.pk])).content.decode(),
        client.get(reverse("evaluation-response-list")).content.decode(),
        client.get(reverse("evaluation:export", args=[pk, "responses", "csv"])).content.decode(),
    ]
    xlsx = client.get(reverse("evaluation:export", args=[pk, "responses", "xlsx"])).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    texts.append(" ".join(str(cell.value) for row in sheet.iter_rows() for cell in row))
    return texts


def test_manager_reads_only_text_shared_with_the_programme(
    world: World, client: Client, answered
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.manager)
    for text in pages_for(client, world, answered):
        assert visible(text) == {
            "private": False,
            "facilitators": False,
            "group": False,
            "programme": True,
        }


def test_facilitator_reads_everything_but_private(world: World, client: Client, answered) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.facilitator)
    for text in pages_for(client, world, answered):
        assert visible(text) == {
            "private": False,
            "facilitators": True,
            "group": True,
            "programme": True,
        }


def test_site_admin_never_reads_private_text(world: World, client: Client, answered) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.admin)
    for text in pages_for(client, world, answered):
        assert not visible(text)["private"]


def test_author_reads_all_their_own_answers(world: World, client: Client, answered) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.peer_same_cohort)
    page = client.get(reverse("evaluation:response", args=[answered.pk])).text
    assert all(visible(page).values())
    api = client.get(reverse("evaluation-response-detail", args=[answered.pk])).content.decode()
    assert all(visible(api).values())


def test_another_peer_reads_nothing(world: World, client: Client, answered) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.peer)
    assert client.get(reverse("evaluation:response", args=[answered.pk])).status_code == 404
    listing = client.get(reverse("evaluation-response-list")).content.decode()
    assert not any(visible(listing).values())
    wave = answered.wave
    listing = client.get(reverse("evaluation-response-list") + f"?wave={wave.pk}").json()
    assert listing["count"] == 0


def test_exports_leave_an_audit_trail(world: World, client: Client, answered) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.manager)
    client.get(reverse("evaluation:export", args=[world.programme.pk, "responses", "csv"]))
    client.get(reverse("evaluation:dashboard", args=[world.programme.pk]))
    client.get(reverse("evaluation:response", args=[answered.pk]))
    actions = list(
        AccessRecord.objects.filter(programme=world.programme, user=world.manager).values_list(
            "action", "detail"
        )
    )
    assert ("export", "responses.csv") in actions
    assert ("dashboard", "") in actions
    assert ("response", f"response {answered.pk}") in actions


def test_csv_cells_cannot_run_as_formulas(world: World, client: Client) -> None:
    instrument = InstrumentFactory(programme=world.programme)
    ItemFactory(instrument=instrument, code="t", kind=Item.Kind.SHORT_TEXT, visibility="programme")
    wave = WaveFactory(programme=world.programme, instrument=instrument)
    answer_wave(wave, world.peer, {"t": "=HYPERLINK(1)"})
    client.force_login(world.facilitator)
    body = client.get(
        reverse("evaluation:export", args=[world.programme.pk, "responses", "csv"])
    ).content.decode()
    assert "'=HYPERLINK(1)" in body


def test_exports_keep_text_as_text_and_letters_readable(world: World, client: Client) -> None:
    """The CSV starts with a byte order mark (spreadsheet programs on Windows then read UTF-8);
    the workbook holds text as text cells, formula-like text exactly as written."""
    instrument = InstrumentFactory(programme=world.programme)
    ItemFactory(instrument=instrument, code="t", kind=Item.Kind.SHORT_TEXT, visibility="programme")
    ItemFactory(instrument=instrument, code="u", kind=Item.Kind.SHORT_TEXT, visibility="programme")
    wave = WaveFactory(programme=world.programme, instrument=instrument)
    answer_wave(wave, world.peer, {"t": "=HYPERLINK(1)", "u": "Казначейство, Ñuñoa"})
    client.force_login(world.facilitator)
    pk = world.programme.pk
    csv_body = client.get(reverse("evaluation:export", args=[pk, "responses", "csv"])).content
    assert csv_body.startswith(b"\xef\xbb\xbf")
    assert "Казначейство, Ñuñoa" in csv_body.decode("utf-8-sig")
    xlsx = client.get(reverse("evaluation:export", args=[pk, "responses", "xlsx"])).content
    cells = [cell for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows() for cell in row]
    formula_like = [cell for cell in cells if cell.value == "=HYPERLINK(1)"]
    assert len(formula_like) == 1 and formula_like[0].data_type == "s"
    assert not any(cell.data_type == "f" for cell in cells)
    assert not any(str(cell.value).startswith("'") for cell in cells)
    assert any(cell.value == "Казначейство, Ñuñoa" for cell in cells)
