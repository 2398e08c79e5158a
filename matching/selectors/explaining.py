"""Why the members of groups are together, as sentences in the page's language."""

from __future__ import annotations

from collections.abc import Iterable

from ..explanations import readable_many
from ..models import Group


def explanations_of(groups: Iterable[Group]) -> dict[int, str]:
    """``{group id: explanation}`` of every group, the organisations they name read in one
    query whatever the number of groups."""
    given = list(groups)
    return dict(
        zip(
            [group.pk for group in given],
            readable_many(group.explanation for group in given),
            strict=True,
        )
    )
