"""Text in generated PDFs (`peerlearn.pdf`): every character drawn has a glyph in the embedded
font, Arabic is joined and in display order, lines wrap in reading order and never run wider
than their space, and a right-to-left language sets text against the right margin."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.utils import translation
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from peerlearn.pdf import (
    BOLD,
    REGULAR,
    display_order,
    draw_text,
    new_canvas,
    register_fonts,
    shape,
    wrap,
)

NAMES = [
    "Ama Mensah",
    "Ольга Смирнова",
    "Ἀλέξανδρος Παπαδόπουλος",
    "Արմեն Սարգսյան",
    "ნინო ბერიძე",
    "عبد الله الأحمد",
    "لطيفة بنت عبد الإله",
    "محمد رضا پورمحمدی",  # Persian letters
    "Şahin Çelik ﷲ",  # a ligature character the font lacks: drawn as its letters, joined
]


def glyphs(font: str) -> set[int]:
    register_fonts()
    return set(pdfmetrics.getFont(font).face.charToGlyph)


@pytest.mark.parametrize("name", NAMES)
def test_every_character_drawn_has_a_glyph_in_both_weights(name: str) -> None:
    drawn = display_order(shape(name), rtl=False)
    for font in (REGULAR, BOLD):
        missing = {char for char in drawn if ord(char) not in glyphs(font)}
        assert not missing, f"{font} has no glyph for {missing}"


def test_arabic_is_joined_with_only_the_ligatures_the_font_has() -> None:
    # Lam and alef join into one ligature the font has; "الله" stays four joined letters,
    # because the font has no glyph for the word ligature U+FDF2.
    assert shape("لا") == "\ufefb"
    shaped = shape("عبد الله")
    assert "\ufdf2" not in shaped
    assert shaped == "\ufecb\ufe92\ufeaa \ufe8d\ufedf\ufee0\ufeea"
    assert unicodedata.normalize("NFKC", shaped) == "عبد الله"


def test_latin_and_cyrillic_text_is_left_as_it_is() -> None:
    for text in ("Ama Mensah, 26 Nov. 2026", "Ольга Смирнова (№ 12)"):
        assert shape(text) == text
        assert display_order(shape(text), rtl=False) == text


def test_display_order_puts_arabic_right_to_left_and_keeps_numbers_and_latin_readable() -> None:
    word = shape("سلام")
    assert display_order(word, rtl=True) == word[::-1]
    # In a right-to-left line the Latin name and the number keep their own order.
    line = display_order(shape("شهادة Ama 2026"), rtl=True)
    assert line == "Ama 2026 " + shape("شهادة")[::-1]
    # In a left-to-right line an Arabic name is reversed as a whole, the rest stays.
    mixed = display_order(shape("Layla ليلى Ahmed"), rtl=False)
    assert mixed.startswith("Layla ") and mixed.endswith(" Ahmed")
    assert shape("ليلى")[::-1] in mixed


def test_wrap_breaks_at_spaces_in_reading_order_and_breaks_a_word_wider_than_a_line() -> None:
    text = shape("إعداد الموازنة على أساس النتائج في القطاع العام " * 3).strip()
    lines = wrap(text, font=REGULAR, size=12, width=150)
    assert len(lines) > 3
    assert " ".join(lines) == text
    assert all(pdfmetrics.stringWidth(line, REGULAR, 12) <= 150 for line in lines)
    long_word = "W" * 80
    pieces = wrap(long_word, font=BOLD, size=12, width=200)
    assert len(pieces) > 1 and "".join(pieces) == long_word
    assert all(pdfmetrics.stringWidth(piece, BOLD, 12) <= 200 for piece in pieces)


def start_of_text(language: str, text: str) -> tuple[float, str]:
    buffer = io.BytesIO()
    pdf = new_canvas(buffer, pagesize=(600, 400))
    with translation.override(language):
        after = draw_text(pdf, text, font=REGULAR, size=10, baseline=300, left=50, right=550)
    assert after == pytest.approx(300 - 13)
    pdf.showPage()
    pdf.save()
    starts: list[float] = []
    page = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
    extracted = page.extract_text(
        visitor_text=lambda t, _c, tm, _f, _s: starts.append(tm[4]) if t.strip() else None
    )
    fonts = {str(font.get_object()["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    assert all("DejaVuSans" in font for font in fonts)
    return min(starts), extracted


def test_text_is_set_against_the_start_margin_of_the_language() -> None:
    left_x, _text = start_of_text("en", "Certificate 12-4, issued 26/11/2026")
    assert left_x == pytest.approx(50)
    right_x, text = start_of_text("ar", "الشهادة 12-4")
    width = pdfmetrics.stringWidth(shape("الشهادة 12-4"), REGULAR, 10)
    assert right_x == pytest.approx(550 - width)
    assert "الشهادة" in unicodedata.normalize("NFKC", text)
