"""Small query expressions every app uses to count in the database instead of in Python."""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField, Subquery


class SubqueryCount(Subquery):
    """The number of rows of a subquery (``COUNT(*)``, 0 when it has none), for ``annotate``:
    ``SubqueryCount(Member.objects.filter(group=OuterRef("pk")).values("pk"))``."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()

    def __init__(self, queryset: Any, **extra: Any) -> None:
        # A count needs no order: the model's default ordering would join the ordering tables.
        super().__init__(queryset.order_by(), **extra)
