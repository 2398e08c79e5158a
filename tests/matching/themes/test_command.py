"""The propose_themes command: id,text in, id,theme out; bad rows named by line; nothing written."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from matching.themes.csvio import read_statements

STATEMENTS = [
    "Most tenders attract a single bidder",
    "Les appels d'offres ne reçoivent qu'une seule soumission",
    "На большинство закупок подаётся одна заявка",
    "Ghost workers remain on the payroll",
    "Des agents fictifs figurent sur le fichier de la solde",
    "В ведомостях на зарплату числятся мёртвые души",
]


def _write(path: Path, rows: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows(rows)


def test_writes_one_theme_per_statement_in_input_order(tmp_path: Path) -> None:
    source, target = tmp_path / "statements.csv", tmp_path / "themes.csv"
    _write(source, [(f"s{i}", text) for i, text in enumerate(STATEMENTS)])
    call_command("propose_themes", "--input", str(source), "--output", str(target), "--themes", "2")
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == [f"s{i}" for i in range(6)]
    assert set(rows[0]) == {"id", "theme"}
    assert len({r["theme"] for r in rows[:3]}) == 1 and len({r["theme"] for r in rows[3:]}) == 1
    assert rows[0]["theme"] != rows[3]["theme"]


def _fails(tmp_path: Path, data: bytes, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    source, target = tmp_path / "statements.csv", tmp_path / "themes.csv"
    source.write_bytes(data)
    with pytest.raises(CommandError, match=r"nothing was written|--themes"):
        call_command("propose_themes", "--input", str(source), "--output", str(target), *extra)
    assert not target.exists()
    return capsys.readouterr().err


def test_bad_rows_are_named_by_line_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (
        b"id,text\n"
        b"1,Tenders attract one bidder\n"
        b",The id is missing here\n"
        b"3,\n"
        b"1,A second statement with the first id\n"
        b'5,"A statement\nover two lines"\n'
        b"6,One,too many\n"
    )
    err = _fails(tmp_path, data, capsys)
    assert "line 3: The id is missing" in err
    assert "line 4: The text of id '3' is missing" in err
    assert "line 5: The id '1' is already used on line 2" in err
    assert "line 8: Expected 2 values" in err
    assert "line 6" not in err  # the quoted two-line text is fine


def test_wrong_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails(tmp_path, b"id,statement\n1,Tenders\n", capsys)
    assert "line 1: The header must be exactly id,text" in err


def test_unreadable_encoding_and_nul_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _fails(tmp_path, "id,text\n1,ok\n2,Délais\n".encode("latin-1"), capsys)
    assert "line 3: This line is not valid UTF-8" in err
    err = _fails(tmp_path, b"id,text\n1,ok\n2,a\x00b\n", capsys)
    assert "line 3: This line contains a NUL byte" in err


def test_too_many_themes_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = b"id,text\n1,Tenders attract one bidder\n2,Ghost workers\n"
    _fails(tmp_path, data, capsys, "--themes", "3")


def test_reader_accepts_bom_utf16_and_blank_lines() -> None:
    text = "id,text\r\n1,Закупки\r\n\r\n2,Payroll\r\n"
    statements, issues = read_statements(("\ufeff" + text).encode("utf-8"))
    assert not issues and [s.id for s in statements] == ["1", "2"]
    statements, issues = read_statements(text.encode("utf-16"))
    assert not issues and statements[0].text == "Закупки"
    assert statements[1].line == 4
