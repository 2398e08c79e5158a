"""Many aggregates of unrelated tables in one query: each aggregate becomes a scalar subquery of
one ``SELECT``, so a fingerprint of a dozen tables (counts, latest ids and dates) costs one round
trip to the database instead of one per table.

    values = one_row(
        responses=scalar(Response.objects.filter(wave__programme=p), Count("pk")),
        latest=scalar(Response.objects.filter(wave__programme=p), Max("updated_at")),
    )

Values come as the database driver gives them (dates may be text on SQLite): they are meant
for comparisons and fingerprints, not for display.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import Aggregate, QuerySet, Value


def scalar(queryset: QuerySet[Any], aggregate: Aggregate) -> QuerySet[Any]:
    """The one value of ``aggregate`` over ``queryset`` (no grouping), as a query."""
    return (
        queryset.order_by()
        .annotate(_whole=Value(1))
        .values("_whole")
        .annotate(_value=aggregate)
        .values("_value")
    )


def one_row(**scalars: QuerySet[Any]) -> dict[str, Any]:
    """``{name: value}`` of every scalar query, read in a single query."""
    if not scalars:
        return {}
    names = list(scalars)
    parts: list[str] = []
    params: list[Any] = []
    using = next(iter(scalars.values())).db
    for name in names:
        sql, query_params = scalars[name].query.sql_with_params()
        parts.append(f"({sql})")
        params.extend(query_params)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return dict(zip(names, row, strict=True))


def any_rows(**querysets: QuerySet[Any]) -> dict[str, bool]:
    """``{name: whether the query finds any row}`` of every query, read in a single query."""
    if not querysets:
        return {}
    names = list(querysets)
    parts: list[str] = []
    params: list[Any] = []
    using = next(iter(querysets.values())).db
    for name in names:
        sql, query_params = querysets[name].order_by().values("pk")[:1].query.sql_with_params()
        parts.append(f"EXISTS({sql})")
        params.extend(query_params)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return {name: bool(value) for name, value in zip(names, row, strict=True)}
