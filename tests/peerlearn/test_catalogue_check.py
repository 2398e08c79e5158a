"""The catalogue check of ``make check`` fails on untranslated and fuzzy entries, wrong
placeholders and a stale compiled catalogue, and passes the catalogues as they are shipped."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location(
    "check_catalogues", ROOT / "scripts/check_catalogues.py"
)
assert spec and spec.loader
check_catalogues = importlib.util.module_from_spec(spec)
sys.modules["check_catalogues"] = check_catalogues
spec.loader.exec_module(check_catalogues)


def _catalogue(directory: Path, language: str, entries: list[polib.POEntry]) -> Path:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": language}
    for entry in entries:
        po.append(entry)
    path = directory / language / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))
    return path


def test_the_french_catalogue_as_shipped_is_complete() -> None:
    report = check_catalogues.check("fr", ROOT / "locale")
    assert report.total > 1000
    assert report.share == 1.0 and not report.fuzzy and not report.placeholders
    assert not report.stale_mo


def test_untranslated_fuzzy_and_placeholder_errors_are_reported(tmp_path: Path) -> None:
    fuzzy = polib.POEntry(msgid="No change", msgstr="Changer", flags=["fuzzy"])
    _catalogue(
        tmp_path,
        "fr",
        [
            polib.POEntry(msgid="Peers", msgstr="Pairs"),
            fuzzy,
            polib.POEntry(msgid="Hello %(name)s", msgstr="Bonjour %(nom)s"),
            polib.POEntry(msgid="Untranslated"),
        ],
    )
    report = check_catalogues.check("fr", tmp_path)
    assert report.total == 4 and report.translated == 2
    assert report.fuzzy == ["No change"] and report.untranslated == ["Untranslated"]
    assert report.placeholders == ["Hello %(name)s"]
    assert check_catalogues.main(["--locale-dir", str(tmp_path)]) == 1


def test_a_po_changed_without_compiling_is_stale(tmp_path: Path) -> None:
    path = _catalogue(tmp_path, "fr", [polib.POEntry(msgid="Peers", msgstr="Pairs")])
    po = polib.pofile(str(path))
    po[0].msgstr = "Les pairs"
    po.save()
    assert check_catalogues.check("fr", tmp_path).stale_mo


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_msgfmt_accepts_the_shipped_catalogues() -> None:
    for language in ("fr", "ru", "es", "ar"):
        result = subprocess.run(
            [
                "msgfmt",
                "--check",
                "--statistics",
                "-o",
                "/dev/null",
                str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
