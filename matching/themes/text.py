"""Language-aware text handling: language identification, Unicode words, stop words, stems.

Words are runs of Unicode letters in any script (Latin with or without accents, Cyrillic,
Arabic, Greek...); hyphens, apostrophes and digits split them. Each word is compared in two
forms: its *stem* (Snowball stemmer of the statement's language, then accents removed, so
"délais" and "delais" agree) and its *folded* form (lower case, accents removed) used for prefix
matching. Stop words are data files, one per language, in ``matching/data/stopwords/``.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import snowballstemmer

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
STOPWORD_DIR = DATA_DIR / "stopwords"

# Languages told apart by the language identifier: those of the sentence encoder's training
# data plus close neighbours, so that a statement in such a language is not forced into a wrong
# one. Stop words and the concept lexicon exist for the languages with a data file.
DETECTABLE = (
    "ar",
    "de",
    "en",
    "es",
    "fr",
    "it",
    "ja",
    "ko",
    "nl",
    "pl",
    "pt",
    "ru",
    "th",
    "tr",
    "uk",
    "zh",
)
STEMMERS = {
    "ar": "arabic",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "it": "italian",
    "nl": "dutch",
    "pt": "portuguese",
    "ru": "russian",
    "tr": "turkish",
}
UNKNOWN = "und"

_WORD = re.compile(r"[^\W\d_]+")
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Arabic: hamza and wasla forms of alef → bare alef, alef maqsura → ya, ta marbuta → ha.
_ARABIC_LETTERS = str.maketrans(
    {
        "\u0623": "\u0627",
        "\u0625": "\u0627",
        "\u0622": "\u0627",
        "\u0671": "\u0627",
        "\u0649": "\u064a",
        "\u0629": "\u0647",
    }
)
_YO, _IE = "\u0451", "\u0435"  # Cyrillic yo is written as ie in most texts


def fold(word: str) -> str:
    """Lower case without accents or other combining marks ("Délais" → "delais")."""
    word = word.lower().replace(_YO, _IE)
    if word.isascii():
        return word
    word = _ARABIC_MARKS.sub("", word).translate(_ARABIC_LETTERS)
    decomposed = unicodedata.normalize("NFKD", word)
    # Keep the short i (й) of Cyrillic, which NFKD would turn into и.
    decomposed = decomposed.replace("и\u0306", "й")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of a text in lower case (letters only; any script)."""
    return _WORD.findall(text.lower())


@cache
def stop_words(language: str) -> frozenset[str]:
    """Folded stop words of a language (empty for a language without a list)."""
    path = STOPWORD_DIR / f"{language}.txt"
    if not path.is_file():
        return frozenset()
    found: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#"):
            continue
        found.update(fold(w) for w in words(line))
    return frozenset(found)


def languages_with_data() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in STOPWORD_DIR.glob("*.txt")))


_STEMMER_LOCK = threading.Lock()
_stemmers: dict[str, object] = {}


def _stemmer(language: str) -> object | None:
    name = STEMMERS.get(language)
    if name is None:
        return None
    with _STEMMER_LOCK:
        if language not in _stemmers:
            _stemmers[language] = snowballstemmer.stemmer(name)
        return _stemmers[language]


@cache
def stem(word: str, language: str) -> str:
    """The folded Snowball stem of a lower-case word (the folded word where no stemmer exists)."""
    stemmer = _stemmer(language)
    word = word.replace(_YO, _IE)
    if stemmer is None:
        return fold(word)
    with _STEMMER_LOCK:
        stemmed = stemmer.stemWord(word)  # type: ignore[attr-defined]
    return fold(stemmed)


@dataclass(frozen=True)
class Token:
    word: str  # lower case, as written
    folded: str  # lower case, accents removed
    stem: str  # folded stem in the statement's language


def tokens(text: str, language: str, *, keep_stop_words: bool = False) -> list[Token]:
    """The content words of a text: at least two letters, stop words left out."""
    stops = stop_words(language)
    out: list[Token] = []
    for word in words(text):
        folded = fold(word)
        if len(folded) < 2 or (not keep_stop_words and folded in stops):
            continue
        out.append(Token(word=word, folded=folded, stem=stem(word, language)))
    return out


class LanguageIdentifier:
    """Language of a statement (ISO 639-1) by py3langid, among :data:`DETECTABLE`."""

    def __init__(self, languages: Iterable[str] = DETECTABLE) -> None:
        from py3langid.langid import MODEL_FILE
        from py3langid.langid import LanguageIdentifier as Identifier

        self._identifier = Identifier.from_model_file(MODEL_FILE, norm_probs=True)
        self._identifier.set_languages(sorted(languages))

    def detect(self, text: str, default: str = UNKNOWN) -> str:
        if len(words(text)) == 0:
            return default
        language, _probability = self._identifier.classify(text)
        return str(language)


_IDENTIFIER: LanguageIdentifier | None = None
_IDENTIFIER_LOCK = threading.Lock()


def detect_language(text: str, default: str = UNKNOWN) -> str:
    """ISO 639-1 code of the language a statement is written in (``default`` if no letters)."""
    global _IDENTIFIER
    with _IDENTIFIER_LOCK:
        if _IDENTIFIER is None:
            _IDENTIFIER = LanguageIdentifier()
        identifier = _IDENTIFIER
    return identifier.detect(text, default)
