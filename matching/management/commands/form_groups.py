"""``python manage.py form_groups``: group peers from a CSV file with the matching engine.

Bad rows are reported by line number and the command exits non-zero without writing output.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching import engine


class Command(BaseCommand):
    help = "Group peers from a CSV file (id,name,country,organisation,...,themes) into groups."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="peers.csv")
        parser.add_argument("--output", required=True, help="groups.csv to write (id,group)")
        parser.add_argument(
            "--strategy", default="problem", choices=list(engine.STRATEGIES), help="strategy"
        )
        parser.add_argument("--min-size", type=int, default=5)
        parser.add_argument("--max-size", type=int, default=6)
        parser.add_argument("--pairs", action="store_true", help="form pairs")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--weights",
            default="",
            help="for --strategy hybrid: e.g. problem=1,role=0.5",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["input"])
        if not source.is_file():
            raise CommandError(f"The input file {source} does not exist.")
        weights = None
        if options["strategy"] == "hybrid":
            weights = {}
            for part in filter(None, options["weights"].split(",")):
                key, _sep, value = part.partition("=")
                try:
                    weights[key.strip()] = float(value)
                except ValueError:
                    raise CommandError(f"Bad weight {part!r}: use name=number.") from None
        try:
            engine_options = engine.Options(
                strategy=options["strategy"],
                weights=weights,
                min_size=options["min_size"],
                max_size=options["max_size"],
                pairs=options["pairs"],
                seed=options["seed"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        peers, issues = engine.read_peers_csv(
            source, require_themes=options["strategy"] in ("problem",)
        )
        if issues:
            for issue in issues:
                self.stderr.write(f"{source}: line {issue.line}: {issue.message}")
            raise CommandError(
                f"{len(issues)} problem(s) in {source}; nothing was written to {options['output']}."
            )
        if not peers:
            raise CommandError(f"No peers in {source}; nothing was written.")
        result = engine.run(peers, engine_options)
        buffer = io.StringIO()
        rows = engine.write_groups_csv(result, buffer)
        target = Path(options["output"])
        handle, temporary = tempfile.mkstemp(dir=target.parent or Path("."), suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(buffer.getvalue())
        os.replace(temporary, target)
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
        for entry in result.report.issues:
            self.stderr.write(f"{entry.kind}: {entry.message}")
        self.stdout.write(
            f"{rows} peers in {len(result.groups)} groups written to {target} "
            f"(score {result.score:.3f})."
        )
