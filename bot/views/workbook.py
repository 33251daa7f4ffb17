"""The summary as an Excel workbook, for leaders and secretaries who sort and filter the figures.

Sheets: the headline, the units (ranked), the directives, the duties, the assignments and the
reports of the period. Dates are real Excel dates (sortable, filterable) in the configured zone;
every header row is bold, frozen and filtered.

Written with xlsxwriter in constant-memory mode: each row goes to a temporary file as soon as the
next one starts, so memory does not grow with the reports sheet. Reports past Excel's 1,048,576
rows continue on "Báo cáo (2)", and so on. (openpyxl's write-only mode was measured too: 7.8 s of
CPU for 150,000 report rows against xlsxwriter's 4.8 s, and it writes "_x0041_" unescaped, which
Excel shows as "A".)

Users' text (directives, reports) is always a string cell: never a formula, whatever it starts
with, and a text starting with "=", "+", "-" or "@" also gets Excel's quote prefix, so that it stays
text when someone edits the cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import tzinfo
from io import BytesIO
from itertools import count
from operator import attrgetter
from typing import Any, Final

from xlsxwriter import Workbook

from bot import texts
from bot.domain.attachments import FileRow
from bot.domain.classify import Category
from bot.domain.enums import AssignmentRole, AssignmentStatus, ExtensionStatus, ReportKind
from bot.domain.summary import AssignmentRow, ReportRow, Summary, assignment_category, judge_duty
from bot.texts import files as texts_files
from bot.views.categories import LABELS
from bot.views.xlsx_cells import Cells, Styled, clean_text, write_rows

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

SHEET_ROWS: Final = 1_048_576  # Excel's rows per sheet, the header row included
XLSX_MIME: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    buffer = BytesIO()
    book = Workbook(buffer, {"constant_memory": True})
    cells = Cells(book)
    _summary_sheet(cells, summary)
    _units_sheet(cells, summary)
    _directives_sheet(cells, summary)
    _duties_sheet(cells, summary, live, window)
    _assignments_sheet(cells, summary, live, window)
    _reports_sheets(cells, summary, assignments, reports, tz)
    if files:  # units' files of the period, each named, so the office can ask for one (/directive)
        _files_sheet(cells, files, tz)
    book.close()
    return buffer.getvalue()


# --- sheets ----------------------------------------------------------------------------------------
def _summary_sheet(cells: Cells, summary: Summary) -> None:
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
            percent = cells.percent
            rows.append([label, Styled(percent, now), Styled(percent, before), Styled(cells.percent_change, change)])
        else:
            rows.append([label, now, before, Styled(cells.change, change)])
    rows.append([ROW_REPORTS, summary.reports_in_period])
    rows.append([ROW_FAILED_PINGS, summary.failed_pings])
    puts = (cells.text, cells.auto, cells.auto, cells.auto)
    write_rows(cells, SHEET_SUMMARY, HEADERS_SUMMARY, (44, 24, 14, 12), puts, rows)


def _categories(counts: dict[Category, int]) -> list[int]:
    return [counts.get(category, 0) for category in LABELS]


def _files_sheet(cells: Cells, files: Sequence[FileRow], tz: tzinfo) -> None:
    rows = (
        [f.received_at.astimezone(tz), f.unit_name, f.directive_number, f.duty_label, f.file_name,
         texts_files.FILE_KINDS.get(f.kind, f.kind), f.file_size]
        for f in files
    )  # fmt: skip
    puts = (cells.moment, cells.text, cells.text, cells.text, cells.text, cells.text, cells.number)
    write_rows(cells, texts_files.SHEET_FILES, texts_files.HEADERS_FILES, (17, 40, 16, 7, 40, 10, 12), puts, rows)


def _units_sheet(cells: Cells, summary: Summary) -> None:
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
    number, percent = cells.number, cells.percent
    puts = (number, cells.text, number, *(number,) * 6, percent, percent, number, number, percent)
    write_rows(cells, SHEET_UNITS, HEADERS_UNITS, widths, puts, rows)


def _directives_sheet(cells: Cells, summary: Summary) -> None:
    rows = (
        [line.number, line.title, line.duties, line.done, line.overdue, *_categories(line.categories)]
        for line in summary.directives
    )
    widths = (16, 60, 11, 12, 10, *(14,) * 6)
    puts = (cells.text, cells.text, *(cells.number,) * 9)
    write_rows(cells, SHEET_DIRECTIVES, HEADERS_DIRECTIVES, widths, puts, rows)


def _group_duties(assignments: list[AssignmentRow]) -> list[list[AssignmentRow]]:
    """The rows of each duty, the duties in the order they first appear (the loader's order)."""
    duties: dict[int, list[AssignmentRow]] = {}
    for row in assignments:
        duties.setdefault(row.duty_id, []).append(row)
    return list(duties.values())


def _duty_rows(summary: Summary, live: list[AssignmentRow], due_window_days: int) -> Iterable[list[Any]]:
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


def _duties_sheet(cells: Cells, summary: Summary, live: list[AssignmentRow], due_window_days: int) -> None:
    widths = (16, 7, 70, 12, 36, 36, 14, 24)
    text, day = cells.text, cells.day
    puts = (text, text, text, day, text, text, day, text)
    write_rows(cells, SHEET_DUTIES, HEADERS_DUTIES, widths, puts, _duty_rows(summary, live, due_window_days))


def _assignments_sheet(cells: Cells, summary: Summary, live: list[AssignmentRow], due_window_days: int) -> None:
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
    text, day = cells.text, cells.day
    puts = (text, text, text, text, text, day, day, day, cells.number, text, text, day, text)
    write_rows(cells, SHEET_ASSIGNMENTS, HEADERS_ASSIGNMENTS, widths, puts, rows)


_REPORT_WIDTHS: Final = (17, 40, 16, 7, 16, 10, 80, 13)


def _reports_sheets(
    cells: Cells, summary: Summary, assignments: list[AssignmentRow], reports: list[ReportRow], tz: tzinfo
) -> None:
    """The reports received in the period, oldest first, one row each: the sheet a busy period
    fills, so its rows are written without the generic per-column path. Past Excel's row limit
    they go on in "Báo cáo (2)", "Báo cáo (3)", … with the same header."""
    start, end = summary.period.start, summary.period.end
    # Stable: ties keep the loader's order (received_at, id). Only a list of references is new.
    in_period = sorted((r for r in reports if start <= r.received_on <= end), key=attrgetter("received_at"))
    # Per assignment, its unit, directive and duty, cleaned once.
    by_id = {row.assignment_id: row for row in assignments}
    names: dict[int, tuple[str, ...]] = {}
    kinds = {kind: clean_text(name) for kind, name in REPORT_KIND_NAMES.items()}
    per_sheet = SHEET_ROWS - 1
    for part in count(1):
        title = SHEET_REPORTS if part == 1 else f"{SHEET_REPORTS} ({part})"
        sheet = cells.sheet(title, HEADERS_REPORTS, _REPORT_WIDTHS)
        chunk = in_period[(part - 1) * per_sheet : part * per_sheet]
        for row, report in enumerate(chunk, 1):
            cells.moment(sheet, row, 0, report.received_at.astimezone(tz))
            block = names.get(report.assignment_id)
            if block is None:
                block = names[report.assignment_id] = _names(by_id.get(report.assignment_id))
            for column, name in enumerate(block, 1):
                cells.text(sheet, row, column, name)
            sheet.write_string(row, 4, kinds[report.kind])
            if report.percent is not None:
                sheet.write_number(row, 5, report.percent)
            cells.text(sheet, row, 6, report.text)
            cells.day(sheet, row, 7, report.requested_deadline)
        cells.finish(sheet, HEADERS_REPORTS, len(chunk))
        if part * per_sheet >= len(in_period):
            return


def _names(assignment: AssignmentRow | None) -> tuple[str, ...]:
    """A report row's unit, directive and duty (empty when the assignment is not in the list)."""
    if assignment is None:
        return ()
    return (assignment.unit_name, assignment.directive_number, assignment.duty_label)
