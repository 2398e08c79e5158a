"""Text as people search it: case, accents and punctuation left out."""

from __future__ import annotations

import unicodedata

__all__ = ["folded"]

_MARKS = "-'\u2019`.,()"


def folded(text: str) -> str:
    """``text`` as compared in a search: in one case (``casefold``, so "ß" meets "ss" and
    Cyrillic and Greek capitals meet their small letters), without accents ("José" meets "Jose"),
    hyphens, apostrophes and repeated spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    for mark in _MARKS:
        kept = kept.replace(mark, " ")
    return " ".join(kept.split())
