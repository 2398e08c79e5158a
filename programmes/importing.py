"""Reading a list of peers from a CSV or XLSX file, row by row, with every problem in plain words.

Nothing here writes to the database: :func:`parse_peer_file` turns an upload into rows and
problems that the facilitator previews; ``services.commit_peer_import`` writes them all or none.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from dataclasses import asdict, dataclass, field
from typing import IO, Any
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from peerlearn import countries
from peerlearn.roles import Role
from peerlearn.working_languages import is_language_code, language_code

from .models import Invitation, Membership, Organisation, Programme

logger = logging.getLogger(__name__)

# Limits checked before a file is parsed, so that a small crafted file (a zip bomb, a row of a
# million cells) is refused at once instead of costing minutes of CPU and gigabytes of memory.
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 2000  # peers, not counting the header row
MAX_IMPORT_COLUMNS = 30
MAX_SHEET_ROWS = 10 * MAX_IMPORT_ROWS  # rows of the sheet, empty ones included
# A workbook of 2,000 peers unpacks to about 1 MB; its parts other than sheets to a few KB.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_PART_BYTES = 2 * 1024 * 1024
MAX_WORKBOOK_PARTS = 500
MAX_SHARED_STRINGS = (MAX_IMPORT_ROWS + 1) * MAX_IMPORT_COLUMNS

# Column name as written in the file (lower case, spaces/dashes as underscores) → field.
HEADER_ALIASES: dict[str, str] = {
    "email": "email",
    "email_address": "email",
    "e_mail": "email",
    "full_name": "full_name",
    "name": "full_name",
    "organisation": "organisation",
    "organization": "organisation",
    "country": "country",
    "cohort": "cohort",
    "position": "position",
    "job_title": "position",
    "languages": "languages",
    "working_languages": "languages",
}
REQUIRED_COLUMNS = ("email", "full_name", "organisation", "country")
OPTIONAL_COLUMNS = ("cohort", "position", "languages")

# Codes in use but not (yet) in ISO 3166-1.
COUNTRY_ALIASES: dict[str, str] = {
    "turkey": "TR",
    "russia": "RU",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "the gambia": "GM",
    "vietnam": "VN",
    "laos": "LA",
    "south korea": "KR",
    "north korea": "KP",
    "czech republic": "CZ",
    "macedonia": "MK",
    "swaziland": "SZ",
    "cape verde": "CV",
    "east timor": "TL",
    "democratic republic of the congo": "CD",
    "drc": "CD",
    "republic of the congo": "CG",
}


@dataclass
class Problem:
    line: int | None  # None: about the whole file
    message: str


@dataclass
class ParsedPeer:
    line: int
    email: str
    full_name: str
    organisation: str
    country: str
    cohort_id: int | None = None
    cohort: str = ""
    position: str = ""
    languages: list[str] = field(default_factory=list)
    updates_existing: bool = False
    new_organisation: bool = False


@dataclass
class ParseResult:
    rows: list[ParsedPeer] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    def rows_as_data(self) -> list[dict[str, Any]]:
        return [asdict(row) for row in self.rows]

    def problems_as_data(self) -> list[dict[str, Any]]:
        return [asdict(problem) for problem in self.problems]


def country_code(value: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for a code (alpha-2/alpha-3), a country's name in any language
    of the interface ("Senegal", "Sénégal", "Сенегал") or one of its usual English names."""
    text = " ".join(value.strip().split())
    if not text:
        return None
    return COUNTRY_ALIASES.get(text.lower()) or countries.country_code(text)


def read_languages(text: str) -> tuple[list[str], list[str]]:
    """ISO 639-1 codes from a cell such as ``en; fr`` or ``English, Russian``, and the values
    that name no language."""
    codes: list[str] = []
    unknown: list[str] = []
    for item in text.replace(",", ";").split(";"):
        value = " ".join(item.split())
        if not value:
            continue
        code = language_code(value)
        if code and is_language_code(code):
            if code not in codes:
                codes.append(code)
        else:
            unknown.append(value)
    return codes, unknown


def _normalise_header(value: Any) -> str:
    text = str(value or "").strip().lower().replace("-", "_").replace(" ", "_")
    return text.lstrip("\ufeff")


