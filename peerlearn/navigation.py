"""Sections of a programme's pages, contributed by each app and shown by role.

An app registers its sections in its ``AppConfig.ready()``; the programme layout lists those the
person may open (the same permission rules as the views).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class ProgrammeSection:
    key: str
    label: Any  # a lazy translation
    url_name: str  # reversed with the programme's pk as ``pk``
    permission: str  # a rule name from peerlearn.permissions
    order: int = 100


_SECTIONS: dict[str, ProgrammeSection] = {}


def register_section(section: ProgrammeSection) -> None:
    _SECTIONS[section.key] = section


def sections_for(user: Any, programme: Any) -> list[dict[str, str]]:
    """The sections ``user`` may open in ``programme``, in order, with their URLs."""
    result = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        if user.has_perm(section.permission, programme):
            url = reverse(section.url_name, kwargs={"pk": programme.pk})
            result.append({"key": section.key, "label": str(section.label), "url": url})
    return result
