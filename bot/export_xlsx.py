"""The summary as an Excel workbook, for leaders and secretaries who sort and filter the figures.

Sheets: the headline, the units (ranked), the directives, the duties, the assignments and the
reports of the period. Dates are real Excel dates (sortable, filterable) in the configured zone;
every header row is bold, frozen and filtered.

The file is written here as plain SpreadsheetML into a zip, not through a library, for speed only.
With the bench's week (6,000 assignments, 100,000 reports: ~900,000 cells) on the development
machine: this writer 1.3 s of CPU (0.9 s since the reports sheet has its own row writer),
xlsxwriter 3.3 in constant_memory mode 8.3 s (~10 µs a cell in its XML writer), openpyxl
write-only 46 s; the whole summary must take under 3 s. The subset written (inline and shared
strings, numbers, five number formats, frozen panes, column widths, auto filters)
mirrors what those libraries write; the tests read the output back with openpyxl, and with
LibreOffice when it is installed.

Users' text (directives, reports) is always a string cell: never a formula, whatever it starts
with, and a text starting with "=", "+", "-" or "@" also gets Excel's quote prefix, so that it stays
text when someone edits the cell.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from functools import lru_cache
from io import BytesIO
from itertools import islice
from operator import attrgetter
from typing import Any, Final, NamedTuple

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from bot import texts, texts_files
from bot.domain.attachments import FileRow
from bot.domain.classify import Category
from bot.domain.enums import AssignmentRole, AssignmentStatus, ExtensionStatus, ReportKind
from bot.domain.summary import AssignmentRow, ReportRow, Summary, assignment_category, judge_duty
from bot.views_categories import LABELS

# Words come from bot/texts.py; the category names from the domain (classify.LABELS).
SHEET_SUMMARY: Final = texts.XLSX_SHEET_SUMMARY
SHEET_UNITS: Final = texts.XLSX_SHEET_UNITS
SHEET_DIRECTIVES: Final = texts.XLSX_SHEET_DIRECTIVES
SHEET_DUTIES: Final = texts.XLSX_SHEET_DUTIES
SHEET_ASSIGNMENTS: Final = texts.XLSX_SHEET_ASSIGNMENTS
SHEET_REPORTS: Final = texts.XLSX_SHEET_REPORTS
HEADERS_SUMMARY: Final = texts.XLSX_HEADERS_SUMMARY
HEADERS_DUTIES: Final = texts.XLSX_HEADERS_DUTIES
HEADERS_ASSIGNMENTS: Final = texts.XLSX_HEADERS_ASSIGNMENTS
# The report's percent goes after its kind ("Loại báo cáo"), before its text.
HEADERS_REPORTS: Final = (
    *texts.XLSX_HEADERS_REPORTS[:5],
    texts.XLSX_HEADER_REPORT_PERCENT,
    *texts.XLSX_HEADERS_REPORTS[5:],
)
ROW_PERIOD: Final = texts.XLSX_ROW_PERIOD
ROW_START: Final = texts.XLSX_ROW_START
ROW_END: Final = texts.XLSX_ROW_END
ROW_AS_OF: Final = texts.XLSX_ROW_AS_OF
ROW_REPORTS: Final = texts.XLSX_ROW_REPORTS
ROW_FAILED_PINGS: Final = texts.XLSX_ROW_FAILED_PINGS
HEADERS_CATEGORIES: Final = tuple(LABELS.values())
HEADERS_UNITS: Final = (*texts.XLSX_HEADERS_UNITS_FIRST, *HEADERS_CATEGORIES, *texts.XLSX_HEADERS_UNITS_LAST)
HEADERS_DIRECTIVES: Final = (*texts.XLSX_HEADERS_DIRECTIVES_FIRST, *HEADERS_CATEGORIES)
_LABELS_BY_FIELD: Final = {
    **texts.XLSX_HEADLINE_LABELS,
    "done_on_time": LABELS[Category.DONE_ON_TIME],
    "done_late": LABELS[Category.DONE_LATE],
    "in_progress_on_time": LABELS[Category.IN_PROGRESS_ON_TIME],
    "overdue": LABELS[Category.OVERDUE],
    "not_due": LABELS[Category.NOT_DUE],
    "ongoing": LABELS[Category.ONGOING],
}
_HEADLINE_ORDER: Final = (
    "in_force",
    "due_in_period",
    "due_overall",
    "done_on_time",
    "done_late",
    "in_progress_on_time",
    "overdue",
    "not_due",
    "ongoing",
    "completion_rate",
    "on_time_rate",
)
HEADLINE_ROWS: Final[tuple[tuple[str, str], ...]] = tuple((_LABELS_BY_FIELD[f], f) for f in _HEADLINE_ORDER)

ROLE_NAMES: Final = {AssignmentRole.LEAD: texts.ROLE_LEAD, AssignmentRole.SUPPORT: texts.ROLE_SUPPORT}
STATUS_NAMES: Final = {s: texts.ASSIGNMENT_STATUS_NAMES[s.value].capitalize() for s in AssignmentStatus}
EXTENSION_NAMES: Final = {e: texts.XLSX_EXTENSION_NAMES[e.value] for e in ExtensionStatus}
REPORT_KIND_NAMES: Final = {k: texts.XLSX_REPORT_KIND_NAMES[k.value] for k in ReportKind}
YES: Final = texts.XLSX_YES
NO: Final = texts.XLSX_NO

DATE_FORMAT: Final = "dd/mm/yyyy"
DATETIME_FORMAT: Final = "dd/mm/yyyy hh:mm"
PERCENT_FORMAT: Final = "0.0%"
CHANGE_FORMAT: Final = "+0;-0;0"
PERCENT_CHANGE_FORMAT: Final = "+0.0%;-0.0%;0.0%"
MAX_CELL_TEXT: Final = 32767  # Excel's limit per cell
XLSX_MIME: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Style ids: positions in <cellXfs> of _STYLES_XML.
_S_HEADER, _S_DATE, _S_DATETIME, _S_PERCENT, _S_CHANGE, _S_PERCENT_CHANGE, _S_QUOTED = range(1, 8)
_FORMULA_STARTS: Final = ("=", "+", "-", "@")
# What openpyxl refuses, plus what XML 1.0 cannot hold at all (lone surrogates, U+FFFE/U+FFFF).
_ILLEGAL: Final = re.compile(ILLEGAL_CHARACTERS_RE.pattern + "|[\ud800-\udfff\ufffe\uffff]")
_OOXML_ESCAPED: Final = re.compile("_x[0-9A-Fa-f]{4}_")
# What makes a text need clean_text or _escape: without it (and without "_x"), a text is written as is.
_SPECIAL: Final = re.compile("[\x00-\x08\x0b-\x1f&<>\ud800-\udfff\ufffe\uffff]")
_EPOCH: Final = date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug folded in)
_FIRST_DATE: Final = date(1900, 3, 1)  # Excel cannot show dates before 1900; before March, off by one
_EPOCH_ORDINAL: Final = _EPOCH.toordinal()
_FIRST_DAY: Final = (_FIRST_DATE - _EPOCH).days
_FLUSH_ROWS: Final = 2000  # rows per write into the zip: bounded memory, few calls
# Level 1 deflate: three times faster than the default for ~15 % more bytes on this XML.
_COMPRESS_LEVEL: Final = 1


def build_workbook(
    summary: Summary,
    assignments: list[AssignmentRow],
    reports: list[ReportRow],
    *,
    tz: tzinfo,
    due_window_days: int | None = None,
    files: Sequence[FileRow] = (),
) -> bytes:
    """The .xlsx bytes of `summary`, with the duties and assignments of `assignments` that existed
    on `summary.as_of` and the reports of `reports` received in the period (the others are left
    out), times shown in `tz`.

    The duties' and assignments' categories are judged on `summary.as_of` by the rules `compute`
    used (`judge_duty`, `assignment_category`), with its due window unless `due_window_days` says
    otherwise, so the sheets add up to the headline.
    """
    window = summary.due_window_days if due_window_days is None else due_window_days
    live = [row for row in assignments if row.assigned_on <= summary.as_of]
    strings = _SharedStrings()
    sheets = [
        _summary_sheet(summary),
        _units_sheet(summary),
        _directives_sheet(summary),
        _duties_sheet(summary, live, window),
        _assignments_sheet(summary, live, window),
        _reports_sheet(summary, assignments, reports, tz, strings),
    ]
    if files:  # units' files of the period, each named, so the office can ask for one (/directive)
        encoders = (_datetime, _text, _text, _text, _text, _text, _number)
        rows = ((f.received_at.astimezone(tz), f.unit_name, f.directive_number, f.duty_label, f.file_name,
                 texts_files.FILE_KINDS.get(f.kind, f.kind), f.file_size) for f in files)  # fmt: skip
        sheets.append(_sheet(texts_files.SHEET_FILES, texts_files.HEADERS_FILES, (17, 40, 16, 7, 40, 10, 12),
                             encoders, rows))  # fmt: skip
    return _write_xlsx(sheets, strings)


# --- cells -----------------------------------------------------------------------------------------
# An encoder turns a value into its cell's XML after `<c r="B7"`; "" leaves the cell empty. The
# reference is added per row. Encoders of repeating values (names, labels, dates) are LRU-cached:
# a hit costs no Python call, which matters at 700,000 cells; the caches are bounded and
# thread-safe, and a value only ever maps to one output.
Encoder = Callable[[Any], str]


class Styled(NamedTuple):
    """A value with its own encoder, in a column whose default does not fit (the headline)."""

    encode: Encoder
    value: Any


def clean_text(value: str) -> str:
    """`value` as Excel can hold it: without control characters, at most 32,767 characters."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL.sub("", value)[:MAX_CELL_TEXT]


