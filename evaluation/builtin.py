"""The built-in instruments, as loaded by the data migration ``0002_builtin_instruments``."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

MIGRATION = "evaluation.migrations.0002_builtin_instruments"


def ensure_builtin_instruments() -> None:
    """Load any built-in instrument that is missing (after a database flush, for instance).
    Idempotent: existing instruments and their versions are left as they are."""
    import_module(MIGRATION).load(apps, None)
