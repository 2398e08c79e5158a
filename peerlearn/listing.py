"""Long lists, one page at a time, with filters: the one component every list of people, groups,
responses, report-backs or runs uses.

A view narrows its queryset with a :class:`ListFilters` form (GET fields, all optional), then
calls :func:`paginate`, which counts the rows and reads one page (two queries, whatever the
size of the programme). The template shows the form with ``{% include "includes/list_filters.html"
with listing=people %}`` and the page links with ``{% include "includes/pagination.html" with
listing=people %}``. Two lists on one page take different prefixes, so each keeps its own page
and filters in the address, and paging one keeps the other where it is.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


class ListFilters(forms.Form):
    """The filters of one list: a GET form whose fields are all optional.

    Subclasses declare the fields; :meth:`values` gives the valid ones (a value that does not
    fit, say a cohort of another programme, is shown as an error next to its field and left
    out, so the list is never narrowed by something the person did not mean).
    """

    use_required_attribute = False

    def __init__(self, request: HttpRequest, *, prefix: str = "", **kwargs: Any) -> None:
        names = {f"{prefix}-{name}" if prefix else name for name in self.base_fields}
        data = request.GET if names & set(request.GET) else None
        super().__init__(data, prefix=prefix or None, **kwargs)
        for field in self.fields.values():
            field.required = False

    def values(self) -> dict[str, Any]:
        """The filters in force: every valid, non-empty field."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: value
            for name, value in cleaned.items()
            if name not in self.errors and value not in (None, "", [], ())
        }

    @property
    def active(self) -> bool:
        return bool(self.values())


@dataclass
class Listing:
    """One page of a list, with what its template needs to link to the others."""

    page: Page
    query: QueryDict
    prefix: str
    filters: ListFilters | None = None
    label: Any = ""  # names the page links for screen readers ("Pages of peers")

    def __iter__(self) -> Iterator[Any]:
        return iter(self.page.object_list)

    def __len__(self) -> int:
        return len(self.page.object_list)

    def __bool__(self) -> bool:
        return bool(self.page.object_list)

    @property
    def param(self) -> str:
        return page_param(self.prefix)

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def has_other_pages(self) -> bool:
        return self.page.has_other_pages()

    def url_for(self, number: int) -> str:
        """The address of page ``number`` of this list (the other lists' pages and filters
        kept)."""
        query = self.query.copy()
        if number <= 1:
            query.pop(self.param, None)
        else:
            query[self.param] = str(number)
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else "?"

    @property
    def previous_url(self) -> str:
        return self.url_for(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.url_for(self.page.next_page_number()) if self.page.has_next() else ""

    def links(self) -> list[dict[str, Any]]:
        """Page numbers to show: the first and last, and two either side of this one."""
        numbers = self.page.paginator.get_elided_page_range(
            self.page.number, on_each_side=2, on_ends=1
        )
        return [
            {
                "number": number,
                "url": self.url_for(number) if isinstance(number, int) else "",
                "current": number == self.page.number,
                "gap": not isinstance(number, int),
            }
            for number in numbers
        ]

    def other_params(self) -> list[tuple[str, str]]:
        """The query parameters of the other lists on the page, for the filter form to keep."""
        own = set(self.filters.fields) if self.filters is not None else set()
        prefix = f"{self.prefix}-" if self.prefix else ""
        mine = {f"{prefix}{name}" for name in own} | {self.param}
        return [
            (key, value)
            for key in self.query
            for value in self.query.getlist(key)
            if key not in mine
        ]

    def clear_url(self) -> str:
        """This list without its filters (on its first page)."""
        params = self.other_params()
        return f"?{urlencode(params)}" if params else "?"


def page_param(prefix: str) -> str:
    return f"{prefix}-page" if prefix else "page"


def paginate(
    request: HttpRequest,
    items: QuerySet[Any] | Sequence[Any],
    *,
    per_page: int = DEFAULT_PER_PAGE,
    prefix: str = "",
    filters: ListFilters | None = None,
    label: Any = None,
) -> Listing:
    """Page ``number`` (from the ``page`` parameter, or ``<prefix>-page``) of ``items``.

    A queryset must be ordered. A page number that is not a number gives the first page, one
    past the end the last page.
    """
    paginator = Paginator(items, min(per_page, MAX_PER_PAGE), allow_empty_first_page=True)
    page = paginator.get_page(request.GET.get(page_param(prefix)))
    return Listing(
        page=page, query=request.GET, prefix=prefix, filters=filters, label=label or _("Pages")
    )