def _read_csv(data: bytes, problems: list[Problem]) -> list[tuple[int, list[str]]] | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.append(
            Problem(
                line,
                _(
                    "The file is not in UTF-8 encoding (the first unreadable character is on "
                    "line %(line)s). In your spreadsheet, save it as “CSV UTF-8” and upload it "
                    "again."
                )
                % {"line": line},
            )
        )
        return None
    if "\x00" in text:
        problems.append(Problem(None, _("The file is not a readable CSV text file.")))
        return None
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows: list[tuple[int, list[str]]] = []
    filled = 0
    try:
        for values in reader:
            if len(values) > MAX_IMPORT_COLUMNS:
                problems.append(_too_many_columns(reader.line_num))
                return None
            if any(value.strip() for value in values):
                filled += 1
                if filled > MAX_IMPORT_ROWS + 1:
                    problems.append(_too_many_rows())
                    return None
            rows.append((reader.line_num, values))
    except csv.Error as error:
        problems.append(
            Problem(
                reader.line_num,
                _("Line %(line)s cannot be read as CSV (%(error)s).")
                % {"line": reader.line_num, "error": error},
            )
        )
        return None
    return rows


def _too_many_rows() -> Problem:
    return Problem(
        None,
        _("The file has more than %(limit)s rows; split it into smaller files.")
        % {"limit": MAX_IMPORT_ROWS},
    )


def _too_many_columns(line: int | str) -> Problem:
    return Problem(
        None,
        _(
            "Row %(line)s has more than %(limit)s columns. Only email, full_name, organisation, "
            "country, cohort and position are read: delete the other columns (or copy these "
            "into a new sheet) and upload the file again."
        )
        % {"line": line, "limit": MAX_IMPORT_COLUMNS},
    )


def _not_a_workbook() -> Problem:
    return Problem(None, _("The file cannot be opened as an Excel workbook (.xlsx)."))


def _unpacks_too_big() -> Problem:
    return Problem(
        None,
        _(
            "The workbook unpacks to more than %(limit)s MB, far more than a list of peers "
            "needs. Copy the list of peers into a new workbook and upload that."
        )
        % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)},
    )


def _too_many_sheet_rows() -> Problem:
    return Problem(
        None,
        _(
            "The first sheet has more than %(limit)s rows, counting empty ones. Delete the empty "
            "rows below the list and upload it again."
        )
        % {"limit": MAX_SHEET_ROWS},
    )


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _PartScan:
    """Counts the elements of one XML part with expat as it streams, without building them.

    A part that declares a DOCTYPE is refused: a workbook never needs one, and it is how entity
    expansion ("billion laughs") would get in.
    """

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.StartDoctypeDeclHandler = self.refuse_doctype
        self.parser.StartElementHandler = self.start

    def run(self) -> None:
        try:
            while chunk := self.source.read(64 * 1024):
                self.parser.Parse(chunk, False)
            self.parser.Parse(b"", True)
        except expat.ExpatError as error:
            raise _Refused(_not_a_workbook()) from error

    def refuse_doctype(self, *_args: Any) -> None:
        raise _Refused(_not_a_workbook())

    def start(self, name: str, attributes: dict[str, str]) -> None:
        """Called for each element as it opens."""


class _SheetScan(_PartScan):
    """Counts the rows and cells of a worksheet, stopping at the first limit passed."""

    rows = filled_rows = cells = 0
    filled = False
    row_name: str | int = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = name.rpartition("}")[2]
        if tag == "c":
            self.cells += 1
            if self.cells > MAX_IMPORT_COLUMNS:
                raise _Refused(_too_many_columns(self.row_name))
        elif tag in ("v", "is"):
            self.filled = True
        elif tag == "row":
            self.count_filled_row()
            self.rows += 1
            self.cells = 0
            self.row_name = attributes.get("r") or self.rows
            # A row may name its number: rows skipped up to it are read as empty rows.
            number = int(self.row_name) if str(self.row_name).isdigit() else self.rows
            if max(self.rows, number) > MAX_SHEET_ROWS:
                raise _Refused(_too_many_sheet_rows())

    def count_filled_row(self) -> None:
        if self.filled:
            self.filled = False
            self.filled_rows += 1
            if self.filled_rows > MAX_IMPORT_ROWS + 1:
                raise _Refused(_too_many_rows())

    def run(self) -> None:
        super().run()
        self.count_filled_row()


