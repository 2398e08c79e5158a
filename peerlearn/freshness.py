"""A version of the data that cached figures are computed from, changed by every write to it.

Apps name the tables to watch by app label (:func:`watch_app`, called when an app registers its
risk flags). Every database connection runs its statements through :func:`_watch`: an INSERT,
UPDATE or DELETE on a watched table (whether from ``save()``, ``queryset.update()``,
``bulk_create()`` or raw SQL) gives the data a new version when its transaction commits, in the
shared cache, so every process sees it. A cache entry whose key holds :func:`version` is then
never read again.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.backends.signals import connection_created

VERSION_KEY = "peerlearn:data-version"
VERSION_TIMEOUT = 60 * 60 * 24 * 30

# The people themselves (names shown in flags) are always watched.
_WATCHED_APPS: set[str] = {"users"}
_IGNORED_MODELS: set[str] = set()
_tables: frozenset[str] | None = None

_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?',
    re.IGNORECASE,
)


def watch_app(label: str, *, ignore: Iterable[str] = ()) -> None:
    """Watch the tables of the app ``label``, except those of the models in ``ignore``."""
    global _tables
    _WATCHED_APPS.add(label)
    _IGNORED_MODELS.update(name.lower() for name in ignore)
    _tables = None


def watched_tables() -> frozenset[str]:
    global _tables
    if _tables is None:
        tables: set[str] = set()
        for label in _WATCHED_APPS:
            try:
                config = apps.get_app_config(label)
            except LookupError:
                continue
            for model in config.get_models(include_auto_created=True):
                if model._meta.label_lower not in _IGNORED_MODELS:
                    tables.add(model._meta.db_table)
        _tables = frozenset(tables)
    return _tables


def version() -> str:
    """The current version of the watched data (a new one when the cache has none)."""
    current = cache.get(VERSION_KEY)
    if current is None:
        current = uuid.uuid4().hex
        cache.add(VERSION_KEY, current, VERSION_TIMEOUT)
        current = cache.get(VERSION_KEY) or current
    return str(current)


def data_changed() -> None:
    """Give the watched data a new version now."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, VERSION_TIMEOUT)


def writes_watched_table(sql: str) -> bool:
    match = _WRITE.match(sql)
    return bool(match and match.group(1) in watched_tables())


def _watch(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and writes_watched_table(sql):
        connection = context["connection"]
        pending = connection.run_on_commit
        if not any(entry[1] is data_changed for entry in pending):
            transaction.on_commit(data_changed, using=connection.alias)
    return result


def _install(sender: Any, connection: Any, **kwargs: Any) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


connection_created.connect(_install, dispatch_uid="peerlearn.freshness")
