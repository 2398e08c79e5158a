"""Light formatting of discussion posts: CommonMark without raw HTML or images, sanitised by
nh3 (Ammonia) so nothing a peer types can run in another peer's browser; and @mentions."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
    "h3",
    "h4",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.disable(["image", "html_block", "html_inline"])
    return parser


def render(text: str) -> str:
    """Sanitised HTML of ``text``: headings become small ones, links get ``rel`` attributes."""
    rendered = _parser().render(text)
    rendered = re.sub(r"<(/?)h[1-2]>", r"<\1h3>", rendered)
    rendered = re.sub(r"<(/?)h[5-6]>", r"<\1h4>", rendered)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def plain(text: str, limit: int = 200) -> str:
    """The text of a post without its formatting, cut at ``limit`` characters (for emails)."""
    stripped = nh3.clean(_parser().render(text), tags=set())
    stripped = " ".join(html.unescape(stripped).split())
    return stripped if len(stripped) <= limit else stripped[: limit - 1].rstrip() + "…"


def mentioned(text: str, people: Iterable[Any]) -> list[Any]:
    """The people of ``people`` (with ``full_name`` and ``pk``) named in ``text`` as ``@Full
    Name``, or as ``@Firstname`` when no one else in ``people`` has that first name."""
    folded = text.casefold()
    if "@" not in folded:
        return []
    candidates = [person for person in people if (person.full_name or "").strip()]
    first_names: dict[str, list[Any]] = {}
    for person in candidates:
        first_names.setdefault(person.full_name.split()[0].casefold(), []).append(person)
    found: dict[int, Any] = {}
    for person in candidates:
        full = person.full_name.strip().casefold()
        if re.search(rf"@{re.escape(full)}(?!\w)", folded):
            found[person.pk] = person
            continue
        first = full.split()[0]
        if len(first_names[first]) == 1 and re.search(rf"@{re.escape(first)}(?!\w)", folded):
            found[person.pk] = person
    return list(found.values())