def _escape(text: str) -> str:
    # Faster than xml.sax.saxutils.escape when, as usual, there is nothing to escape.
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _t(text: str) -> str:
    """The <t> element of a string; `text` is cleaned and not empty."""
    if "_x" in text:
        # Excel reads "_x0041_" in a cell as "A": its own escape keeps such text literal.
        text = _OOXML_ESCAPED.sub(r"_x005F\g<0>", text)
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    return f"<t{space}>{_escape(text)}</t>"


def _inline(text: str, style: int = 0) -> str:
    """A string cell; `text` is cleaned and not empty."""
    s = f' s="{style}"' if style else ""
    return f'{s} t="inlineStr"><is>{_t(text)}</is></c>'


def _long_text(value: str | None) -> str:
    """A string cell for free text (duties, reports): mostly unique, so not cached."""
    if value is None:
        return ""
    if (
        value
        and _SPECIAL.search(value) is None
        and "_x" not in value
        and len(value) <= MAX_CELL_TEXT
        and not value[0].isspace()
        and not value[-1].isspace()
        and not value.startswith(_FORMULA_STARTS)
    ):
        # The usual text, with nothing to clean, escape or preserve: what the full path below
        # writes, for a third of its cost.
        return f' t="inlineStr"><is><t>{value}</t></is></c>'
    text = clean_text(value)
    if not text:
        return ""
    # A string cell is never evaluated; the quote prefix keeps it a string when the cell is edited.
    return _inline(text, _S_QUOTED if text.startswith(_FORMULA_STARTS) else 0)


