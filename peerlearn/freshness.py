"""Versions of the data that cached figures are computed from, changed by every write to it.

Apps name the tables to watch by app label (:func:`watch_app`, called when an app registers its
risk flags). Every database connection runs its statements through :func:`_watch`: an INSERT,
UPDATE or DELETE on a watched table (whether from ``save()``, ``queryset.update()``,
``bulk_create()`` or raw SQL) gives that table a new version when its transaction commits, in
the shared cache, so every process sees it.

A computation records the watched tables its statements read (:func:`recording`) and keeps,
with its result, the versions those tables had before it started (:func:`versions`); the result
is good while they are the same (:func:`still_current`, :func:`cached`). So a write to the intake
responses makes only what reads them be computed again, not everything cached.

Columns written often that few computations read (an intake's draft, saved as the peer types)
are versioned apart (:func:`version_apart`): an UPDATE that sets only such columns gives them,
not their table, a new version, and only a computation whose statements name them depends on
them.
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
_APART_MODELS: dict[str, set[str]] = {}
_tables: frozenset[str] | None = None
_apart: dict[str, frozenset[str]] = {}

_SET = re.compile(r'^\s*UPDATE\s+"?[A-Za-z0-9_]+"?\s+SET\s+(.*?)(?:\s+WHERE\s|$)', re.I | re.S)
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


def version_apart(model: str, columns: Iterable[str]) -> None:
    """Give the ``columns`` of ``model`` ("app_label.Model", of a watched app) a version of
    their own: an UPDATE that sets only these columns leaves their table's version as it is."""
    global _tables
    _APART_MODELS.setdefault(model.lower(), set()).update(columns)
    _tables = None


def apart_columns() -> dict[str, frozenset[str]]:
    """The columns versioned apart, by table."""
    watched_tables()
    return _apart


def watched_names() -> frozenset[str]:
    """Every name with a version: the watched tables and their columns versioned apart."""
    columns = {f"{table}.{column}" for table, cols in apart_columns().items() for column in cols}
    return watched_tables() | columns


def watched_tables() -> frozenset[str]:
    global _tables, _apart
    if _tables is None:
        _apart = {}
        for label, columns in _APART_MODELS.items():
            model = apps.get_model(label)
            _apart[model._meta.db_table] = frozenset(
                model._meta.get_field(name).column for name in columns
            )
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
    current = versions(watched_names())
    digest = hashlib.sha1(repr(sorted(current.items())).encode(), usedforsecurity=False)
    return digest.hexdigest()


def data_changed(tables: Iterable[str] | None = None) -> None:
    """Give ``tables`` (names of :func:`watched_names`, all of them when None) a new version."""
    chosen = watched_names() if tables is None else tables
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


def cached(key: str, compute: Callable[[], Any], timeout: int) -> Any:
    """``compute()``, from the cache under ``key`` while none of the watched data its
    statements read has been written since."""
    entry = cache.get(key)
    if entry is not None and still_current(entry[0]):
        return entry[1]
    current = versions(watched_names())
    with recording() as read:
        value = compute()
    cache.set(key, ({name: current[name] for name in read}, value), timeout)
    return value


def written_names(sql: str) -> list[str]:
    """The names whose version a write ``sql`` changes: its table, or the columns versioned
    apart when it updates only those."""
    table = written_table(sql)
    if table is None:
        return []
    apart = apart_columns().get(table)
    if apart:
        found = _SET.match(sql)
        if found:
            columns = set(_QUOTED.findall(found.group(1))) - {table}
            if columns and columns <= apart:
                return sorted(f"{table}.{column}" for column in columns)
    return [table]


def _read_names(sql: str) -> set[str]:
    quoted = set(_QUOTED.findall(sql))
    read = set(watched_tables().intersection(quoted))
    for table in list(read):
        for column in apart_columns().get(table, frozenset()) & quoted:
            read.add(f"{table}.{column}")
    return read


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


def is_version_bump(callback: object) -> bool:
    """Whether an on-commit callback is the one that gives a written table a new version (as
    opposed to the work a service queued)."""
    return isinstance(callback, _Bump)


def _watch(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    if not isinstance(sql, str):
        return result
    recorders = _recording.get()
    if recorders:
        read = _read_names(sql)
        for tables in recorders:
            tables.update(read)
    for table in written_names(sql):
        connection = context["connection"]
        pending = connection.run_on_commit
        if not any(isinstance(entry[1], _Bump) and entry[1].table == table for entry in pending):
            transaction.on_commit(_Bump(table), using=connection.alias)
    return result


def _install(sender: Any, connection: Any, **kwargs: Any) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


connection_created.connect(_install, dispatch_uid="peerlearn.freshness")
