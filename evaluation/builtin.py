"""The built-in instruments, as loaded by the data migrations ``0002_builtin_instruments``,
``0005_builtin_french``, ``0008_builtin_descriptions_for_respondents`` and
``0009_builtin_french_complete``."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

MIGRATIONS = (
    ("evaluation.migrations.0002_builtin_instruments", "load"),
    ("evaluation.migrations.0005_builtin_french", "load"),
    ("evaluation.migrations.0008_builtin_descriptions_for_respondents", "rewrite"),
    ("evaluation.migrations.0009_builtin_french_complete", "load"),
)


def ensure_builtin_instruments() -> None:
    """Load any built-in instrument that is missing (after a database flush, for instance).
    Idempotent: existing instruments and their versions are left as they are."""
    for name, function in MIGRATIONS:
        getattr(import_module(name), function)(apps, None)
