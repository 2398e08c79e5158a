"""The attendance certificate prints names and titles in any of the platform's scripts: the font
embedded is DejaVu Sans (never a standard font without Cyrillic or Arabic letters), Arabic is
joined and right to left, and the text a PDF reader extracts is the person's name."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader
from reportlab.lib.units import cm

from programmes import services
from programmes.models import Activity, Membership
from tests.conftest import World

from .factories import ActivityFactory

pytestmark = pytest.mark.django_db


@dataclass
class Run:
    text: str
    x: float
    y: float


@dataclass
class Certificate:
    text: str
    runs: list[Run]
    fonts: list[dict[str, object]]
    width: float


def read(pdf: bytes) -> Certificate:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    runs: list[Run] = []

    def visit(text: str, _cm: object, tm: list[float], _font: object, _size: object) -> None:
        if text.strip():
            runs.append(Run(text.strip(), tm[4], tm[5]))

    text = page.extract_text(visitor_text=visit)
    fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    return Certificate(text, runs, fonts, float(page.mediabox.width))


def certificate_of(client: Client, world: World, *, name: str, language: str) -> Certificate:
    world.peer.full_name = name
    world.peer.preferred_language = language
    world.peer.save()
    membership = Membership.objects.get(user=world.peer, programme=world.programme, role="peer")
    activity = ActivityFactory(
        programme=world.programme,
        kind=Activity.Kind.TRAINING,
        title="Бюджетирование по результатам" if language == "ru" else "إعداد الموازنة",
    )
    services.set_attendance(
        activity=activity, membership=membership, present=True, user=world.facilitator
    )
    # A facilitator prints it: the certificate is in the peer's language all the same.
    client.force_login(world.facilitator)
    url = reverse("programmes:certificate", args=[world.programme.pk, activity.pk])
    response = client.get(url, {"membership": membership.pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return read(response.content)


def assert_embeds_dejavu_only(certificate: Certificate) -> None:
    names = sorted(str(font["/BaseFont"]).split("+")[-1] for font in certificate.fonts)
    assert names == ["DejaVuSans", "DejaVuSans-Bold"]
    for font in certificate.fonts:
        descriptor = font["/FontDescriptor"].get_object()  # type: ignore[attr-defined]
        assert "/FontFile2" in descriptor  # the TrueType program is in the file
        assert "/ToUnicode" in font  # so the text can be searched and copied


def test_a_russian_certificate_prints_the_cyrillic_name(client: Client, world: World) -> None:
    certificate = certificate_of(client, world, name="Ольга Смирнова", language="ru")
    assert_embeds_dejavu_only(certificate)
    assert "Ольга Смирнова" in certificate.text
    assert "Бюджетирование по результатам" in certificate.text
    with translation.override("ru"):
        heading = gettext("Certificate of attendance")
    assert heading != "Certificate of attendance" and heading in certificate.text


def test_an_arabic_certificate_prints_the_name_joined_and_right_to_left(
    client: Client, world: World
) -> None:
    name = "عبد الله الأحمد"
    certificate = certificate_of(client, world, name=name, language="ar")
    assert_embeds_dejavu_only(certificate)
    # The letters are drawn in their joined forms (Arabic Presentation Forms), not as the
    # isolated letters of the name, and with no ligature the font lacks ("الله" as U+FDF2).
    shaped = [char for char in certificate.text if 0xFB50 <= ord(char) <= 0xFEFF]
    assert len(shaped) >= len(name.replace(" ", "")) - 1
    assert "عبد" not in certificate.text and "\ufdf2" not in certificate.text
    # The reader puts the glyphs drawn right to left back in reading order: the name again.
    assert name in unicodedata.normalize("NFKC", certificate.text)
    assert "إعداد الموازنة" in unicodedata.normalize("NFKC", certificate.text)


def test_the_footer_stands_against_the_start_margin_of_the_language(
    client: Client, world: World
) -> None:
    arabic = certificate_of(client, world, name="ليلى", language="ar")
    footer = [run for run in arabic.runs if run.y < 3 * cm]
    assert footer and min(run.x for run in footer) > arabic.width / 2
    russian = certificate_of(client, world, name="Ольга", language="ru")
    footer = [run for run in russian.runs if run.y < 3 * cm]
    assert footer and min(run.x for run in footer) == pytest.approx(2.5 * cm)
