"""``python manage.py form_groups``: group peers from a CSV file with the matching engine.

Bad rows (a missing id, a repeated id, no themes, a language that is not an ISO 639-1 code)
are reported by line number and the command exits non-zero without writing output. When the
file has a ``languages`` column, the members of every group share a working language
(``--no-common-language`` turns the rule off); the constraint report names the peers it
cannot be met for, with the choices a run could take instead.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching import engine


def _pairs(text: str, what: str) -> dict[str, str]:
    """``a=x,b=y`` as a dict; CommandError naming the bad part."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise CommandError(f"Bad {what} {part!r}: use name=value, separated by commas.")
        out[key.strip()] = value.strip()
    return out


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
            help="for --strategy hybrid: e.g. problem=1,role=0.5,goals=0.5",
        )
        parser.add_argument(
            "--balance",
            default=None,
            help="balancing rules, e.g. stage=mix,influence=same,career_level=off "
            "(default: stage=mix,influence=mix; 'none' turns them all off)",
        )
        parser.add_argument(
            "--no-common-language",
            action="store_true",
            help="do not require the members of a group to share a working language",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["input"])
        if not source.is_file():
            raise CommandError(f"The input file {source} does not exist.")
        weights = None
        if options["strategy"] == "hybrid":
            weights = {}
            for key, value in _pairs(options["weights"], "weight").items():
                try:
                    weights[key] = float(value)
                except ValueError:
                    raise CommandError(f"Bad weight {key}={value}: use name=number.") from None
        balance = None
        if options["balance"] is not None:
            text = options["balance"].strip()
            balance = {} if text.casefold() == "none" else _pairs(text, "balancing rule")
        try:
            engine_options = engine.Options(
                strategy=options["strategy"],
                weights=weights,
                min_size=options["min_size"],
                max_size=options["max_size"],
                pairs=options["pairs"],
                seed=options["seed"],
                balance=balance,
                constraints=engine.Constraints(common_language=not options["no_common_language"]),
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
            for choice in entry.choices:
                self.stderr.write(f"    choice ({choice.kind}): {choice.message}")
        with_languages = sum(1 for p in peers if p.languages)
        if with_languages and not options["no_common_language"]:
            rule = "every group shares a working language"
            if not result.report.all_met and result.report.about("language"):
                rule = "the common-language rule could not be met for every group (see above)"
            self.stdout.write(f"Working languages given by {with_languages} peers: {rule}.")
        self.stdout.write(
            f"{rows} peers in {len(result.groups)} groups written to {target} "
            f"(score {result.score:.3f})."
        )
