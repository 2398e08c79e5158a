"""The form_groups command: CSV in, id,group out; bad rows named by line; nothing written."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

HEADER = "id,name,country,organisation,role,seniority,task_area,career_level,education,themes\n"


def _peers(path: Path, count: int) -> None:
    rows = [
        f"p{i},Peer {i},C{i % 7},Org {i},Role {i % 3},S{i % 2},Task {i % 4},mid,master,"
        f"T{i % 5};T{(i + 1) % 5}\n"
        for i in range(count)
    ]
    path.write_text(HEADER + "".join(rows), encoding="utf-8")


def test_writes_groups_of_five_or_six(tmp_path: Path) -> None:
    source, target = tmp_path / "peers.csv", tmp_path / "groups.csv"
    _peers(source, 55)
    call_command(
        "form_groups",
        "--input",
        str(source),
        "--output",
        str(target),
        "--strategy",
        "problem",
        "--min-size",
        "5",
        "--max-size",
        "6",
        "--seed",
        "4",
    )
    rows = list(csv.DictReader(target.open()))
    assert len(rows) == 55 and set(rows[0]) == {"id", "group"}
    sizes: dict[str, int] = {}
    for row in rows:
        sizes[row["group"]] = sizes.get(row["group"], 0) + 1
    assert len(sizes) == 10 and set(sizes.values()) <= {5, 6}


def test_pairs(tmp_path: Path) -> None:
    source, target = tmp_path / "peers.csv", tmp_path / "groups.csv"
    _peers(source, 10)
    call_command("form_groups", "--input", str(source), "--output", str(target), "--pairs")
    rows = list(csv.DictReader(target.open()))
    assert len({r["group"] for r in rows}) == 5


def test_bad_rows_are_named_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "peers.csv", tmp_path / "groups.csv"
    source.write_text(
        HEADER + "1,A,GH,o1,r,s,t,c,e,x;y\n,B,GH,o2,r,s,t,c,e,x\n3,C,KE,o3,r,s,t,c,e,\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("form_groups", "--input", str(source), "--output", str(target))
    err = capsys.readouterr().err
    assert "line 3" in err and "line 4" in err
    assert not target.exists()
