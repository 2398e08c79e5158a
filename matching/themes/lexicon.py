"""The multilingual concept lexicon: surface terms in several languages → shared concept ids.

The lexicon is data (``matching/data/concepts.yaml``; its header explains the term syntax).
:meth:`Lexicon.concepts` finds the concepts a statement mentions, whatever its language:
"procurement", "marchés publics", "закупки", "contratación pública" all give ``procurement``.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from .text import DATA_DIR, Token, fold, stem, stop_words, tokens, words

LEXICON_PATH = DATA_DIR / "concepts.yaml"
ANY = "any"
MAX_GAP = 1  # other words allowed between two words of a multi-word term


@dataclass(frozen=True)
class Pattern:
    text: str
    prefix: bool  # match words starting with ``text`` (folded), else stems equal to ``text``

    def matches(self, token: Token) -> bool:
        if self.prefix:
            return token.folded.startswith(self.text)
        return token.stem == self.text


@dataclass(frozen=True)
class Term:
    concept: str
    patterns: tuple[Pattern, ...]
    source: str


@dataclass
class Concept:
    id: str
    labels: dict[str, str]
    broader: tuple[str, ...] = ()
    weight: float = 1.0

    def label(self, language: str) -> str:
        return self.labels.get(language) or self.labels.get("en") or self.id


@dataclass
class _Index:
    exact: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    prefix: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))


def compile_term(concept: str, term: str, language: str) -> Term | None:
    """A term's patterns in ``language`` (stop words dropped); None if nothing is left."""
    stem_language = "en" if language == ANY else language
    stops = stop_words(stem_language)
    patterns: list[Pattern] = []
    for chunk in term.split():
        star = chunk.endswith("*")
        parts = words(chunk.rstrip("*"))
        for position, part in enumerate(parts):
            folded = fold(part)
            last = position == len(parts) - 1
            if star and last:
                patterns.append(Pattern(folded, prefix=True))
            elif len(folded) >= 2 and folded not in stops:
                patterns.append(Pattern(stem(part, stem_language), prefix=False))
    if not patterns:
        return None
    return Term(concept=concept, patterns=tuple(patterns), source=term)


class Lexicon:
    """Concepts with labels, broader links, weights and compiled terms per language."""

    def __init__(self, data: dict, *, version: str = "") -> None:
        self.version = version
        self.concepts: dict[str, Concept] = {}
        self._index: dict[str, _Index] = defaultdict(_Index)
        for concept_id, entry in (data.get("concepts") or {}).items():
            self.concepts[concept_id] = Concept(
                id=concept_id,
                labels=dict(entry.get("labels") or {}),
                broader=tuple(entry.get("broader") or ()),
                weight=float(entry.get("weight", 1.0)),
            )
            for language, terms in (entry.get("terms") or {}).items():
                for text in terms or ():
                    term = compile_term(concept_id, str(text), language)
                    if term is None:
                        continue
                    first = term.patterns[0]
                    index = self._index[language]
                    (index.prefix if first.prefix else index.exact)[first.text].append(term)
        unknown = {b for c in self.concepts.values() for b in c.broader if b not in self.concepts}
        if unknown:
            raise ValueError(f"Unknown broader concepts in the lexicon: {sorted(unknown)}")

    @classmethod
    def load(cls, path: Path = LEXICON_PATH) -> Lexicon:
        raw = path.read_bytes()
        data = yaml.safe_load(raw.decode("utf-8")) or {}
        return cls(data, version=hashlib.sha256(raw).hexdigest()[:12])

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(lang for lang in self._index if lang != ANY))

    def ancestors(self, concept_id: str) -> list[str]:
        """Broader concepts, transitively (nearest first, no repeats)."""
        seen: list[str] = []
        frontier = list(self.concepts[concept_id].broader)
        while frontier:
            current = frontier.pop(0)
            if current in seen or current == concept_id:
                continue
            seen.append(current)
            frontier.extend(self.concepts[current].broader)
        return seen

    def _candidates(self, token: Token, language: str) -> Iterable[Term]:
        index = self._index.get(language)
        if index is None:
            return
        yield from index.exact.get(token.stem, ())
        folded = token.folded
        for end in range(1, len(folded) + 1):
            yield from index.prefix.get(folded[:end], ())

    @staticmethod
    def _rest_matches(term: Term, toks: Sequence[Token], start: int) -> bool:
        position = start
        for pattern in term.patterns[1:]:
            for step in range(1, MAX_GAP + 2):
                if position + step < len(toks) and pattern.matches(toks[position + step]):
                    position += step
                    break
            else:
                return False
        return True

    def matches(self, text: str, language: str) -> list[tuple[str, str]]:
        """``(concept, term)`` pairs found in a text written in ``language``."""
        toks = tokens(text, language)
        found: list[tuple[str, str]] = []
        for lang in (language, ANY):
            for start, token in enumerate(toks):
                for term in self._candidates(token, lang):
                    if self._rest_matches(term, toks, start):
                        found.append((term.concept, term.source))
        return found

    def concepts_in(self, text: str, language: str) -> list[str]:
        """The concepts a text mentions, each once, in order of first mention."""
        seen: dict[str, None] = {}
        for concept, _term in self.matches(text, language):
            seen.setdefault(concept, None)
        return list(seen)

    def label(self, concept_id: str, language: str) -> str:
        return self.concepts[concept_id].label(language)


@cache
def default_lexicon() -> Lexicon:
    return Lexicon.load()
