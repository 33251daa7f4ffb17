"""Writing a workbook's cells with xlsxwriter: formats, typed cell writers and one sheet's rows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, Final, NamedTuple

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

DATE_FORMAT: Final = "dd/mm/yyyy"
DATETIME_FORMAT: Final = "dd/mm/yyyy hh:mm"
PERCENT_FORMAT: Final = "0.0%"
CHANGE_FORMAT: Final = "+0;-0;0"
PERCENT_CHANGE_FORMAT: Final = "+0.0%;-0.0%;0.0%"
MAX_CELL_TEXT: Final = 32767  # Excel's limit per cell

_FORMULA_STARTS: Final = ("=", "+", "-", "@")
# What XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE), lone surrogates, U+FFFE/U+FFFF.
# xlsxwriter would write control characters as "_x0000_"; a person never meant them.
_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EPOCH_ORDINAL: Final = date(1899, 12, 30).toordinal()  # Excel's day 0, its 1900 leap-year bug folded in
_FIRST_DATE: Final = date(1900, 3, 1)  # Excel cannot show dates before 1900; before March, off by one


def clean_text(value: str) -> str:
    """`value` as Excel can hold it: without control characters, at most 32,767 characters."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL.sub("", value)[:MAX_CELL_TEXT]


def excel_day(value: date) -> int:
    """`value` as Excel's serial day number."""
    return value.toordinal() - _EPOCH_ORDINAL


# --- cells -----------------------------------------------------------------------------------------
# A column writes its values with one of these: (sheet, row, column, value) -> None. None is no cell.
Put = Callable[[Worksheet, int, int, Any], None]


class Styled(NamedTuple):
    """A value with its own writer, in a column whose default does not fit (the headline)."""

    put: Put
    value: Any


class Cells:
    """The workbook's formats, and a writer per kind of cell."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.header = book.add_format({"bold": True})
        self.date = book.add_format({"num_format": DATE_FORMAT})
        self.datetime = book.add_format({"num_format": DATETIME_FORMAT})
        self.quoted = book.add_format({"quote_prefix": True})
        self.percent = self._number_with(book.add_format({"num_format": PERCENT_FORMAT}))
        self.change = self._number_with(book.add_format({"num_format": CHANGE_FORMAT}))
        self.percent_change = self._number_with(book.add_format({"num_format": PERCENT_CHANGE_FORMAT}))
        self.number = self._number_with(None)

    def sheet(self, title: str, headers: Sequence[str], widths: Sequence[float]) -> Worksheet:
        sheet = self.book.add_worksheet(title)
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        sheet.freeze_panes(1, 0)
        for column, header in enumerate(headers):
            sheet.write_string(0, column, header, self.header)
        return sheet

    @staticmethod
    def finish(sheet: Worksheet, headers: Sequence[str], rows: int) -> None:
        """The header's filter over the `rows` data rows written."""
        sheet.autofilter(0, 0, rows, len(headers) - 1)

    def text(self, sheet: Worksheet, row: int, column: int, value: str | None) -> None:
        if value is None:
            return
        text = clean_text(value)
        if text:
            # A string cell is never evaluated; the quote prefix keeps it a string when edited.
            sheet.write_string(row, column, text, self.quoted if text.startswith(_FORMULA_STARTS) else None)

    @staticmethod
    def _number_with(style: Format | None) -> Put:
        def put(sheet: Worksheet, row: int, column: int, value: Any) -> None:
            if value is not None:
                sheet.write_number(row, column, value, style)

        return put

    def day(self, sheet: Worksheet, row: int, column: int, value: date | None) -> None:
        if value is None:
            return
        if isinstance(value, datetime):
            self.moment(sheet, row, column, value)
        elif value < _FIRST_DATE:
            self.text(sheet, row, column, value.strftime("%d/%m/%Y"))
        else:
            sheet.write_number(row, column, excel_day(value), self.date)

    def moment(self, sheet: Worksheet, row: int, column: int, value: datetime) -> None:
        """A local datetime, to the second; its tzinfo, if any, is ignored (Excel has no time zones)."""
        if value.date() < _FIRST_DATE:
            self.text(sheet, row, column, value.strftime("%d/%m/%Y %H:%M"))
            return
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        sheet.write_number(row, column, excel_day(value) + seconds / 86400, self.datetime)

    def auto(self, sheet: Worksheet, row: int, column: int, value: Any) -> None:
        """By the value's type, for the mixed columns of the headline."""
        if isinstance(value, Styled):
            value.put(sheet, row, column, value.value)
        elif isinstance(value, str):
            self.text(sheet, row, column, value)
        elif isinstance(value, date):
            self.day(sheet, row, column, value)
        else:
            self.number(sheet, row, column, value)


def write_rows(
    cells: Cells,
    title: str,
    headers: Sequence[str],
    widths: Sequence[float],
    puts: Sequence[Put],
    rows: Iterable[Sequence[Any]],
) -> None:
    """A sheet whose row values are written by their column's writer."""
    sheet = cells.sheet(title, headers, widths)
    written = 0
    for written, values in enumerate(rows, 1):
        # A row may be shorter than the header (the headline's label rows): the rest stays empty.
        for column, (put, value) in enumerate(zip(puts, values, strict=False)):
            put(sheet, written, column, value)
    cells.finish(sheet, headers, written)