# For short values that repeat (names, numbers, labels); a cache of long texts would hold megabytes.
_text: Final = lru_cache(maxsize=1024)(_long_text)


def _number_with(style: int) -> Encoder:
    s = f' s="{style}"' if style else ""

    def encode(value: Any) -> str:
        return "" if value is None else f"{s}><v>{value}</v></c>"

    return encode


_number = _number_with(0)
_percent = _number_with(_S_PERCENT)
_change = _number_with(_S_CHANGE)
_percent_change = _number_with(_S_PERCENT_CHANGE)


@lru_cache(maxsize=4096)
def _date(value: date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _datetime(value)
    if value < _FIRST_DATE:
        return _text(value.strftime("%d/%m/%Y"))
    return f' s="{_S_DATE}"><v>{value.toordinal() - _EPOCH_ORDINAL}</v></c>'


def _datetime(value: datetime | None) -> str:
    """A local datetime, to the second; its tzinfo, if any, is ignored (Excel has no time zones)."""
    if value is None:
        return ""
    day = value.toordinal() - _EPOCH_ORDINAL
    if day < _FIRST_DAY:
        return _text(value.strftime("%d/%m/%Y %H:%M"))
    seconds = value.hour * 3600 + value.minute * 60 + value.second
    return f' s="{_S_DATETIME}"><v>{day + seconds / 86400}</v></c>'


def _auto(value: Any) -> str:
    """By the value's type, for the mixed columns of the headline."""
    if isinstance(value, Styled):
        return value.encode(value.value)
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, date):
        return _date(value)
    return _number(value)


