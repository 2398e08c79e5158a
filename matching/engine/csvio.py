"""Lenient CSV reading of peers and writing of groups (for a management command).

Input header: ``id,name,country,organisation,role,seniority,task_area,career_level,education,
themes`` (any order; case, spaces and a few aliases such as "organization" are accepted).
Themes are separated by ``;``. Optional columns: ``context``, ``goals`` and ``languages`` (read
the same way), ``stage`` (implementation-pathway stage), ``influence``, ``affiliation`` and
``organisation_name``; any other column is ignored. A language is an ISO 639-1 code ("en",
"pt-BR") or an English language name ("French"); anything else is an error naming the line.
Every problem is returned as ``(line_number, message)`` in plain words; reading goes on after
an error so that all problems are reported at once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import IO, NamedTuple

from .languages import language_code
from .models import Peer
from .results import MatchingResult, PlacementResult, join_words

REQUIRED_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "country",
    "organisation",
    "role",
    "seniority",
    "task_area",
    "career_level",
    "education",
    "themes",
)
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "context",
    "languages",
    "goals",
    "stage",
    "influence",
    "affiliation",
    "organisation_name",
)
ALIASES: dict[str, str] = {
    "organization": "organisation",
    "org": "organisation",
    "task": "task_area",
    "policy_area": "task_area",
    "career": "career_level",
    "problem_themes": "themes",
    "theme": "themes",
    "language": "languages",
    "working_languages": "languages",
    "peer_id": "id",
    "region": "context",
    "goal": "goals",
    "implementation_stage": "stage",
    "pathway_stage": "stage",
    "influence_over_reform": "influence",
    "professional_affiliation": "affiliation",
    "organization_name": "organisation_name",
}


class CsvIssue(NamedTuple):
    line: int
    message: str


def _column(name: str) -> str:
    key = "_".join(name.strip().lstrip("\ufeff").casefold().replace("-", " ").split())
    return ALIASES.get(key, key)


def _decode(data: bytes, issues: list[CsvIssue]) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        issues.append(
            CsvIssue(
                line,
                "This line is not valid UTF-8 text. Save the file as CSV UTF-8 and try again.",
            )
        )
        return data.decode("utf-8-sig", errors="replace")


def read_peers_csv(
    source: str | bytes | Path | IO[str] | IO[bytes], *, require_themes: bool = True
) -> tuple[list[Peer], list[CsvIssue]]:
    """Read peers from CSV text, bytes, a path or an open file (text or binary).

    Returns the peers that could be read and the list of problems. A row without an id, or
    with an id already used, is skipped; a row without themes is kept, but it is an error
    when ``require_themes`` is True (the problem strategy needs themes).
    """
    issues: list[CsvIssue] = []
    if isinstance(source, Path):
        text = _decode(source.read_bytes(), issues)
    elif isinstance(source, bytes):
        text = _decode(source, issues)
    elif isinstance(source, str):
        text = source.lstrip("\ufeff")
    else:
        raw = source.read()
        text = _decode(raw, issues) if isinstance(raw, bytes) else raw.lstrip("\ufeff")
    if not text.strip():
        return [], [CsvIssue(1, "The file is empty.")]

    first_line = text.lstrip("\r\n").splitlines()[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_line = 1
    columns: dict[str, int] = {}
    peers: list[Peer] = []
    seen: dict[str, int] = {}
    last_line = 0
    try:
        for row in reader:
            start = last_line + 1
            last_line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = row
                header_line = start
                for pos, name in enumerate(row):
                    key = _column(name)
                    if key and key not in columns:
                        columns[key] = pos
                missing = [c for c in REQUIRED_COLUMNS if c not in columns]
                if missing:
                    what = "this column" if len(missing) == 1 else "these columns"
                    issues.append(
                        CsvIssue(start, f"The header is missing {what}: {join_words(missing)}.")
                    )
                if "id" not in columns:
                    return [], issues
                continue
            peer = _row_to_peer(row, columns)
            if not peer.id:
                issues.append(CsvIssue(start, "The id is missing. This row was skipped."))
                continue
            if peer.id in seen:
                issues.append(
                    CsvIssue(
                        start,
                        f'The id "{peer.id}" is already used on line {seen[peer.id]}. '
                        "This row was skipped.",
                    )
                )
                continue
            seen[peer.id] = start
            bad = _bad_languages(row, columns)
            if bad:
                what = "is not a language code" if len(bad) == 1 else "are not language codes"
                listed = join_words('"' + b + '"' for b in bad)
                issues.append(
                    CsvIssue(
                        start,
                        f"{listed} {what}. Use ISO 639-1 codes such as en, fr or ru, "
                        "separated by a semicolon (;).",
                    )
                )
            if require_themes and not peer.themes:
                issues.append(
                    CsvIssue(
                        start,
                        f'Peer "{peer.id}" has no themes. Matching by problem needs at least '
                        "one theme. Separate themes with a semicolon (;).",
                    )
                )
            peers.append(peer)
    except csv.Error as exc:
        issues.append(CsvIssue(reader.line_num, f"The file could not be read here: {exc}."))
    if header is not None and not peers and not any(i.line > header_line for i in issues):
        issues.append(CsvIssue(header_line, "The file has a header but no peers."))
    return peers, issues


def _bad_languages(row: list[str], columns: dict[str, int]) -> list[str]:
    pos = columns.get("languages")
    if pos is None or pos >= len(row):
        return []
    items = [" ".join(item.split()) for item in row[pos].split(";")]
    return [item for item in items if item and language_code(item) is None]


def _row_to_peer(row: list[str], columns: dict[str, int]) -> Peer:
    def cell(name: str) -> str:
        pos = columns.get(name)
        if pos is None or pos >= len(row):
            return ""
        return row[pos].strip()

    return Peer(
        id=cell("id"),
        name=cell("name"),
        country=cell("country"),
        organisation=cell("organisation"),
        role=cell("role"),
        seniority=cell("seniority"),
        task_area=cell("task_area"),
        career_level=cell("career_level"),
        education=cell("education"),
        context=tuple(cell("context").split(";")),
        languages=tuple(cell("languages").split(";")),
        themes=tuple(cell("themes").split(";")),
        goals=tuple(cell("goals").split(";")),
        stage=cell("stage"),
        influence=cell("influence"),
        affiliation=cell("affiliation"),
        organisation_name=cell("organisation_name"),
    )


def write_groups_csv(result: MatchingResult | PlacementResult, file: IO[str]) -> int:
    """Write ``id,group`` rows, group by group (unplaced late joiners get an empty group).

    Returns the number of peer rows written.
    """
    writer = csv.writer(file, lineterminator="\n")
    writer.writerow(["id", "group"])
    rows: Iterable[tuple[str, str]] = [(pid, g.label) for g in result.groups for pid in g.members]
    count = 0
    for pid, label in rows:
        writer.writerow([pid, label])
        count += 1
    if isinstance(result, PlacementResult):
        for unplaced in result.unplaced:
            writer.writerow([unplaced.peer_id, ""])
            count += 1
    return count
