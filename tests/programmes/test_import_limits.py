"""Crafted and oversized peer files are refused with a reason before they are parsed, and
nothing is imported; ordinary files up to the limits are read in full."""

from __future__ import annotations

import io
from collections.abc import Iterable

import pytest
from django.test import Client
from openpyxl import Workbook

from programmes.importing import (
    MAX_IMPORT_COLUMNS,
    MAX_IMPORT_ROWS,
    MAX_SHARED_STRINGS,
    MAX_SHEET_ROWS,
    parse_peer_file,
)
from programmes.models import PeerImport
from tests.conftest import World
from tests.programmes.hostile_files import one_row_of, padding, raw_xlsx, rows_of
from tests.programmes.test_import import HEADER, counts, nothing_written, preview_text, upload

pytestmark = pytest.mark.django_db

PEER_HEADER = ["email", "full_name", "organisation", "country"]


def peers(count: int) -> Iterable[list[str]]:
    yield PEER_HEADER
    for number in range(count):
        yield [f"peer{number}@example.org", f"Peer {number}", "Ministry of Finance", "GH"]


def refused_with(world: World, name: str, content: bytes, expected: str) -> None:
    result = parse_peer_file(io.BytesIO(content), name=name, programme=world.programme)
    assert result.rows == []
    assert [p.message for p in result.problems if expected in p.message], result.problems


def test_a_single_row_of_300000_cells_is_refused_and_nothing_imported(
    client: Client, world: World
) -> None:
    content = raw_xlsx(one_row_of(300_000))
    assert len(content) < 50_000  # a small file: the cost is in what it unpacks to
    before = counts()
    preview = upload(client, world, "peers.xlsx", content)
    assert preview.status == PeerImport.Status.REFUSED
    assert preview.rows == []
    message = f"Row 1 has more than {MAX_IMPORT_COLUMNS} columns"
    assert any(message in p["message"] for p in preview.problems), preview.problems
    assert message in preview_text(client, preview)
    nothing_written(world, before)


def test_a_zip_bomb_is_refused_from_its_directory(world: World) -> None:
    content = raw_xlsx(padding(60))  # 60 MB of sheet XML in a small file
    assert len(content) < 1_000_000
    refused_with(world, "peers.xlsx", content, "unpacks to more than")


def test_a_large_part_other_than_a_sheet_is_refused(world: World) -> None:
    styles = ["<styleSheet>", *padding(3), "</styleSheet>"]
    content = raw_xlsx(rows_of(peers(1)), extra_parts={"xl/styles.xml": styles})
    refused_with(world, "peers.xlsx", content, "unpacks to more than")


def test_too_many_rows_are_refused(world: World) -> None:
    refused_with(
        world, "peers.xlsx", raw_xlsx(rows_of(peers(MAX_IMPORT_ROWS + 1))), "more than 2000 rows"
    )


def test_too_many_columns_are_refused(world: World) -> None:
    wide = [[*PEER_HEADER, *(f"extra {n}" for n in range(MAX_IMPORT_COLUMNS))]]
    refused_with(world, "peers.xlsx", raw_xlsx(rows_of(wide)), "Row 1 has more than")


def test_a_row_numbered_far_down_the_sheet_is_refused(world: World) -> None:
    body = [*rows_of(peers(1)), '<row r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row>']
    refused_with(world, "peers.xlsx", raw_xlsx(body), f"more than {MAX_SHEET_ROWS} rows")


def test_too_many_empty_rows_are_refused(world: World) -> None:
    body = [*rows_of(peers(1)), *("<row><c/></row>" for _ in range(MAX_SHEET_ROWS))]
    refused_with(world, "peers.xlsx", raw_xlsx(body), "counting empty ones")


def test_too_many_shared_strings_are_refused(world: World) -> None:
    strings = ("<si><t>x</t></si>" for _ in range(MAX_SHARED_STRINGS + 1))
    content = raw_xlsx(rows_of(peers(1)), shared_strings=strings)
    refused_with(world, "peers.xlsx", content, "pieces of text")


def test_entity_expansion_is_refused(world: World) -> None:
    prolog = (
        '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    body = ['<row r="1"><c t="inlineStr"><is><t>&c;</t></is></c></row>']
    content = raw_xlsx(body, sheet_prolog=prolog)
    refused_with(world, "peers.xlsx", content, "cannot be opened as an Excel workbook")


def test_csv_with_too_many_columns_or_rows_is_refused(world: World) -> None:
    wide = HEADER.strip() + "," * MAX_IMPORT_COLUMNS + "\n"
    refused_with(world, "peers.csv", wide.encode(), "Row 1 has more than")
    tall = "".join(",".join(row) + "\n" for row in peers(MAX_IMPORT_ROWS + 1))
    refused_with(world, "peers.csv", tall.encode(), "more than 2000 rows")


def test_a_full_workbook_at_the_limits_is_read_in_full(world: World) -> None:
    """2,000 peers, with empty rows above them and columns the import ignores."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for _ in range(3000):
        sheet.append([])
    for number, row in enumerate(peers(MAX_IMPORT_ROWS)):
        extra = [f"note {number}"] * (MAX_IMPORT_COLUMNS - len(row) - 1)
        sheet.append([*row, *extra])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = parse_peer_file(
        buffer, name="peers.xlsx", programme=world.programme, create_organisations=True
    )
    assert result.problems == []
    assert len(result.rows) == MAX_IMPORT_ROWS
    assert result.rows[-1].email == f"peer{MAX_IMPORT_ROWS - 1}@example.org"
    assert result.rows[-1].line == 3000 + 1 + MAX_IMPORT_ROWS