class _SharedStrings:
    """The workbook's shared strings (xl/sharedStrings.xml): a text written once, its cells refer
    to it by index. For the names repeated on every row of the reports sheet: inline, they were a
    quarter of the bytes to join, encode and compress. (Free text, mostly unique, stays inline.)"""

    def __init__(self) -> None:
        self._indexes: dict[str, int] = {}

    def cell(self, value: str | None) -> str:
        """The cell's XML after its reference, holding `value` as _text would; "" for no cell."""
        if value is None:
            return ""
        text = clean_text(value)
        if not text:
            return ""
        index = self._indexes.setdefault(text, len(self._indexes))
        style = f' s="{_S_QUOTED}"' if text.startswith(_FORMULA_STARTS) else ""
        return f'{style} t="s"><v>{index}</v></c>'

    def xml(self) -> str:
        items = "".join(f"<si>{_t(text)}</si>" for text in self._indexes)
        return f'{_XML_DECL}<sst xmlns="{_NS_MAIN}" uniqueCount="{len(self._indexes)}">{items}</sst>'


# --- sheets ----------------------------------------------------------------------------------------
@dataclass
class _Sheet:
    title: str
    headers: Sequence[str]
    widths: Sequence[float]  # in Excel's character units
    rows: Iterable[str]  # the data rows' XML, `<row r="2">…</row>` on
    count: int = field(default=0, init=False)  # data rows written, known once written


def _sheet(
    title: str,
    headers: Sequence[str],
    widths: Sequence[float],
    encoders: Sequence[Encoder],
    rows: Iterable[Sequence[Any]],
) -> _Sheet:
    """A sheet whose row values are turned into cells by the column's encoder."""
    return _Sheet(title, headers, widths, _encode_rows(encoders, rows))


