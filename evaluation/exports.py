"""CSV and XLSX exports of responses and indicators.

Responses are exported one row per answer, through the same visibility rules as the pages
(:func:`evaluation.selectors.text_visible_q`): free text marked private never leaves, and a
programme manager's export holds only the free text shared with the whole programme.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from . import indicators, selectors
from .models import Answer, Response, Visibility

if TYPE_CHECKING:
    from programmes.models import Programme


Rows = list[list[Any]]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _safe(value: Any) -> Any:
    """Keep spreadsheet programs from reading a cell as a formula, including when the formula
    character follows leading whitespace or is its fullwidth form."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in FORMULA_STARTS or value.lstrip()[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def response_rows(user: Any, programme: Programme) -> tuple[list[str], Rows]:
    levels = selectors.free_text_levels_for(user, programme) - {Visibility.PRIVATE}
    answers = (
        Answer.objects.filter(
            response__wave__programme=programme, response__status=Response.Status.SUBMITTED
        )
        .filter(selectors.text_visible_q(levels))
        .exclude(visibility=Visibility.PRIVATE, item__kind__in=("short_text", "long_text"))
        .select_related("item", "response", "response__wave", "response__respondent")
        .order_by("response__wave_id", "response_id", "item__position")
    )
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
    rows: Rows = []
    for answer in answers.iterator(chunk_size=2000):
        response = answer.response
        rows.append(
            [
                response.wave.title,
                response.wave.get_kind_display(),
                response.pk,
                response.respondent.email,
                response.submitted_at.isoformat() if response.submitted_at else "",
                answer.item.code,
                answer.item.question,
                answer.item.cycle,
                answer.display(),
            ]
        )
    return headers, rows


def indicator_rows(user: Any, programme: Programme) -> tuple[list[str], Rows]:
    data = indicators.dashboard(programme)
    headers = [_("tier"), _("indicator"), _("code"), _("value"), _("shown as"), _("detail")]
    rows: Rows = []
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


def as_csv(name: str, headers: list[str], rows: Iterable[list[Any]]) -> HttpResponse:
    """UTF-8 with a byte order mark, so spreadsheet programs on Windows read Cyrillic and
    accented letters right; a cell that would start a formula begins with an apostrophe."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_safe(value) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _text_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """Text as a text cell, never a formula, with no character added; other values as they
    are."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def as_xlsx(name: str, headers: list[str], rows: Iterable[list[Any]]) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=name[:31])
    sheet.append([_text_cell(sheet, value) for value in headers])
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


TABLES: dict[str, Callable[[Any, Programme], tuple[list[str], Rows]]] = {
    "responses": response_rows,
    "indicators": indicator_rows,
}
FORMATS: dict[str, Callable[[str, list[str], Iterable[list[Any]]], HttpResponse]] = {
    "csv": as_csv,
    "xlsx": as_xlsx,
}
