"""Text in generated PDFs, in every language PeerLearn speaks.

ReportLab's standard fonts (Helvetica and the like) hold Western European letters only, so a
Russian or Arabic name would print as nothing or as boxes. Generated PDFs embed DejaVu Sans
(`peerlearn/fonts/`, with its licence), one typeface for Latin, Greek, Cyrillic, Armenian,
Georgian, Hebrew and Arabic.

ReportLab draws one glyph per character, left to right. Arabic letters take a different form at
the start, middle or end of a word, and Arabic and Hebrew run right to left, so a line is
prepared before it is drawn: ``arabic-reshaper`` replaces each Arabic letter by its joined
form from the Arabic Presentation Forms the font carries (ligatures only where the font has
them; vowel marks are left out, as ReportLab cannot set a mark over its letter), the text is
broken into lines in reading order, and each line is put in display order
by ``python-bidi`` (the Unicode bidirectional algorithm). In a right-to-left language the
lines that are not centred are set against the right margin.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path
from typing import Any, Literal

import arabic_reshaper
from arabic_reshaper.ligatures import LIGATURES
from bidi import get_display
from django.utils import translation
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}

Align = Literal["start", "centre"]
LEADING = 1.3  # line height, in font sizes

# The Unicode blocks of Arabic letters: a text with none of them is not reshaped.
_ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF))


@cache
def register_fonts() -> None:
    """Register the embedded fonts with ReportLab (once per process)."""
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / filename)))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )


def new_canvas(output: Any, *, pagesize: tuple[float, float]) -> Canvas:
    """A ReportLab canvas whose every font, the initial one too, is an embedded one."""
    register_fonts()
    return Canvas(output, pagesize=pagesize, initialFontName=REGULAR)


@cache
def _covered() -> frozenset[int]:
    """The characters every embedded font has a glyph for."""
    register_fonts()
    maps = [set(pdfmetrics.getFont(name).face.charToGlyph) for name in _FILES]
    return frozenset(set.intersection(*maps))


@cache
def _reshaper() -> arabic_reshaper.ArabicReshaper:
    covered = _covered()
    ligatures = {
        name: all(ord(char) in covered for form in forms for char in form)
        for name, (_match, forms) in LIGATURES
    }
    return arabic_reshaper.ArabicReshaper(configuration=ligatures)


def _has_arabic(text: str) -> bool:
    return any(low <= ord(char) <= high for char in text for low, high in _ARABIC_BLOCKS)


def shape(text: str) -> str:
    """``text`` with Arabic letters in their joined forms, still in reading order. A character
    the fonts have no glyph for is replaced by its compatibility equivalent when the fonts
    have that (the letters of a ligature, an unjoined letter), rather than drawn as a box."""
    text = _drawable(text)
    if _has_arabic(text):
        text = _drawable(_reshaper().reshape(text))
    return text


def _drawable(text: str) -> str:
    covered = _covered()
    if all(ord(char) in covered for char in text):
        return text
    out = []
    for char in text:
        if ord(char) not in covered:
            plain = unicodedata.normalize("NFKC", char)
            if plain and all(ord(c) in covered for c in plain):
                char = plain
        out.append(char)
    return "".join(out)


def display_order(line: str, *, rtl: bool) -> str:
    """One line of shaped text in the order its glyphs are drawn, left to right; ``rtl`` is
    the direction of the document's language."""
    shown = get_display(line, base_dir="R" if rtl else "L")
    return shown if isinstance(shown, str) else shown.decode()


def wrap(text: str, *, font: str, size: float, width: float) -> list[str]:
    """Shaped ``text`` broken at spaces (and at its own line breaks) into lines no wider than
    ``width`` points, in reading order; a word wider than a line is broken where it fills one."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if pdfmetrics.stringWidth(candidate, font, size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            *full, current = _pieces(word, font=font, size=size, width=width)
            lines.extend(full)
        lines.append(current)
    return lines


def _pieces(word: str, *, font: str, size: float, width: float) -> list[str]:
    pieces = [""]
    for char in word:
        if pieces[-1] and pdfmetrics.stringWidth(pieces[-1] + char, font, size) > width:
            pieces.append("")
        pieces[-1] += char
    return pieces


def fit(text: str, *, font: str, size: float, width: float) -> tuple[float, list[str]]:
    """The font size and the lines, in reading order, of shaped ``text`` set ``width`` points
    wide: the size is lowered (to half at most) when one word alone is wider than the line."""
    widest = max((pdfmetrics.stringWidth(word, font, size) for word in text.split()), default=0)
    if widest > width:
        size = max(size * width / widest, size / 2)
    return size, wrap(text, font=font, size=size, width=width)


def text_height(
    text: str, *, font: str, size: float, width: float, leading: float = LEADING
) -> float:
    """How far down the page ``draw_text`` moves the baseline for ``text``."""
    register_fonts()
    size, lines = fit(shape(text), font=font, size=size, width=width)
    return len(lines) * size * leading


def draw_text(
    pdf: Canvas,
    text: str,
    *,
    font: str,
    size: float,
    baseline: float,
    left: float,
    right: float,
    align: Align = "start",
    leading: float = LEADING,
) -> float:
    """Draw ``text`` between ``left`` and ``right``, its first line on ``baseline``: wrapped,
    centred or set against the start margin of the active language (the right one in Arabic),
    the font size lowered if one word alone is wider than the space (see ``fit``). Returns
    the baseline of the line that would come next."""
    register_fonts()
    rtl = translation.get_language_bidi()
    size, lines = fit(shape(text), font=font, size=size, width=right - left)
    pdf.setFont(font, size)
    for line in lines:
        shown = display_order(line, rtl=rtl)
        if align == "centre":
            pdf.drawCentredString((left + right) / 2, baseline, shown)
        elif rtl:
            pdf.drawRightString(right, baseline, shown)
        else:
            pdf.drawString(left, baseline, shown)
        baseline -= size * leading
    return baseline
