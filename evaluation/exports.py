"""CSV and XLSX exports of responses and indicators.

Responses are exported one row per answer, through the same visibility rules as the pages
(:func:`evaluation.selectors.text_visible_q`): free text marked private never leaves, and a
programme manager's export holds only the free text shared with the whole programme.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from . import indicators, selectors
from .models import Answer, Item, Response, Visibility, Wave, answer_display

if TYPE_CHECKING:
    from programmes.models import Programme


Rows = Iterable[list[Any]]
Progress = Callable[[int], None]

# Rows written between two notes of progress on an export job.
PROGRESS_EVERY = 500


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _safe(value: Any) -> Any:
    """Keep spreadsheet programs from reading a cell as a formula, including when the formula
    character follows leading whitespace or is its fullwidth form."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in FORMULA_STARTS or value.lstrip()[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def _answers(user: Any, programme: Programme) -> Any:
    levels = selectors.free_text_levels_for(user, programme) - {Visibility.PRIVATE}
    return (
        Answer.objects.filter(
            response__wave__programme=programme, response__status=Response.Status.SUBMITTED
        )
        .filter(selectors.text_visible_q(levels))
        .exclude(visibility=Visibility.PRIVATE, item__kind__in=("short_text", "long_text"))
    )


def response_count(user: Any, programme: Programme) -> int:
    """How many rows the responses export holds for ``user``."""
    return int(_answers(user, programme).count())


def response_rows(user: Any, programme: Programme) -> tuple[list[str], Rows]:
    """The headers and the rows, read from the database in chunks as they are written: plain
    values per answer, the waves and questions looked up once each."""
    headers = [
        _("wave"),
        _("moment"),
        _("response"),
        _("respondent"),
        _("submitted at"),
        _("question code"),
        _("question"),
        _("value cycle"),
        _("answer"),
    ]

    def rows() -> Iterator[list[Any]]:
        waves = {
            wave.pk: (wave.title, wave.get_kind_display())
            for wave in Wave.objects.filter(programme=programme)
        }
        items: dict[int, tuple[Item, dict[str, str], str]] = {}
        values = (
            _answers(user, programme)
            .order_by("response__wave_id", "response_id", "item__position", "pk")
            .values_list(
                "response__wave_id",
                "response_id",
                "response__respondent__email",
                "response__submitted_at",
                "item_id",
                "number",
                "choice",
                "selected",
                "text",
            )
        )
        for wave_id, response_id, email, submitted_at, item_id, *answer in values.iterator(
            chunk_size=2000
        ):
            if item_id not in items:
                item = Item.objects.get(pk=item_id)
                items[item_id] = (item, dict(item.options()), item.question)
            item, labels, question = items[item_id]
            title, moment = waves[wave_id]
            yield [
                title,
                moment,
                response_id,
                email,
                submitted_at.isoformat() if submitted_at else "",
                item.code,
                question,
                item.cycle,
                answer_display(item.kind, labels, *answer),
            ]

    return headers, rows()


def indicator_rows(user: Any, programme: Programme) -> tuple[list[str], Rows]:
    data = indicators.dashboard(programme)
    headers = [_("tier"), _("indicator"), _("code"), _("value"), _("shown as"), _("detail")]
    rows: list[list[Any]] = []
    for _tier, label, items in data.tiers:
        for indicator in items:
            rows.append(
                [
                    label,
                    indicator.label,
                    indicator.code,
                    indicator.value,
                    indicator.display,
                    indicator.detail,
                ]
            )
    for stage in data.funnel:
        rows.append([_("Funnel"), stage.label, f"funnel_{stage.code}", stage.count, "", stage.note])
    for cycle in data.cycles:
        rows.append(
            [
                _("Value cycles"),
                cycle.label,
                f"cycle_{cycle.cycle}",
                cycle.reporting,
                "",
                _("%(answered)s peers answered") % {"answered": cycle.answered},
            ]
        )
    for row in data.impact:
        rows.append(
            [
                _("Impact"),
                row["indicator"],
                row["country"],
                row["latest"].value,
                str(row["latest"].observed_on),
                _("first: %(value)s on %(day)s")
                % {"value": row["first"].value, "day": row["first"].observed_on},
            ]
        )
    return headers, rows


def _counted(rows: Rows, progress: Progress | None) -> Iterator[list[Any]]:
    """``rows`` as they are, telling ``progress`` how many went by every few hundred."""
    done = 0
    for row in rows:
        yield row
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
    if progress is not None:
        progress(done)


def write_csv(
    target: IO[bytes], headers: list[str], rows: Rows, progress: Progress | None = None
) -> None:
    """Write the table to ``target`` row by row: UTF-8 with a byte order mark, so spreadsheet
    programs on Windows read Cyrillic and accented letters right; a cell that would start a
    formula begins with an apostrophe."""
    text = io.TextIOWrapper(target, encoding="utf-8", newline="")
    text.write("\ufeff")
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in _counted(rows, progress):
        writer.writerow([_safe(value) for value in row])
    text.flush()
    text.detach()


def _text_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """Text as a text cell, never a formula, with no character added; other values as they
    are."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def write_xlsx(
    target: IO[bytes],
    name: str,
    headers: list[str],
    rows: Rows,
    progress: Progress | None = None,
) -> None:
    """Write the table to ``target`` as a workbook in openpyxl's write-only mode (rows go to
    disk as they are appended, not kept in memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=name[:31])
    sheet.append([_text_cell(sheet, value) for value in headers])
    for row in _counted(rows, progress):
        sheet.append([_text_cell(sheet, value) for value in row])
    workbook.save(target)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}


def as_csv(name: str, headers: list[str], rows: Rows) -> HttpResponse:
    """A small export answered at once (see :func:`write_csv`)."""
    buffer = io.BytesIO()
    write_csv(buffer, headers, rows)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def as_xlsx(name: str, headers: list[str], rows: Rows) -> HttpResponse:
    """A small export answered at once (see :func:`write_xlsx`)."""
    buffer = io.BytesIO()
    write_xlsx(buffer, name, headers, rows)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def row_estimate(user: Any, programme: Programme, what: str) -> int:
    """How many rows an export holds (the indicators' table is small whatever the size)."""
    return response_count(user, programme) if what == "responses" else 0


TABLES: dict[str, Callable[[Any, Programme], tuple[list[str], Rows]]] = {
    "responses": response_rows,
    "indicators": indicator_rows,
}
FORMATS: dict[str, Callable[[str, list[str], Rows], HttpResponse]] = {
    "csv": as_csv,
    "xlsx": as_xlsx,
}