class _StringsScan(_PartScan):
    count = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if name.rpartition("}")[2] == "si":
            self.count += 1
            if self.count > MAX_SHARED_STRINGS:
                raise _Refused(
                    Problem(
                        None,
                        _(
                            "The workbook holds more than %(limit)s pieces of text, more than a "
                            "list of %(rows)s peers can. Copy the list of peers into a new "
                            "workbook and upload that."
                        )
                        % {"limit": MAX_SHARED_STRINGS, "rows": MAX_IMPORT_ROWS},
                    )
                )


def _check_workbook(data: bytes) -> None:
    """Refuse a workbook that is too big to read, from its zip directory and a streaming count
    of its first sheet, before anything builds it in memory."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
        if len(parts) > MAX_WORKBOOK_PARTS:
            raise _Refused(
                Problem(None, _("The workbook has too many parts to be a list of peers."))
            )
        if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
            raise _Refused(_unpacks_too_big())
        if any(
            part.file_size > MAX_UNPACKED_PART_BYTES and "worksheets/" not in part.filename
            for part in parts
        ):
            raise _Refused(_unpacks_too_big())
    # The parts openpyxl will read, found as openpyxl finds them (small parts, checked above).
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    try:
        reader.read_manifest()
        strings = reader.package.find(SHARED_STRINGS)
        if strings is not None:
            with reader.archive.open(strings.PartName[1:]) as source:
                _StringsScan(source).run()
        reader.read_workbook()
        for _sheet, relation in reader.parser.find_sheets():
            if relation.target in reader.valid_files and "chartsheet" not in relation.Type:
                with reader.archive.open(relation.target) as source:
                    _SheetScan(source).run()
                break
    finally:
        reader.archive.close()


def _read_xlsx(data: bytes, problems: list[Problem]) -> list[tuple[int, list[str]]] | None:
    from openpyxl import load_workbook

    try:
        _check_workbook(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        rows: list[tuple[int, list[str]]] = []
        filled = 0
        if sheet is not None:
            for number, values in enumerate(
                sheet.iter_rows(values_only=True, max_col=MAX_IMPORT_COLUMNS), start=1
            ):
                if number > MAX_SHEET_ROWS:
                    raise _Refused(_too_many_sheet_rows())
                cells = ["" if value is None else str(value).strip() for value in values]
                if any(cells):
                    filled += 1
                    if filled > MAX_IMPORT_ROWS + 1:
                        raise _Refused(_too_many_rows())
                rows.append((number, cells))
        workbook.close()
    except _Refused as refusal:
        problems.append(refusal.problem)
        return None
    except Exception:
        # openpyxl raises many kinds of error on a damaged or crafted workbook.
        logger.info("An uploaded workbook could not be read", exc_info=True)
        problems.append(_not_a_workbook())
        return None
    return rows


def read_table(
    *, name: str, data: bytes, problems: list[Problem]
) -> list[tuple[int, list[str]]] | None:
    """The file's rows as ``(line number, values)``, or ``None`` after adding a problem."""
    lower = name.lower()
    if len(data) > MAX_IMPORT_BYTES:
        problems.append(
            Problem(
                None,
                _("The file is too big (%(size)s KB). The limit is %(limit)s KB.")
                % {"size": len(data) // 1024, "limit": MAX_IMPORT_BYTES // 1024},
            )
        )
        return None
    if not data.strip():
        problems.append(Problem(None, _("The file is empty.")))
        return None
    is_zip = data[:4] == b"PK\x03\x04"
    if lower.endswith(".xlsx"):
        if not is_zip:
            problems.append(
                Problem(None, _("The file is named .xlsx but is not an Excel workbook."))
            )
            return None
        return _read_xlsx(data, problems)
    if lower.endswith((".csv", ".txt")):
        if is_zip:
            return _read_xlsx(data, problems)
        return _read_csv(data, problems)
    problems.append(
        Problem(
            None,
            _("Only CSV (.csv) and Excel (.xlsx) files can be imported; “%(name)s” is neither.")
            % {"name": name},
        )
    )
    return None


def parse_peer_file(
    upload: IO[bytes] | Any,
    *,
    name: str,
    programme: Programme,
    create_organisations: bool = False,
) -> ParseResult:
    """Read and check every row of an uploaded file of peers. Writes nothing."""
    result = ParseResult()
    data = upload.read(MAX_IMPORT_BYTES + 1)
    table = read_table(name=name, data=data, problems=result.problems)
    if table is None:
        return result
    table = [(line, values) for line, values in table if any(str(v).strip() for v in values)]
    if not table:
        result.problems.append(Problem(None, _("The file is empty.")))
        return result
    header_line, header = table[0]
    columns: dict[str, int] = {}
    unknown: list[str] = []
    for index, raw in enumerate(header):
        key = HEADER_ALIASES.get(_normalise_header(raw))
        if key is None:
            if str(raw).strip():
                unknown.append(str(raw).strip())
        elif key not in columns:
            columns[key] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        message = _(
            "The first row must name the columns email, full_name, organisation and country "
            "(cohort, position and languages are optional). Missing: %(missing)s."
        ) % {"missing": ", ".join(missing)}
        if unknown:
            message += " " + _("Not recognised: %(unknown)s.") % {"unknown": ", ".join(unknown)}
        result.problems.append(Problem(header_line, message))
        return result
    body = table[1:]
    if not body:
        result.problems.append(Problem(None, _("The file has a header row but no peers under it.")))
        return result
    if len(body) > MAX_IMPORT_ROWS:
        result.problems.append(_too_many_rows())
        return result

    cohorts = {cohort.name.strip().lower(): cohort for cohort in programme.cohorts.all()}
    organisations = {
        (organisation.name.strip().lower(), organisation.country): organisation
        for organisation in Organisation.objects.all()
    }
    existing_peers = set(
        Membership.objects.filter(programme=programme, role=Role.PEER).values_list(
            "user__email", flat=True
        )
    ) | set(
        Invitation.objects.filter(programme=programme, role=Role.PEER).values_list(
            "email", flat=True
        )
    )
    existing_peers = {email.lower() for email in existing_peers}
    seen: dict[str, int] = {}

    def cell(values: list[str], column: str) -> str:
        index = columns.get(column)
        if index is None or index >= len(values):
            return ""
        return " ".join(str(values[index]).split())

    for line, values in body:
        row_problems: list[str] = []
        email = cell(values, "email").lower()
        if not email:
            row_problems.append(_("the email address is missing"))
        else:
            try:
                validate_email(email)
            except ValidationError:
                row_problems.append(
                    _("“%(email)s” is not a valid email address") % {"email": email}
                )
            else:
                if email in seen:
                    row_problems.append(
                        _("%(email)s is already on line %(line)s of this file")
                        % {"email": email, "line": seen[email]}
                    )
                else:
                    seen[email] = line
        country_text = cell(values, "country")
        code = country_code(country_text) if country_text else None
        if not country_text:
            row_problems.append(_("the country is missing"))
        elif code is None:
            row_problems.append(
                _(
                    "the country “%(country)s” is not known (use an ISO code such as GH or the "
                    "country's name, such as Ghana or Sénégal)"
                )
                % {"country": country_text}
            )
        organisation_name = cell(values, "organisation")
        new_organisation = False
        if not organisation_name:
            row_problems.append(_("the organisation is missing"))
        elif code is not None and (organisation_name.lower(), code) not in organisations:
            if create_organisations:
                new_organisation = True
            else:
                row_problems.append(
                    _(
                        "the organisation “%(organisation)s” in %(country)s is not known (add "
                        "it first, or tick “create organisations that do not exist yet”)"
                    )
                    % {"organisation": organisation_name, "country": countries.country_name(code)}
                )
        cohort_name = cell(values, "cohort")
        cohort = None
        if cohort_name:
            cohort = cohorts.get(cohort_name.lower())
            if cohort is None:
                row_problems.append(
                    _("the cohort “%(cohort)s” does not exist in this programme")
                    % {"cohort": cohort_name}
                )
        languages, unknown_languages = read_languages(cell(values, "languages"))
        if unknown_languages:
            row_problems.append(
                _(
                    "“%(languages)s” is not a language (use ISO 639-1 codes such as en, fr, ru "
                    "or English names, separated by semicolons)"
                )
                % {"languages": ", ".join(unknown_languages)}
            )
        if row_problems:
            result.problems.append(
                Problem(
                    line,
                    _("Line %(line)s: %(problems)s.")
                    % {"line": line, "problems": "; ".join(row_problems)},
                )
            )
            continue
        assert code is not None
        result.rows.append(
            ParsedPeer(
                line=line,
                email=email,
                full_name=cell(values, "full_name"),
                organisation=organisation_name,
                country=code,
                cohort_id=cohort.pk if cohort else None,
                cohort=cohort.name if cohort else "",
                position=cell(values, "position"),
                languages=languages,
                updates_existing=email in existing_peers,
                new_organisation=new_organisation,
            )
        )
    return result
