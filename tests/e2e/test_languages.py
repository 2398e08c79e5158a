"""The interface in its peers' languages, as people see it in Chromium: the key pages of each
role in French show no English string of the catalogue, and in Arabic every page reads right to
left and fits a 360 px phone."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import polib
import pytest
from django.core.management import call_command
from django.urls import reverse

from matching.selectors import my_group
from peerlearn.users.models import User
from programmes.demo import DEMO_PROGRAMME
from programmes.models import Programme
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.service]

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = "demo.peerlearn.org"
PHONE = {"width": 360, "height": 740}
PLACEHOLDER = re.compile(r"%\(|\{|<")

TEXT_NODES = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, [hidden], select#language-select')) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
    for (const name of ['aria-label', 'placeholder', 'title']) {
      const value = el.getAttribute(name);
      if (value) out.push(value.trim());
    }
  }
  return out;
}"""


def english_strings() -> set[str]:
    """The catalogue's English texts that French writes differently (no placeholders, at least
    two words: single words such as "Diffusion" are the same in both languages)."""
    po = polib.pofile(str(ROOT / "locale/fr/LC_MESSAGES/django.po"))
    return {
        entry.msgid.strip()
        for entry in po
        if entry.translated()
        and not entry.msgid_plural
        and entry.msgstr.strip() != entry.msgid.strip()
        and not PLACEHOLDER.search(entry.msgid)
        and len(entry.msgid.split()) >= 2
    }


@pytest.fixture
def full_demo(transactional_db: None) -> Programme:
    call_command("load_demo", peers=12, stdout=StringIO())
    return Programme.objects.get(name=DEMO_PROGRAMME)


def key_pages(programme: Programme) -> dict[str, list[str]]:
    pk = programme.pk
    home = programme.get_absolute_url()
    group = my_group(User.objects.get(email=f"peer01@{DOMAIN}"), programme)
    assert group is not None
    return {
        f"peer01@{DOMAIN}": [
            "/",
            home,
            reverse("matching:intake", args=[pk]),
            reverse("matching:my_group", args=[pk]),
            reverse("group_life:workspace", args=[pk, group.pk]),
            reverse("group_life:journal", args=[pk]),
            reverse("evaluation:home", args=[pk]),
            reverse("diffusion:overview", args=[pk]),
            reverse("programmes:charter", args=[pk]),
            reverse("programmes:my_objectives", args=[pk]),
            reverse("profile"),
        ],
        f"facilitator@{DOMAIN}": [
            home,
            reverse("programmes:setup", args=[pk]),
            reverse("programmes:overview", args=[pk]),
            reverse("programmes:checklist", args=[pk]),
            reverse("programmes:import", args=[pk]),
            reverse("matching:overview", args=[pk]),
            reverse("group_life:progress_board", args=[pk]),
            reverse("evaluation:instruments", args=[pk]),
        ],
        f"manager@{DOMAIN}": [
            home,
            reverse("evaluation:dashboard", args=[pk]),
            reverse("evaluation:report", args=[pk]),
            reverse("diffusion:graph", args=[pk]),
        ],
        f"sponsor@{DOMAIN}": [home, reverse("programmes:nominations", args=[pk])],
    }


def open_in(browser: Any, live_server: Any, email: str, language: str) -> Any:
    User.objects.filter(email=email).update(preferred_language=language)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
    context.set_default_timeout(20_000)
    page = context.new_page()
    log_in(page, email)
    page.wait_for_url(re.compile(r"/$"))
    return page


def test_key_pages_of_each_role_in_french_show_no_english_catalogue_string(
    browser: Any, live_server: Any, full_demo: Programme
) -> None:
    english = english_strings()
    assert "No change" in english and "My programmes" in english
    found: dict[str, set[str]] = {}
    for email, paths in key_pages(full_demo).items():
        page = open_in(browser, live_server, email, "fr")
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, (email, path)
            assert page.evaluate("document.documentElement.lang") == "fr", path
            texts = page.evaluate(TEXT_NODES)
            shown = {text for text in texts if text in english}
            body = " ".join(texts)
            shown |= {s for s in english if len(s.split()) >= 5 and s in body}
            if shown:
                found[f"{email} {path}"] = shown
        page.context.close()
    assert found == {}


def test_arabic_pages_read_right_to_left_and_fit_a_phone(
    browser: Any, live_server: Any, full_demo: Programme
) -> None:
    pages = key_pages(full_demo)
    for email in (f"peer01@{DOMAIN}", f"manager@{DOMAIN}"):
        page = open_in(browser, live_server, email, "ar")
        for path in pages[email]:
            page.goto(path)
            assert page.evaluate("document.documentElement.dir") == "rtl", path
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
            # The page is drawn: its heading is inside the screen, at the right-hand side.
            heading = page.locator("main h1").first.bounding_box()
            assert heading is not None and heading["width"] > 0, path
            assert heading["x"] >= 0 and heading["x"] + heading["width"] <= PHONE["width"], path
            page.keyboard.press("Tab")
            box = page.evaluate("document.activeElement.getBoundingClientRect().toJSON()")
            assert box["left"] >= 0 and box["right"] <= PHONE["width"], (path, box)
        home = page.goto("/")
        assert home is not None
        # On a phone the menu folds into its button: "Menu", and "My programmes" inside.
        assert page.get_by_role("button", name="القائمة").is_visible()
        assert "برامجي" in (page.locator("header").text_content() or "")
        page.context.close()
