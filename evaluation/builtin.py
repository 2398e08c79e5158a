"""The built-in instruments, as loaded by the data migrations ``0002_builtin_instruments`` and
``0005_builtin_french``."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

MIGRATIONS = (
    "evaluation.migrations.0002_builtin_instruments",
    "evaluation.migrations.0005_builtin_french",
)


def ensure_builtin_instruments() -> None:
    """Load any built-in instrument that is missing (after a database flush, for instance).
    Idempotent: existing instruments and their versions are left as they are."""
    for name in MIGRATIONS:
        import_module(name).load(apps, None)
