"""Hostile spreadsheets, written part by part into a zip so that no limit of a library applies."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Peers" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"


SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)


def raw_xlsx(
    sheet_body: Iterable[str],
    *,
    shared_strings: Iterable[str] | None = None,
    extra_parts: dict[str, Iterable[str]] | None = None,
    sheet_prolog: str = "",
) -> bytes:
    """A minimal workbook whose first sheet's ``<sheetData>`` holds the given XML, streamed.

    ``shared_strings`` is the body of ``xl/sharedStrings.xml`` (``<si>`` elements), and
    ``extra_parts`` adds more parts by name; ``sheet_prolog`` goes before the sheet's root.
    """
    buffer = io.BytesIO()
    content_types = CONTENT_TYPES
    if shared_strings is not None:
        content_types = content_types.replace(
            "</Types>",
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/>'
            "</Types>",
        )
    parts: dict[str, Iterable[str]] = {
        "[Content_Types].xml": [content_types],
        "_rels/.rels": [ROOT_RELS],
        "xl/workbook.xml": [WORKBOOK],
        "xl/_rels/workbook.xml.rels": [WORKBOOK_RELS],
        "xl/worksheets/sheet1.xml": [
            SHEET_START.replace("<worksheet", sheet_prolog + "<worksheet", 1),
            *sheet_body,
            SHEET_END,
        ],
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = [
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
            *shared_strings,
            "</sst>",
        ]
    parts.update(extra_parts or {})
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in parts.items():
            with archive.open(name, "w", force_zip64=True) as part:
                for chunk in chunks:
                    part.write(chunk.encode())
    return buffer.getvalue()


def one_row_of(cells: int) -> Iterable[str]:
    """One row of ``cells`` numeric cells with no cell references (a few bytes each)."""
    yield '<row r="1">'
    block = "<c><v>1</v></c>" * 1000
    for _ in range(cells // 1000):
        yield block
    yield "<c><v>1</v></c>" * (cells % 1000)
    yield "</row>"


def rows_of(values: Iterable[list[str]]) -> Iterable[str]:
    for number, row in enumerate(values, start=1):
        cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in row)
        yield f'<row r="{number}">{cells}</row>'


def padding(megabytes: int) -> Iterable[str]:
    """Whitespace inside the sheet XML: compresses to almost nothing (a zip bomb)."""
    chunk = " " * (1024 * 1024)
    for _ in range(megabytes):
        yield chunk
