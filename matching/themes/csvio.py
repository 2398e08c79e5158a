"""Reading challenge statements from CSV (``id,text``) and writing themes (``id,theme``).

Every problem is reported as ``(line, message)`` in plain words, and reading goes on so that
all problems are reported at once: a wrong header, a row without an id or without text, an id
used twice, a NUL byte, text that is not UTF-8 (or UTF-16 with its byte-order mark).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import IO, NamedTuple

HEADER = ("id", "text")
MAX_TEXT = 5000


class Statement(NamedTuple):
    line: int
    id: str
    text: str


class CsvIssue(NamedTuple):
    line: int
    message: str


def _decode(data: bytes, issues: list[CsvIssue]) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            issues.append(CsvIssue(1, "The file is not valid UTF-16 text."))
            return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        issues.append(
            CsvIssue(
                line,
                "This line is not valid UTF-8 text. Save the file as CSV UTF-8 and try again.",
            )
        )
        return None


def read_statements(data: bytes) -> tuple[list[Statement], list[CsvIssue]]:
    """Statements of a CSV file with the header ``id,text``, and every problem found."""
    issues: list[CsvIssue] = []
    text = _decode(data, issues)
    if text is None:
        return [], issues
    nul_lines: set[int] = set()
    for number, physical in enumerate(text.splitlines(), start=1):
        if "\x00" in physical:
            nul_lines.add(number)
            issues.append(CsvIssue(number, "This line contains a NUL byte (binary data)."))
    reader = csv.reader(io.StringIO(text.replace("\x00", ""), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], [CsvIssue(1, "The file is empty: the first line must be the header id,text.")]
    except csv.Error as error:
        return [], [CsvIssue(1, f"The header cannot be read as CSV ({error}).")]
    columns = [c.strip().casefold() for c in header]
    if columns != list(HEADER) or 1 in nul_lines:
        shown = ",".join(header)[:80]
        return [], [CsvIssue(1, f"The header must be exactly id,text (found {shown!r}).")]
    statements: list[Statement] = []
    first_line: dict[str, int] = {}
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            issues.append(CsvIssue(line, f"This line cannot be read as CSV ({error})."))
            break
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in row) or nul_lines.intersection(range(start, line)):
            continue
        if len(row) != 2:
            issues.append(
                CsvIssue(
                    start,
                    f"Expected 2 values (id,text), found {len(row)}; quote texts "
                    "that contain commas.",
                )
            )
            continue
        identifier, statement = row[0].strip(), " ".join(row[1].split())
        if not identifier:
            issues.append(CsvIssue(start, "The id is missing."))
            continue
        if not statement:
            issues.append(CsvIssue(start, f"The text of id {identifier!r} is missing."))
            continue
        if len(statement) > MAX_TEXT:
            issues.append(CsvIssue(start, f"The text is longer than {MAX_TEXT} characters."))
            continue
        if identifier in first_line:
            issues.append(
                CsvIssue(
                    start,
                    f"The id {identifier!r} is already used on line {first_line[identifier]}.",
                )
            )
            continue
        first_line[identifier] = start
        statements.append(Statement(start, identifier, statement))
    return statements, sorted(issues)


def write_themes(rows: Iterable[tuple[str, str]], out: IO[str]) -> int:
    """Write ``id,theme`` rows; returns how many."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "theme"])
    count = 0
    for identifier, theme in rows:
        writer.writerow([identifier, theme])
        count += 1
    return count
