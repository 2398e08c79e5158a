"""Theme names a facilitator can read, in the facilitator's language.

A theme is named after its most characteristic concept (frequent among its statements, rarer in
the others), labelled in the facilitator's language from the lexicon; when two themes share
their first concept, each adds its next characteristic concept. When no concept is mentioned by
at least :data:`MIN_SHARE` of a theme's statements, the theme is named after its most
representative statement (closest to the theme's centre, preferring one in the facilitator's
language), shortened. Names are never lists of words, so never stop words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from .lexicon import Lexicon, default_lexicon
from .vectors import StatementVector

MIN_SHARE = 0.3
MAX_LENGTH = 80


def _with_broader(concepts: Sequence[str], lexicon: Lexicon) -> set[str]:
    found = {c for c in concepts if c in lexicon.concepts}
    for concept in list(found):
        found.update(lexicon.ancestors(concept))
    return found


def characteristic_concepts(
    members: Sequence[int],
    vectors: Sequence[StatementVector],
    limit: int = 3,
    lexicon: Lexicon | None = None,
) -> list[tuple[str, float]]:
    """Concepts of a theme, most characteristic first, with the share of members naming them
    (a statement naming a narrower concept names its broader ones too)."""
    lexicon = lexicon or default_lexicon()
    expanded = [_with_broader(v.concepts, lexicon) for v in vectors]
    inside = Counter(c for i in members for c in expanded[i])
    everywhere = Counter(c for concepts in expanded for c in concepts)
    size, total = max(1, len(members)), max(1, len(vectors))
    scored = []
    for concept, count in inside.items():
        share = count / size
        lift = share / (everywhere[concept] / total)
        scored.append((share * math.log(1.0 + lift), share, concept))
    scored.sort(key=lambda item: (-item[0], item[2]))
    return [(concept, share) for _score, share, concept in scored[:limit]]


def shorten(text: str, length: int = MAX_LENGTH) -> str:
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(",;:.-\u2013")
    return f"{cut}…"


def representative(
    members: Sequence[int],
    points: np.ndarray,
    vectors: Sequence[StatementVector],
    language: str,
) -> int:
    """The member closest to the theme's centre, preferring one in ``language`` among the
    closest three."""
    centre = points[list(members)].mean(axis=0)
    order = sorted(members, key=lambda i: (-float(points[i] @ centre), i))
    for index in order[:3]:
        if vectors[index].language == language:
            return index
    return order[0]


def theme_names(
    groups: Sequence[Sequence[int]],
    texts: Sequence[str],
    vectors: Sequence[StatementVector],
    points: np.ndarray,
    *,
    language: str = "en",
    lexicon: Lexicon | None = None,
) -> list[str]:
    """One unique name per group of statement indexes."""
    lexicon = lexicon or default_lexicon()
    ranked = [characteristic_concepts(members, vectors, lexicon=lexicon) for members in groups]
    firsts = Counter(r[0][0] for r in ranked if r and r[0][1] >= MIN_SHARE)
    names: list[str] = []
    for members, concepts in zip(groups, ranked, strict=True):
        usable = [(c, share) for c, share in concepts if share >= MIN_SHARE]
        if not members:
            name = ""
        elif not usable:
            index = representative(members, points, vectors, language)
            name = shorten(texts[index])
        else:
            name = lexicon.label(usable[0][0], language)
            if firsts[usable[0][0]] > 1 and len(usable) > 1:
                name = f"{name}: {lexicon.label(usable[1][0], language)}"
        names.append(name)
    return _unique(names)


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        base, candidate, suffix = name, name, 2
        while candidate.casefold() in seen:
            candidate = f"{base} ({suffix})"
            suffix += 1
        seen.add(candidate.casefold())
        out.append(candidate)
    return out
