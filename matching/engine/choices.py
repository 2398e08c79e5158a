"""Choices a run page can offer for an issue, and how a chosen one changes the options."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .models import Options
from .results import Choice, join_words


def turn_off_language() -> Choice:
    return Choice(
        kind="turn_off",
        code="language_turn_off",
        message="Turn the common-language rule off for this run.",
        changes={"common_language": False},
    )


def exempt_language(ids: Sequence[str], names: Sequence[str]) -> Choice:
    return Choice(
        kind="exempt",
        code="language_exempt",
        message=f"Relax the common-language rule for {join_words(names)} only.",
        peers=tuple(ids),
        params={"names": list(names)},
        changes={"language_exempt": list(ids)},
    )


def size_choices(options: Options) -> list[Choice]:
    """Wider size bounds: one more member allowed, or one fewer (not in pairs mode)."""
    if options.pairs:
        return []
    lo, hi = options.size_bounds
    out = [
        Choice(
            kind="sizes",
            code="allow_larger",
            message=f"Allow groups of up to {hi + 1} peers.",
            params={"max_size": hi + 1},
            changes={"max_size": hi + 1},
        )
    ]
    if lo > 2:
        out.append(
            Choice(
                kind="sizes",
                code="allow_smaller",
                message=f"Allow groups of {lo - 1} peers.",
                params={"min_size": lo - 1},
                changes={"min_size": lo - 1},
            )
        )
    return out


def apply_choice(options: Options, choice: Choice) -> Options:
    """The options with the choice's changes: locks, closed groups and exemptions are added to
    those already there; ``common_language``, ``one_per_organisation``, ``min_size`` and
    ``max_size`` are set."""
    changes = choice.changes
    cons = options.constraints
    locked = dict(cons.locked)
    locked.update({str(k): str(v) for k, v in dict(changes.get("locked", {})).items()})
    closed = tuple(dict.fromkeys([*cons.closed, *map(str, changes.get("closed", ()))]))
    exempt = tuple(
        dict.fromkeys([*cons.language_exempt, *map(str, changes.get("language_exempt", ()))])
    )
    cons = replace(
        cons,
        locked=locked,
        closed=closed,
        language_exempt=exempt,
        common_language=bool(changes.get("common_language", cons.common_language)),
        one_per_organisation=bool(changes.get("one_per_organisation", cons.one_per_organisation)),
    )
    return replace(
        options,
        constraints=cons,
        min_size=int(changes.get("min_size", options.min_size)),
        max_size=int(changes.get("max_size", options.max_size)),
    )