def _encode_rows(encoders: Sequence[Encoder], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    columns = [(f'<c r="{get_column_letter(n)}', encode) for n, encode in enumerate(encoders, 1)]
    for r, values in enumerate(rows, 2):
        row = str(r)
        # A row may be shorter than the header (the headline's label rows): the rest stays empty.
        cells = [
            f'{head}{row}"{tail}'
            for (head, encode), value in zip(columns, values, strict=False)
            if value is not None and (tail := encode(value))
        ]
        yield f'<row r="{row}">{"".join(cells)}</row>'


def _summary_sheet(summary: Summary) -> _Sheet:
    period = summary.period
    rows: list[list[Any]] = [
        [ROW_PERIOD, period.label],
        [ROW_START, period.start],
        [ROW_END, period.end],
        [ROW_AS_OF, summary.as_of],
    ]
    for label, name in HEADLINE_ROWS:
        now = getattr(summary.headline, name)
        before = None if summary.previous is None else getattr(summary.previous, name)
        change = None if now is None or before is None else now - before
        if name.endswith("_rate"):
            rows.append([label, Styled(_percent, now), Styled(_percent, before), Styled(_percent_change, change)])
        else:
            rows.append([label, now, before, Styled(_change, change)])
    rows.append([ROW_REPORTS, summary.reports_in_period])
    rows.append([ROW_FAILED_PINGS, summary.failed_pings])
    return _sheet(SHEET_SUMMARY, HEADERS_SUMMARY, (44, 24, 14, 12), (_text, _auto, _auto, _auto), rows)


def _categories(counts: dict[Category, int]) -> list[int]:
    return [counts.get(category, 0) for category in LABELS]


def _units_sheet(summary: Summary) -> _Sheet:
    rows = (
        [
            rank,
            line.unit_name,
            line.assignments,
            *_categories(line.categories),
            line.completion_rate,
            line.on_time_rate,
            line.reminders,
            line.answered,
            line.response_rate,
        ]
        for rank, line in enumerate(summary.units, 1)
    )
    widths = (7, 44, 12, *(14,) * 6, 12, 12, 10, 10, 12)
    encoders = (_number, _text, _number, *(_number,) * 6, _percent, _percent, _number, _number, _percent)
    return _sheet(SHEET_UNITS, HEADERS_UNITS, widths, encoders, rows)


def _directives_sheet(summary: Summary) -> _Sheet:
    rows = (
        [line.number, line.title, line.duties, line.done, line.overdue, *_categories(line.categories)]
        for line in summary.directives
    )
    widths = (16, 60, 11, 12, 10, *(14,) * 6)
    encoders = (_text, _long_text, *(_number,) * 9)
    return _sheet(SHEET_DIRECTIVES, HEADERS_DIRECTIVES, widths, encoders, rows)


def _group_duties(assignments: list[AssignmentRow]) -> list[list[AssignmentRow]]:
    """The rows of each duty, the duties in the order they first appear (the loader's order)."""
    duties: dict[int, list[AssignmentRow]] = {}
    for row in assignments:
        duties.setdefault(row.duty_id, []).append(row)
    return list(duties.values())


def _duties_sheet(summary: Summary, live: list[AssignmentRow], due_window_days: int) -> _Sheet:
    def rows() -> Iterator[list[Any]]:
        for duty_rows in _group_duties(live):
            duty = judge_duty(duty_rows, summary.as_of, due_window_days)
            if duty is None:  # cannot happen with live rows; keeps the type checker honest
                continue
            yield [
                duty.first.directive_number,
                duty.first.duty_label,
                duty.first.duty_text,
                duty.deadline,
                "; ".join(row.unit_name for row in duty_rows if row.role is AssignmentRole.LEAD),
                "; ".join(row.unit_name for row in duty_rows if row.role is AssignmentRole.SUPPORT),
                duty.done_on,
                LABELS[duty.category],
            ]

    widths = (16, 7, 70, 12, 36, 36, 14, 24)
    encoders = (_text, _text, _long_text, _date, _long_text, _long_text, _date, _text)
    return _sheet(SHEET_DUTIES, HEADERS_DUTIES, widths, encoders, rows())


def _assignments_sheet(summary: Summary, live: list[AssignmentRow], due_window_days: int) -> _Sheet:
    as_of = summary.as_of
    rows = (
        [
            row.directive_number,
            row.duty_label,
            row.unit_name,
            ROLE_NAMES[row.role],
            STATUS_NAMES[row.status],
            row.deadline,
            row.original_deadline,
            row.done_on,
            row.percent,
            YES if row.blocked else NO,
            None if row.extension_status is None else EXTENSION_NAMES[row.extension_status],
            row.extension_to,
            LABELS[assignment_category(row, as_of, due_window_days)],
        ]
        for row in live
    )
    widths = (16, 7, 40, 10, 22, 13, 13, 14, 10, 10, 12, 13, 24)
    encoders = (_text, _text, _text, _text, _text, _date, _date, _date, _number, _text, _text, _date, _text)
    return _sheet(SHEET_ASSIGNMENTS, HEADERS_ASSIGNMENTS, widths, encoders, rows)


def _reports_sheet(
    summary: Summary, assignments: list[AssignmentRow], reports: list[ReportRow], tz: tzinfo, strings: _SharedStrings
) -> _Sheet:
    start, end = summary.period.start, summary.period.end
    in_period = sorted(
        (report for report in reports if start <= report.received_on <= end),
        key=attrgetter("received_at"),  # stable: ties keep the loader's order
    )
    widths = (17, 40, 16, 7, 16, 10, 80, 13)
    return _Sheet(SHEET_REPORTS, HEADERS_REPORTS, widths, _report_rows(assignments, in_period, tz, strings))


def _report_rows(
    assignments: list[AssignmentRow], reports: list[ReportRow], tz: tzinfo, strings: _SharedStrings
) -> Iterator[str]:
    """The reports' rows, written cell by cell in one expression: the sheet has a row per report
    (100,000 in a busy week), where the generic encoders' call per cell cost a second.

    Columns: received (local time), unit, directive number, duty label, kind, percent, text,
    requested deadline; the same cells as `_encode_rows` would write with `_datetime`, `_text`
    (shared here) four times, `_number`, `_long_text` and `_date`.
    """
    # Per assignment, its unit, directive and duty cells, with _ROW where their row number goes. A
    # str: a tuple per assignment would be thousands of objects for the garbage collector to scan.
    by_id = {row.assignment_id: row for row in assignments}
    blocks: dict[int, str] = {}
    kinds = {kind: f'"{strings.cell(name)}' for kind, name in REPORT_KIND_NAMES.items()}
    for r, report in enumerate(reports, 2):
        row = str(r)
        # The received time, local, as a serial number (as _datetime: the same float).
        at = report.received_at.astimezone(tz)
        day = at.toordinal() - _EPOCH_ORDINAL
        if day >= _FIRST_DAY:
            received = f' s="{_S_DATETIME}"><v>{day + (at.hour * 3600 + at.minute * 60 + at.second) / 86400}</v></c>'
        else:
            received = _datetime(at)
        block = blocks.get(report.assignment_id)
        if block is None:
            block = blocks[report.assignment_id] = _assignment_block(by_id.get(report.assignment_id), strings)
        xml = f'<row r="{row}"><c r="A{row}"{received}{block.replace(_ROW, row)}<c r="E{row}{kinds[report.kind]}'
        if report.percent is not None:
            xml += f'<c r="F{row}"><v>{report.percent}</v></c>'
        if text := _long_text(report.text):
            xml += f'<c r="G{row}"{text}'
        if report.requested_deadline is not None:
            xml += f'<c r="H{row}"{_date(report.requested_deadline)}'
        yield xml + "</row>"


_ROW: Final = "\x00"  # never in a block: its texts are in the shared strings, and XML cannot hold it


def _assignment_block(assignment: AssignmentRow | None, strings: _SharedStrings) -> str:
    """A report row's unit, directive and duty cells, with _ROW for their row number."""
    if assignment is None:
        return ""
    values = (("B", assignment.unit_name), ("C", assignment.directive_number), ("D", assignment.duty_label))
    return "".join(f'<c r="{column}{_ROW}"{tail}' for column, value in values if (tail := strings.cell(value)))


# --- package ---------------------------------------------------------------------------------------
_NS_MAIN: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_WORKSHEET: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_XML_DECL: Final = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_ROOT_RELS_XML: Final = (
    f'{_XML_DECL}<Relationships xmlns="{_NS_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)

# cellXfs: 0 default, 1 header (bold), 2 date, 3 date and time, 4 percent, 5 change, 6 percent change,
# 7 text with the quote prefix. Matches the _S_* ids.
_STYLES_XML: Final = (
    f'{_XML_DECL}<styleSheet xmlns="{_NS_MAIN}">'
    '<numFmts count="5">'
    f'<numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/>'
    f'<numFmt numFmtId="165" formatCode="{DATETIME_FORMAT}"/>'
    f'<numFmt numFmtId="166" formatCode="{PERCENT_FORMAT}"/>'
    f'<numFmt numFmtId="167" formatCode="{CHANGE_FORMAT}"/>'
    f'<numFmt numFmtId="168" formatCode="{PERCENT_CHANGE_FORMAT}"/>'
    "</numFmts>"
    '<fonts count="2">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    "</fonts>"
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="8">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="168" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _attr(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def _content_types_xml(sheets: int) -> str:
    ct = "application/vnd.openxmlformats"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT_WORKSHEET}"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="{ct}-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}-officedocument.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ct}-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml"'
        f' ContentType="{ct}-officedocument.spreadsheetml.sharedStrings+xml"/>'
        f"{overrides}</Types>"
    )


