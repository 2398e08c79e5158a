"""read_peers_csv / write_groups_csv."""

from __future__ import annotations

import io
from pathlib import Path

from matching.engine import Options, read_peers_csv, run, write_groups_csv
from matching.engine.synthetic import make_peers

HEADER = "id,name,country,organisation,role,seniority,task_area,career_level,education,themes\n"


def row(pid: str, themes: str = "Building teams;Managing upwards", org: str = "") -> str:
    return f"{pid},Name {pid},Kenya,{org or 'Org ' + pid},Manager,Senior,Tax,Mid,Master,{themes}\n"


def test_reads_a_good_file() -> None:
    text = HEADER + row("a") + row("b", " Building teams ; ;Budgets ") + "\n" + row("c")
    peers, issues = read_peers_csv(text)
    assert issues == []
    assert [p.id for p in peers] == ["a", "b", "c"]
    assert peers[1].themes == ("Building teams", "Budgets")
    assert peers[0].organisation == "Org a" and peers[0].task_area == "Tax"


def test_missing_required_columns_are_named() -> None:
    peers, issues = read_peers_csv("id,name,themes\na,Ann,x\n")
    assert issues[0].line == 1
    for column in (
        "country",
        "organisation",
        "role",
        "seniority",
        "task_area",
        "career_level",
        "education",
    ):
        assert column in issues[0].message
    assert [p.id for p in peers] == ["a"]
    none, issues = read_peers_csv("name,themes\nAnn,x\n")
    assert none == [] and "id" in issues[0].message


def test_row_errors_have_line_numbers() -> None:
    text = (
        HEADER  # line 1
        + row("a")  # line 2
        + row("")  # line 3: missing id
        + row("a")  # line 4: duplicate
        + row("d", themes="")  # line 5: no themes
        + '"e","Multi\nline name",Ghana,O,R,S,T,C,E,x\n'  # lines 6-7
        + row("e")  # line 8: duplicate of line 6
    )
    peers, issues = read_peers_csv(text)
    assert [p.id for p in peers] == ["a", "d", "e"]
    assert [(i.line, i.message.split(".")[0]) for i in issues] == [
        (3, "The id is missing"),
        (4, 'The id "a" is already used on line 2'),
        (5, 'Peer "d" has no themes'),
        (8, 'The id "e" is already used on line 6'),
    ]
    # Themes are optional when the strategy does not need them.
    _peers, issues = read_peers_csv(text, require_themes=False)
    assert 5 not in {i.line for i in issues}


def test_bad_encoding_is_reported_with_its_line() -> None:
    data = (HEADER + row("a") + row("b", themes="Caf\u00e9 budgets")).encode("latin-1")
    peers, issues = read_peers_csv(data)
    assert [(i.line, "UTF-8" in i.message) for i in issues] == [(3, True)]
    assert [p.id for p in peers] == ["a", "b"]


def test_empty_files() -> None:
    assert read_peers_csv("") == ([], [(1, "The file is empty.")])
    assert read_peers_csv(b"  \n\n")[1][0].message == "The file is empty."
    peers, issues = read_peers_csv(HEADER)
    assert peers == [] and "no peers" in issues[0].message


def test_lenient_header_bom_tabs_aliases_and_extra_columns(tmp_path: Path) -> None:
    text = (
        "\ufeffID\tName\tCountry\tOrganization\tRole\tSeniority\tTask area\tCareer level\t"
        "Education\tThemes\tLanguages\tFavourite colour\n"
        "a\tAnn\tKenya\tMoF\tR\tS\tT\tC\tE\tx;y\tEnglish;Swahili\tblue\n"
    )
    path = tmp_path / "peers.tsv"
    path.write_bytes(text.encode("utf-8"))
    for source in (text, path, io.BytesIO(text.encode()), io.StringIO(text)):
        peers, issues = read_peers_csv(source)
        assert issues == []
        assert peers[0].organisation == "MoF"
        assert peers[0].languages == ("en", "sw")  # English names read as ISO 639-1 codes
        assert peers[0].themes == ("x", "y")


def test_write_groups_csv() -> None:
    peers = make_peers(23, seed=1)
    result = run(peers, Options(effort=0.2))
    out = io.StringIO()
    count = write_groups_csv(result, out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "id,group" and count == 23 == len(lines) - 1
    written = dict(line.split(",") for line in lines[1:])
    assert written == result.assignment()


def test_languages_and_the_other_intake_factors_are_read() -> None:
    text = (
        HEADER.rstrip("\n") + ",languages,stage,influence,goals,professional affiliation,"
        "organisation name\n"
        "a,Ann,Kenya,17,R,S,T,C,E,x,en;fr-CA,Piloting,high,Open data;Faster budgets,PEMPAL,"
        "Ministry of Finance\n"
        "b,Bo,Kenya,18,R,S,T,C,E,x,,Exploring,low,,,\n"
    )
    peers, issues = read_peers_csv(text)
    assert issues == []
    a, b = peers
    assert a.languages == ("en", "fr") and b.languages == ()
    assert a.stage == "Piloting" and a.influence == "high"
    assert a.goals == ("Open data", "Faster budgets")
    assert a.affiliation == "PEMPAL" and a.organisation_label == "Ministry of Finance"
    assert b.organisation_label == "18"


def test_bad_language_codes_are_named_by_line() -> None:
    text = (
        HEADER.rstrip("\n")
        + ",languages\n"
        + row("a").rstrip("\n")
        + ",en;fr\n"
        + row("b").rstrip("\n")
        + ",en;xx;Klingon\n"
        + row("c").rstrip("\n")
        + ",russian\n"
        + row("d").rstrip("\n")
        + ",eng\n"
    )
    peers, issues = read_peers_csv(text)
    assert [i.line for i in issues] == [3, 5]
    assert issues[0].message.startswith('"xx" and "Klingon" are not language codes.')
    assert issues[1].message.startswith('"eng" is not a language code.')
    assert "ISO 639-1" in issues[0].message
    assert [p.languages for p in peers] == [
        ("en", "fr"),
        ("en", "xx", "Klingon"),
        ("ru",),
        ("eng",),
    ]
