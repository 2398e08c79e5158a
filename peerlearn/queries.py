"""Small query expressions every app uses to count in the database instead of in Python."""

from __future__ import annotations

from django.db.models import IntegerField, Subquery


class SubqueryCount(Subquery):
    """The number of rows of a subquery (``COUNT(*)``, 0 when it has none), for ``annotate``:
    ``SubqueryCount(Member.objects.filter(group=OuterRef("pk")).values("pk"))``."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()