def _workbook_xml(sheets: Sequence[_Sheet]) -> str:
    entries = "".join(
        f'<sheet name="{_attr(sheet.title)}" sheetId="{n}" r:id="rId{n}"/>' for n, sheet in enumerate(sheets, 1)
    )
    # Excel's own record of each sheet's filter range; it rebuilds it when missing, openpyxl writes it.
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{_escape(_quote_sheet(sheet.title))}!$A$1:${get_column_letter(len(sheet.headers))}${sheet.count + 1}"
        "</definedName>"
        for n, sheet in enumerate(sheets)
    )
    return (
        f'{_XML_DECL}<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{entries}</sheets><definedNames>{names}</definedNames></workbook>"
    )


def _quote_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _workbook_rels_xml(sheets: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_NS_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        f'{_XML_DECL}<Relationships xmlns="{_NS_PKG_REL}">{rels}'
        f'<Relationship Id="rId{sheets + 1}" Type="{_NS_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{sheets + 2}" Type="{_NS_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )


def _write_sheet(out: Any, sheet: _Sheet, first: bool) -> None:
    """Streams the sheet's XML to `out` and sets `sheet.count`."""
    letters = [get_column_letter(n) for n in range(1, len(sheet.headers) + 1)]
    selected = ' tabSelected="1"' if first else ""
    cols = "".join(
        f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>' for n, width in enumerate(sheet.widths, 1)
    )
    header = "".join(
        f'<c r="{letter}1"{_inline(text, _S_HEADER)}' for letter, text in zip(letters, sheet.headers, strict=True)
    )
    out.write(
        f'{_XML_DECL}<worksheet xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">'
        f'<sheetViews><sheetView workbookViewId="0"{selected}>'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<cols>{cols}</cols><sheetData><row r="1">{header}</row>'.encode()
    )
    count = 0
    rows = iter(sheet.rows)
    while chunk := list(islice(rows, _FLUSH_ROWS)):
        count += len(chunk)
        out.write("".join(chunk).encode())
    sheet.count = count
    out.write(f'</sheetData><autoFilter ref="A1:{letters[-1]}{count + 1}"/></worksheet>'.encode())


def _write_xlsx(sheets: Sequence[_Sheet], strings: _SharedStrings) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=_COMPRESS_LEVEL) as package:
        package.writestr("[Content_Types].xml", _content_types_xml(len(sheets)))
        package.writestr("_rels/.rels", _ROOT_RELS_XML)
        for n, sheet in enumerate(sheets, 1):
            with package.open(f"xl/worksheets/sheet{n}.xml", "w") as out:
                _write_sheet(out, sheet, first=n == 1)
        # After the sheets: the filter ranges it names need their row counts.
        package.writestr("xl/workbook.xml", _workbook_xml(sheets))
        package.writestr("xl/_rels/workbook.xml.rels", _workbook_rels_xml(len(sheets)))
        package.writestr("xl/styles.xml", _STYLES_XML)
        package.writestr("xl/sharedStrings.xml", strings.xml())  # filled by the sheets
    return buffer.getvalue()
