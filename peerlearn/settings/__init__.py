"""Settings by environment: ``base`` holds what every environment shares; ``dev``, ``test`` and
``prod`` start from it (:func:`inherit`) and change what differs."""

from __future__ import annotations

from types import ModuleType
from typing import Any


def inherit(base: ModuleType, namespace: dict[str, Any]) -> None:
    """Copy the settings of ``base`` (its UPPER_CASE names, as Django reads them) into the
    ``namespace`` of the settings module being defined."""
    namespace.update({name: value for name, value in vars(base).items() if name.isupper()})
