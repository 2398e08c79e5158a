"""``python manage.py propose_themes``: problem themes for challenge statements in a CSV file.

Input header ``id,text``; output ``id,theme`` (the theme's name), in the input's order. Bad rows
are reported by line number and the command exits non-zero without writing anything.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.themes import propose
from matching.themes.csvio import read_statements, write_themes


class Command(BaseCommand):
    help = "Propose problem themes for the statements of a CSV file (id,text) → id,theme."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="statements.csv (header id,text)")
        parser.add_argument("--output", required=True, help="themes.csv to write (id,theme)")
        parser.add_argument(
            "--themes", type=int, default=None, help="number of themes (default: chosen)"
        )
        parser.add_argument(
            "--language", default="en", help="language of the theme names (en, fr, ru, es...)"
        )
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["input"])
        if not source.is_file():
            raise CommandError(f"The input file {source} does not exist.")
        target = Path(options["output"])
        if not target.parent.is_dir():
            raise CommandError(f"The folder of {target} does not exist.")
        statements, issues = read_statements(source.read_bytes())
        if issues:
            for issue in issues:
                self.stderr.write(f"{source}: line {issue.line}: {issue.message}")
            raise CommandError(f"{len(issues)} problem(s) in {source}; nothing was written.")
        if not statements:
            raise CommandError(f"No statements in {source}; nothing was written.")
        count = options["themes"]
        if count is not None and not 1 <= count <= len(statements):
            raise CommandError(
                f"--themes must be between 1 and {len(statements)} (the number of statements)."
            )
        proposal = propose(
            [s.text for s in statements],
            k=count,
            language=options["language"],
            seed=options["seed"],
        )
        theme_of: dict[int, str] = {}
        for theme in proposal.themes:
            for member in theme.members:
                theme_of[member] = theme.name
        buffer = io.StringIO()
        write_themes(((s.id, theme_of[i]) for i, s in enumerate(statements)), buffer)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(buffer.getvalue())
        os.replace(temporary, target)
        self.stdout.write(
            f"{len(proposal.themes)} themes for {len(statements)} statements written to {target}."
        )
