"""Sections of a programme's pages, contributed by each app, grouped by stage and shown by role.

An app registers its sections in its ``AppConfig.ready()``; the shared layout lists those the
person may open (the same permission rules as the views), grouped by stage of the hourglass in
the order of :data:`STAGES`, and marks the section and stage of the page being shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

SETUP = "setup"
PEOPLE = "people"
MATCHING = "matching"
GROUP_LIFE = "group-life"
EVALUATION = "evaluation"
DIFFUSION = "diffusion"

#: The stages of a programme, in the order of the hourglass, with their names.
STAGES: dict[str, Any] = {
    SETUP: _("Set-up"),
    PEOPLE: _("People"),
    MATCHING: _("Matching"),
    GROUP_LIFE: _("Group life"),
    EVALUATION: _("Evaluation"),
    DIFFUSION: _("Diffusion"),
}


@dataclass(frozen=True)
class ProgrammeSection:
    key: str
    label: Any  # a lazy translation
    url_name: str  # reversed with the programme's pk as ``pk``
    permission: str  # a rule name from peerlearn.permissions
    order: int = 100
    stage: str = SETUP
    # Other pages (URL names) that belong to this section, e.g. the forms reached from it.
    pages: tuple[str, ...] = field(default=())


_SECTIONS: dict[str, ProgrammeSection] = {}


def register_section(section: ProgrammeSection) -> None:
    if section.stage not in STAGES:
        raise ValueError(f"unknown stage {section.stage!r} for section {section.key!r}")
    _SECTIONS[section.key] = section


def sections_for(user: Any, programme: Any) -> list[dict[str, str]]:
    """The sections ``user`` may open in ``programme``, in order, with their URLs."""
    result = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        if user.has_perm(section.permission, programme):
            url = reverse(section.url_name, kwargs={"pk": programme.pk})
            result.append(
                {
                    "key": section.key,
                    "label": str(section.label),
                    "url": url,
                    "stage": section.stage,
                }
            )
    return result


def _current_section(sections: list[dict[str, str]], path: str, view_name: str) -> str | None:
    """The section of the page at ``path`` (named ``view_name``): one that names the page, else
    the section whose address is the longest start of the path."""
    for section in sections:
        if view_name and view_name in _SECTIONS[section["key"]].pages:
            return section["key"]
    best: tuple[int, str] | None = None
    for section in sections:
        if path.startswith(section["url"]) and (best is None or len(section["url"]) > best[0]):
            best = (len(section["url"]), section["key"])
    return best[1] if best else None


def _marker(section: dict[str, str], current: str | None, path: str) -> str:
    """The ``aria-current`` of a section's link: "page" on its own address, "true" on the other
    pages of the section, empty elsewhere."""
    if section["key"] != current:
        return ""
    return "page" if path == section["url"] else "true"


def stages_for(user: Any, programme: Any, *, path: str = "", view_name: str = "") -> dict[str, Any]:
    """The programme's navigation for ``user``: the stages that have a section they may open,
    each with its sections, the current section and stage marked for the page at ``path``."""
    sections = sections_for(user, programme)
    current = _current_section(sections, path, view_name)
    stages = []
    for code, label in STAGES.items():
        members = [
            dict(s, current=_marker(s, current, path)) for s in sections if s["stage"] == code
        ]
        if members:
            stages.append(
                {
                    "code": code,
                    "label": str(label),
                    "url": members[0]["url"],
                    "sections": members,
                    "current": any(s["current"] for s in members),
                }
            )
    try:
        home = programme.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        home = ""
    current_stage = next((stage for stage in stages if stage["current"]), None)
    return {
        "programme": programme,
        "home": home,
        "at_home": bool(home) and path == home,
        "stages": stages,
        "current_stage": current_stage,
    }
