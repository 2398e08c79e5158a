"""Check the translation catalogues of the languages PeerLearn ships.

For each language: the share of messages translated, the fuzzy ones (a guess by msgmerge that
nobody checked), placeholders that differ from the English text, and a compiled ``.mo`` that no
longer matches its ``.po`` (run ``make messages``). French must be complete, Russian and Spanish
at least 95 % translated, none may have a fuzzy entry; Arabic must translate the layout, the
navigation and the pages a peer uses. Prints a line per language and exits 1 on any failure.

    python scripts/check_catalogues.py [--locale-dir locale]
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import polib

# language -> the smallest share of messages that must be translated.
REQUIRED_SHARE = {"fr": 1.0, "ru": 0.95, "es": 0.95}
# Arabic is the right-to-left language: these sources (layout, navigation, a peer's pages)
# must be translated in full.
ARABIC_SOURCES = (
    "templates/base.html",
    "templates/home_anonymous.html",
    "templates/account/",
    "templates/components/next_step.html",
    "peerlearn/context_processors.py",
    "peerlearn/navigation.py",
    "peerlearn/templatetags/layout.py",
    "peerlearn/roles.py",
    "programmes/apps.py",
    "matching/apps.py",
    "group_life/apps.py",
    "evaluation/apps.py",
    "diffusion/apps.py",
    "programmes/next_steps.py",
    "matching/next_steps.py",
    "group_life/next_steps.py",
    "evaluation/next_steps.py",
    "diffusion/next_steps.py",
    "templates/programmes/programme_list.html",
    "templates/programmes/programme_detail.html",
    "templates/programmes/charter.html",
    "templates/programmes/my_objectives.html",
    "templates/matching/intake.html",
    "templates/matching/my_group.html",
    "templates/group_life/home.html",
    "templates/group_life/journal.html",
    "templates/evaluation/home.html",
    "templates/diffusion/overview.html",
)
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdfg]|%\([a-z_]+\)\.\d+f|\{[a-z_]+\}")


@dataclass
class Report:
    language: str
    total: int = 0
    translated: int = 0
    fuzzy: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    stale_mo: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.translated / self.total if self.total else 0.0


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _translations(entry: polib.POEntry | polib.MOEntry) -> list[str]:
    if entry.msgid_plural:
        return [text for _index, text in sorted(entry.msgstr_plural.items())]
    return [entry.msgstr]


def check(language: str, locale_dir: Path) -> Report:
    report = Report(language)
    po_path = locale_dir / language / "LC_MESSAGES" / "django.po"
    mo_path = po_path.with_suffix(".mo")
    if not po_path.exists():
        report.problems.append(f"{po_path} is missing (run make messages)")
        return report
    po = polib.pofile(str(po_path))
    compiled: dict[tuple[str | None, str], list[str]] = {}
    for entry in po:
        if entry.obsolete:
            continue
        report.total += 1
        label = entry.msgid if len(entry.msgid) < 70 else entry.msgid[:67] + "..."
        if "fuzzy" in entry.flags:
            report.fuzzy.append(label)
            continue
        texts = _translations(entry)
        if not entry.translated() or not all(texts):
            report.untranslated.append(label)
            continue
        report.translated += 1
        compiled[(entry.msgctxt, entry.msgid)] = texts
        wanted = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural or "")
        for text in texts:
            if _placeholders(text) - wanted or (
                not entry.msgid_plural and wanted - _placeholders(text)
            ):
                report.placeholders.append(label)
                break
    if not mo_path.exists():
        report.stale_mo = True
    else:
        mo = polib.mofile(str(mo_path))
        in_mo = {(e.msgctxt, e.msgid): _translations(e) for e in mo if e.msgid}
        report.stale_mo = in_mo != compiled
    return report


def arabic_gaps(locale_dir: Path) -> list[str]:
    po_path = locale_dir / "ar" / "LC_MESSAGES" / "django.po"
    if not po_path.exists():
        return ["the Arabic catalogue is missing"]
    gaps = []
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete or (entry.translated() and "fuzzy" not in entry.flags):
            continue
        sources = [path for path, _line in entry.occurrences]
        if any(path.startswith(ARABIC_SOURCES) for path in sources):
            gaps.append(entry.msgid[:70])
    return gaps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locale-dir", default="locale", type=Path)
    parser.add_argument("--show", type=int, default=5, help="examples to print per problem")
    args = parser.parse_args(argv)
    failed = False
    for language in [*REQUIRED_SHARE, "ar"]:
        report = check(language, args.locale_dir)
        required = REQUIRED_SHARE.get(language)
        ok = not report.problems and not report.fuzzy and not report.placeholders
        ok = ok and not report.stale_mo
        if required is not None:
            ok = ok and report.share >= required
        gaps = arabic_gaps(args.locale_dir) if language == "ar" else []
        ok = ok and not gaps
        goal = f"needs {required:.0%}" if required is not None else "layout, navigation, peer pages"
        print(
            f"{'ok  ' if ok else 'FAIL'} {language}: {report.translated}/{report.total} "
            f"translated ({report.share:.1%}, {goal}), {len(report.fuzzy)} fuzzy, "
            f"{len(report.placeholders)} with wrong placeholders"
            + (", compiled .mo out of date (make messages)" if report.stale_mo else "")
        )
        for problem in report.problems:
            print(f"     {problem}")
        details = (
            ("fuzzy", report.fuzzy),
            ("placeholders differ", report.placeholders),
            ("untranslated", report.untranslated if required is not None and not ok else []),
            ("untranslated on a layout or peer page", gaps),
        )
        for title, items in details:
            for item in items[: args.show]:
                print(f"     {title}: {item}")
            if len(items) > args.show:
                print(f"     ... and {len(items) - args.show} more {title}")
        failed = failed or not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
