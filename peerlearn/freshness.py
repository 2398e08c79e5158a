"""Versions of the data that cached figures are computed from, changed by every write to it.

Apps name the tables to watch by app label (:func:`watch_app`, called when an app registers its
risk flags). Every database connection runs its statements through :func:`_watch`: an INSERT,
UPDATE or DELETE on a watched table (whether from ``save()``, ``queryset.update()``,
``bulk_create()`` or raw SQL) gives that table a new version when its transaction commits, in
the shared cache, so every process sees it.

A computation records the watched tables its statements read (:func:`recording`) and keeps,
with its result, the versions those tables had before it started (:func:`versions`); the result
is good while they are the same (:func:`still_current`). So a write to the intake drafts makes
only what reads the intake responses computed again, not everything cached.
"""

from __future__ import annotations

import contextvars
import hashlib
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
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
# Names in a statement: Django quotes every table (and column) name it writes.
_QUOTED = re.compile(r'"([A-Za-z0-9_]+)"')

# The sets of tables being recorded in this thread (a computation inside another records into
# both).
_recording: contextvars.ContextVar[tuple[set[str], ...]] = contextvars.ContextVar(
    "peerlearn_freshness_recording", default=()
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


def _key(table: str) -> str:
    return f"{VERSION_KEY}:{table}"


def versions(tables: Iterable[str]) -> dict[str, str]:
    """The current version of each of ``tables`` (a new one for a table the cache has none
    of), in one read of the cache."""
    wanted = sorted(set(tables))
    found = cache.get_many([_key(table) for table in wanted])
    result: dict[str, str] = {}
    missing = []
    for table in wanted:
        value = found.get(_key(table))
        if value is None:
            missing.append(table)
        else:
            result[table] = str(value)
    for table in missing:
        # Two processes may start the same table at once: the first one's version stays.
        cache.add(_key(table), uuid.uuid4().hex, VERSION_TIMEOUT)
    if missing:
        again = cache.get_many([_key(table) for table in missing])
        for table in missing:
            result[table] = str(again.get(_key(table)) or uuid.uuid4().hex)
    return result


def still_current(known: Mapping[str, str], current: Mapping[str, str] | None = None) -> bool:
    """Whether the tables of ``known`` (versions read by :func:`versions`) have not been
    written since; ``current`` may hold versions already read."""
    if current is None or not set(known) <= set(current):
        current = versions(known)
    return all(current.get(table) == value for table, value in known.items())


def version() -> str:
    """One version of all the watched data: it changes with any write to a watched table."""
    current = versions(watched_tables())
    digest = hashlib.sha1(repr(sorted(current.items())).encode(), usedforsecurity=False)
    return digest.hexdigest()


def data_changed(tables: Iterable[str] | None = None) -> None:
    """Give ``tables`` (every watched table when None) a new version now."""
    chosen = watched_tables() if tables is None else tables
    cache.set_many({_key(table): uuid.uuid4().hex for table in chosen}, VERSION_TIMEOUT)


@contextmanager
def recording() -> Iterator[set[str]]:
    """Record, into the set it gives, the watched tables the statements run inside read or
    write (on this thread)."""
    tables: set[str] = set()
    token = _recording.set((*_recording.get(), tables))
    try:
        yield tables
    finally:
        _recording.reset(token)


def written_table(sql: str) -> str | None:
    """The watched table ``sql`` writes to, if it writes to one."""
    match = _WRITE.match(sql)
    if match and match.group(1) in watched_tables():
        return match.group(1)
    return None


def writes_watched_table(sql: str) -> bool:
    return written_table(sql) is not None


class _Bump:
    """The call, on commit, that gives one table a new version."""

    def __init__(self, table: str) -> None:
        self.table = table

    def __call__(self) -> None:
        data_changed([self.table])


def _watch(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    if not isinstance(sql, str):
        return result
    recorders = _recording.get()
    if recorders:
        read = watched_tables().intersection(_QUOTED.findall(sql))
        for tables in recorders:
            tables.update(read)
    table = written_table(sql)
    if table is not None:
        connection = context["connection"]
        pending = connection.run_on_commit
        if not any(isinstance(entry[1], _Bump) and entry[1].table == table for entry in pending):
            transaction.on_commit(_Bump(table), using=connection.alias)
    return result


def _install(sender: Any, connection: Any, **kwargs: Any) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


connection_created.connect(_install, dispatch_uid="peerlearn.freshness")
