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


def _language_peers(path: Path, rows: list[tuple[str, str]]) -> None:
    """Peers with the given (language cell, theme) and their own organisation each."""
    lines = [HEADER.rstrip("\n") + ",languages\n"]
    for i, (languages, theme) in enumerate(rows):
        lines.append(f"p{i},Peer {i},C{i % 7},Org {i},R,S,T,mid,master,{theme},{languages}\n")
    path.write_text("".join(lines), encoding="utf-8")


def _groups(target: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in csv.DictReader(target.open()):
        out.setdefault(row["group"], []).append(row["id"])
    return out


def test_languages_column_turns_the_common_language_rule_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Twelve French and twelve Russian speakers who all share one theme, and six bilinguals:
    with the column every group works in one language; without the rule, groups mix."""
    source, target = tmp_path / "peers.csv", tmp_path / "groups.csv"
    rows = [("fr", "Budgets")] * 12 + [("ru", "Budgets")] * 12 + [("fr;ru", "Budgets")] * 6
    _language_peers(source, rows)
    call_command("form_groups", "--input", str(source), "--output", str(target), "--seed", "3")
    spoken = {f"p{i}": set(cell.split(";")) for i, (cell, _t) in enumerate(rows)}
    groups = _groups(target)
    assert len(groups) == 5
    for members in groups.values():
        assert set.intersection(*(spoken[m] for m in members)), members
        assert 5 <= len(members) <= 6
    out = capsys.readouterr().out
    assert "every group shares a working language" in out

    off = tmp_path / "off.csv"
    call_command(
        "form_groups", "--input", str(source), "--output", str(off), "--no-common-language"
    )
    assert any(
        not set.intersection(*(spoken[m] for m in members)) for members in _groups(off).values()
    )


def test_unplaceable_speaker_is_named_with_choices(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "peers.csv", tmp_path / "groups.csv"
    _language_peers(source, [("en", "Budgets")] * 11 + [("sw", "Budgets")])
    call_command("form_groups", "--input", str(source), "--output", str(target))
    err = capsys.readouterr().err
    assert "infeasible: Peer 11 is the only peer who works in Swahili" in err
    assert "choice (exempt): Relax the common-language rule for Peer 11 only." in err
    assert target.exists()


def test_bad_language_codes_are_named_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "peers.csv", tmp_path / "groups.csv"
    _language_peers(source, [("en", "Budgets")] * 5 + [("en;zz", "Budgets"), ("Frnch", "x")])
    with pytest.raises(CommandError):
        call_command("form_groups", "--input", str(source), "--output", str(target))
    err = capsys.readouterr().err
    assert 'line 7: "zz" is not a language code' in err
    assert 'line 8: "Frnch" is not a language code' in err
    assert not target.exists()


def test_balance_option_is_checked(tmp_path: Path) -> None:
    source, target = tmp_path / "peers.csv", tmp_path / "groups.csv"
    _peers(source, 12)
    with pytest.raises(CommandError, match="Unknown balancing factors: colour"):
        call_command(
            "form_groups",
            "--input",
            str(source),
            "--output",
            str(target),
            "--balance",
            "colour=mix",
        )
    with pytest.raises(CommandError, match="Bad balancing rule"):
        call_command(
            "form_groups", "--input", str(source), "--output", str(target), "--balance", "stage"
        )
    call_command(
        "form_groups", "--input", str(source), "--output", str(target), "--balance", "none"
    )
    assert target.exists()
