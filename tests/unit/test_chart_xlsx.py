"""The summary's chart (PNG) and workbook (xlsx), from a Summary built by hand."""

from __future__ import annotations

import csv as csv_module
import io
import shutil
import struct
import subprocess
import threading
import unicodedata
import warnings
import zipfile
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import matplotlib.image
import openpyxl
import pytest
from openpyxl.utils.escape import unescape

from bot.domain.classify import Category
from bot.domain.enums import AssignmentRole, AssignmentStatus, ExtensionStatus, ReportKind
from bot.domain.summary import (
    AssignmentRow,
    DirectiveLine,
    Headline,
    Period,
    ReportRow,
    Summary,
    UnitLine,
    compute,
)
from bot.views.categories import LABELS
from bot.views.chart import (
    BAR_PX,
    BASE_PX,
    EMPTY_SIZE_PX,
    MAX_HEIGHT_PX,
    WIDTH_PX,
    ChartKind,
    chart_size_px,
    chart_title,
    render_chart,
    shorten,
)
from bot.views.workbook import (
    HEADERS_ASSIGNMENTS,
    HEADERS_DIRECTIVES,
    HEADERS_DUTIES,
    HEADERS_REPORTS,
    HEADERS_SUMMARY,
    HEADERS_UNITS,
    build_workbook,
    clean_text,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PERIOD = Period(date(2026, 11, 23), date(2026, 11, 29), "tuần 23/11–29/11/2026")
AS_OF = date(2026, 11, 29)
HEADLINE = Headline(
    in_force=12,
    due_in_period=3,
    due_overall=8,
    done_on_time=4,
    done_late=1,
    in_progress_on_time=2,
    overdue=3,
    not_due=1,
    ongoing=1,
    completion_rate=5 / 8,
    on_time_rate=0.8,
)
UNIT_NAMES = [
    "Ủy ban MTTQ Việt Nam tỉnh",
    "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
    "Sở Nông nghiệp và Phát triển nông thôn tỉnh Quảng Trị",  # longer than a label may be
    "Ban Tuyên giáo và Dân vận Tỉnh ủy",
    "Đảng ủy Khối các cơ quan tỉnh",
]


def _categories(seed: int) -> dict[Category, int]:
    return {category: (seed + i) % 4 for i, category in enumerate(LABELS)}


def _unit(n: int, name: str | None = None) -> UnitLine:
    return UnitLine(
        unit_id=n,
        unit_name=name or f"{UNIT_NAMES[n % len(UNIT_NAMES)]} {n}",
        assignments=10,
        categories=_categories(n),
        completion_rate=0.5 if n % 2 else None,
        on_time_rate=1.0,
        reminders=4,
        answered=3,
        response_rate=0.75,
    )


def _summary(units: list[UnitLine], directives: list[DirectiveLine] | None = None) -> Summary:
    return Summary(
        period=PERIOD,
        as_of=AS_OF,
        headline=HEADLINE,
        previous=None,
        directives=directives or [],
        units=units,
        overdue=[],
        silent_units=[],
    )


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _render_strict(summary: Summary, *, by: ChartKind = "unit", max_bars: int = 20) -> bytes:
    """Renders with every warning an error: a glyph missing from the font fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return render_chart(summary, by=by, max_bars=max_bars)


# --- chart -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("bars", [1, 5])
def test_chart_size_follows_the_bar_count(bars: int) -> None:
    png = _render_strict(_summary([_unit(n) for n in range(bars)]))
    assert _png_size(png) == chart_size_px(bars) == (WIDTH_PX, BASE_PX + bars * BAR_PX)
    # A real image, not just a header: decoded, it has the same size.
    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
    assert pixels.shape[:2] == (BASE_PX + bars * BAR_PX, WIDTH_PX)


def test_chart_height_is_capped() -> None:
    assert chart_size_px(10_000) == (WIDTH_PX, MAX_HEIGHT_PX)
    assert chart_size_px(0) == EMPTY_SIZE_PX


def test_chart_shows_the_first_units_and_counts_the_others() -> None:
    summary = _summary([_unit(n) for n in range(25)])
    png = _render_strict(summary, max_bars=20)
    assert _png_size(png) == chart_size_px(20)
    assert chart_title(summary, max_bars=20) == (
        "Tình hình thực hiện nhiệm vụ — tuần 23/11–29/11/2026\n20 đơn vị đầu bảng; … và 5 đơn vị khác"
    )
    assert chart_title(summary, max_bars=25) == "Tình hình thực hiện nhiệm vụ — tuần 23/11–29/11/2026"


def test_vietnamese_text_has_every_glyph() -> None:
    # Every Vietnamese letter with every tone mark, upper and lower case, as unit names.
    tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    vowels = "aăâeêioôơuưy"
    letters = [unicodedata.normalize("NFC", v + t) for v in vowels + vowels.upper() for t in tones] + ["đ", "Đ"]
    alphabet = "".join(letters)
    names = [alphabet[i : i + 30] for i in range(0, len(alphabet), 30)] + UNIT_NAMES
    names.append(r"Quỹ $\bad$ — không phải công thức")  # drawn as text: as mathtext it would raise
    summary = _summary([_unit(n, name) for n, name in enumerate(names)])
    png = _render_strict(summary, max_bars=len(names))
    assert _png_size(png) == chart_size_px(len(names))


def test_a_missing_glyph_would_be_caught() -> None:
    """The check above is meaningful: a character DejaVu Sans lacks does raise under the filter."""
    with pytest.raises(UserWarning, match="missing from font"):
        _render_strict(_summary([_unit(0, "Ủy ban 中文")]))


def test_empty_summary_says_no_data() -> None:
    png = _render_strict(_summary([]))
    assert _png_size(png) == EMPTY_SIZE_PX


def test_directive_chart() -> None:
    directives = [
        DirectiveLine(1, "1046-CV/TU", "Về việc tăng cường công tác phòng, chống thiên tai", 6, 2, 1, _categories(1)),
        DirectiveLine(2, "#2", "", 3, 0, 0, {Category.ONGOING: 3}),
    ]
    summary = _summary([_unit(0)], directives)
    assert _png_size(_render_strict(summary, by="directive")) == chart_size_px(2)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="max_bars"):
        render_chart(_summary([_unit(0)]), max_bars=0)
    with pytest.raises(ValueError, match="chart kind"):
        render_chart(_summary([_unit(0)]), by="duty")  # type: ignore[arg-type]


def test_long_and_decomposed_names_are_shortened_and_composed() -> None:
    assert shorten("Ủy ban  MTTQ\nViệt Nam") == "Ủy ban MTTQ Việt Nam"
    long = shorten(UNIT_NAMES[2] + " và các huyện")
    assert len(long) == 39 and long.endswith("…")
    assert shorten(unicodedata.normalize("NFD", "Ủy ban")) == "Ủy ban"


def test_renders_alike_from_several_threads() -> None:
    summary = _summary([_unit(n) for n in range(2)])
    expected = render_chart(summary)
    results: list[bytes] = []

    def work() -> None:
        results.append(render_chart(summary))

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 3


# --- workbook --------------------------------------------------------------------------------------


def _assignment(
    n: int,
    *,
    duty: int,
    role: AssignmentRole = AssignmentRole.LEAD,
    deadline: date | None = date(2026, 11, 25),
    done_on: date | None = None,
    status: AssignmentStatus = AssignmentStatus.IN_PROGRESS,
    text: str = "Triển khai thực hiện",
    extension: ExtensionStatus | None = None,
) -> AssignmentRow:
    return AssignmentRow(
        assignment_id=n,
        directive_id=1 if duty < 3 else 2,
        directive_number="1046-CV/TU" if duty < 3 else "#2",
        directive_title="Về việc tăng cường công tác phòng, chống thiên tai",
        duty_id=duty,
        duty_label=f"{duty}.1",
        duty_text=text,
        unit_id=n,
        unit_name=UNIT_NAMES[n % len(UNIT_NAMES)],
        role=role,
        status=status,
        deadline=deadline,
        original_deadline=date(2026, 11, 20) if extension else None,
        done_on=done_on,
        assigned_on=date(2026, 11, 2),
        percent=50,
        blocked=n == 2,
        extension_status=extension,
        extension_to=date(2026, 12, 5) if extension else None,
    )


ASSIGNMENTS = [
    # Duty 1: two leads, one overdue -> the duty is overdue. Its text looks like a formula.
    _assignment(1, duty=1, deadline=date(2026, 11, 25), text="=1+1"),
    _assignment(2, duty=1, deadline=date(2026, 11, 25), done_on=date(2026, 11, 24), status=AssignmentStatus.CONFIRMED),
    _assignment(3, duty=1, role=AssignmentRole.SUPPORT),
    # Duty 2: done late.
    _assignment(4, duty=2, deadline=date(2026, 11, 20), done_on=date(2026, 11, 22), status=AssignmentStatus.CONFIRMED),
    # Duty 3: ongoing (no deadline), with an extension asked.
    _assignment(5, duty=3, deadline=None, extension=ExtensionStatus.REQUESTED, text="- gạch đầu dòng\x07"),
]


def _report(
    n: int, assignment: int, at: datetime, kind: ReportKind, text: str, percent: int | None = None
) -> ReportRow:
    return ReportRow(
        report_id=n,
        assignment_id=assignment,
        kind=kind,
        text=text,
        received_at=at,
        received_on=at.astimezone(TZ).date(),
        requested_deadline=date(2026, 12, 5) if kind is ReportKind.EXTENSION else None,
        percent=percent,
    )


REPORTS = [
    _report(1, 1, datetime(2026, 11, 24, 1, 30, tzinfo=UTC), ReportKind.PROGRESS, "=1+1", percent=60),
    _report(2, 5, datetime(2026, 11, 23, 2, 0, tzinfo=UTC), ReportKind.EXTENSION, "Xin gia hạn\x00 do mưa lũ"),
    _report(3, 4, datetime(2026, 11, 22, 3, 0, tzinfo=UTC), ReportKind.DONE, "before the period"),
    _report(4, 99, datetime(2026, 11, 29, 16, 59, tzinfo=UTC), ReportKind.NOTE, "@unit gone"),  # 23:59 local
]


def _workbook(summary: Summary | None = None) -> openpyxl.Workbook:
    summary = summary or _summary(
        [_unit(0), _unit(1)],
        [DirectiveLine(1, "1046-CV/TU", "Về việc tăng cường", 2, 1, 1, _categories(0))],
    )
    data = build_workbook(summary, ASSIGNMENTS, REPORTS, tz=TZ)
    with zipfile.ZipFile(io.BytesIO(data)) as package:  # every part is well-formed XML
        for name in package.namelist():
            ElementTree.fromstring(package.read(name))
    return openpyxl.load_workbook(io.BytesIO(data))


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_workbook_sheets_headers_and_layout() -> None:
    book = _workbook()
    assert book.sheetnames == ["Tổng hợp", "Đơn vị", "Văn bản", "Nhiệm vụ", "Giao việc", "Báo cáo"]
    headers = [HEADERS_SUMMARY, HEADERS_UNITS, HEADERS_DIRECTIVES, HEADERS_DUTIES, HEADERS_ASSIGNMENTS, HEADERS_REPORTS]
    # Data rows: the headline (4 period rows, 11 figures, 2 counts), 2 units, 1 directive,
    # 3 duties, 5 assignments, 3 reports in the period.
    counts = [17, 2, 1, 3, 5, 3]
    for sheet, header, count in zip(book.worksheets, headers, counts, strict=True):
        assert [cell.value for cell in sheet[1]] == list(header)
        assert all(cell.font.b for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.max_row == count + 1
        assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}{count + 1}"
        letters = [openpyxl.utils.get_column_letter(n) for n in range(1, len(header) + 1)]
        assert all(sheet.column_dimensions[letter].width >= 7 for letter in letters)


def test_headline_sheet() -> None:
    sheet = _workbook()["Tổng hợp"]
    values = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert values["Kỳ báo cáo"].value == "tuần 23/11–29/11/2026"
    assert values["Số liệu tính đến ngày"].value == datetime(2026, 11, 29)
    assert values["Số liệu tính đến ngày"].number_format == "dd/mm/yyyy"
    assert values["Nhiệm vụ đang theo dõi"].value == 12
    assert values["Quá hạn chưa hoàn thành"].value == 3
    assert values["Tỷ lệ hoàn thành"].value == pytest.approx(0.625)
    assert values["Tỷ lệ hoàn thành"].number_format == "0.0%"


def test_units_and_directives_sheets() -> None:
    book = _workbook()
    units = _rows(book["Đơn vị"])
    assert units[0][:3] == (1, "Ủy ban MTTQ Việt Nam tỉnh 0", 10)
    assert units[0][3:9] == tuple(_categories(0).values())
    assert units[0][9] is None  # no completion rate: an empty cell, not 0 %
    assert book["Đơn vị"]["J3"].value == 0.5
    assert book["Đơn vị"]["J3"].number_format == "0.0%"
    assert _rows(book["Văn bản"])[0][:5] == ("1046-CV/TU", "Về việc tăng cường", 2, 1, 1)


def test_duties_sheet() -> None:
    duties = _rows(_workbook()["Nhiệm vụ"])
    assert duties[0] == (
        "1046-CV/TU",
        "1.1",
        "=1+1",
        datetime(2026, 11, 25),
        "Bộ Chỉ huy Bộ đội Biên phòng tỉnh; Sở Nông nghiệp và Phát triển nông thôn tỉnh Quảng Trị",
        "Ban Tuyên giáo và Dân vận Tỉnh ủy",
        None,
        "Quá hạn chưa hoàn thành",
    )
    assert duties[1][6:] == (datetime(2026, 11, 22), "Hoàn thành quá hạn")
    assert duties[2][2:] == ("- gạch đầu dòng", None, "Ủy ban MTTQ Việt Nam tỉnh", None, None, "Thường xuyên")


def test_assignments_sheet() -> None:
    sheet = _workbook()["Giao việc"]
    rows = _rows(sheet)
    assert rows[0][3:5] == ("Chủ trì", "Đang thực hiện")
    assert rows[1][4] == "Đã xác nhận hoàn thành"
    assert rows[2][3] == "Phối hợp"
    assert rows[1][9] == "Có" and rows[0][9] == "Không"
    assert rows[4][5:] == (
        None,
        datetime(2026, 11, 20),
        None,
        50,
        "Không",
        "Chờ duyệt",
        datetime(2026, 12, 5),
        "Thường xuyên",
    )
    assert sheet["G6"].number_format == "dd/mm/yyyy"


def test_reports_sheet_in_the_period_in_local_time() -> None:
    sheet = _workbook()["Báo cáo"]
    rows = _rows(sheet)
    # Oldest first; the report before the period is left out.
    assert [row[0] for row in rows] == [
        datetime(2026, 11, 23, 9, 0),
        datetime(2026, 11, 24, 8, 30),
        datetime(2026, 11, 29, 23, 59),
    ]
    assert sheet["A2"].number_format == "dd/mm/yyyy hh:mm"
    assert rows[0][1:] == (
        "Ủy ban MTTQ Việt Nam tỉnh",
        "#2",
        "3.1",
        "Xin gia hạn",
        None,  # no percent with an extension request
        "Xin gia hạn do mưa lũ",  # the NUL is gone
        datetime(2026, 12, 5),
    )
    assert rows[1][4:6] == ("Đang thực hiện", 60)  # the progress report's percent
    assert rows[2][1:5] == (None, None, None, "Ghi chú")  # its assignment is not in the list


def test_formula_like_text_stays_text() -> None:
    sheet = _workbook()["Báo cáo"]
    cell = sheet["G3"]
    assert cell.value == "=1+1"
    assert cell.data_type == "s"
    assert cell.quotePrefix
    assert sheet["G4"].value == "@unit gone" and sheet["G4"].data_type == "s"


def test_report_cells_keep_odd_text() -> None:
    """The reports sheet has its own row writer and shares its names: odd names and texts come
    back as they went in (escaped, spaces kept, formula-like text quoted)."""
    odd = replace(
        ASSIGNMENTS[0],
        assignment_id=7,
        unit_name=" Sở <Tài chính> & _x0041_ ",
        directive_number="=SUM(A1)",
        duty_label="+1",
    )
    reports = [
        # (openpyxl, unlike Excel and LibreOffice, does not undo the "_x" escape of an inline string.)
        _report(1, 7, datetime(2026, 11, 24, 1, 30, tzinfo=UTC), ReportKind.NOTE, "  a < b & c\r\nd "),
        _report(2, 7, datetime(2026, 11, 24, 2, 30, tzinfo=UTC), ReportKind.NOTE, "\x01\x02"),  # nothing left
        _report(3, 7, datetime(2026, 11, 24, 3, 30, tzinfo=UTC), ReportKind.NOTE, "x" * 40_000),
    ]
    data = build_workbook(_summary([]), [odd], reports, tz=TZ)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Báo cáo"]
    # Every string is inline (constant-memory mode); openpyxl leaves their "_x" escape for us to undo.
    rows = [tuple(unescape(v) if isinstance(v, str) else v for v in row) for row in _rows(sheet)]
    assert rows[0][1:7] == (" Sở <Tài chính> & _x0041_ ", "=SUM(A1)", "+1", "Ghi chú", None, "  a < b & c\nd ")
    assert rows[1][6] is None
    assert rows[2][6] == "x" * 32_767
    assert sheet["C2"].data_type == "s" and sheet["C2"].quotePrefix
    assert sheet["D2"].quotePrefix and not sheet["B2"].quotePrefix


def test_chart_leaves_a_white_border() -> None:
    """Nothing runs off the image: with the longest names, the outermost pixels stay white."""
    long_name = "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Thừa Thiên Huế"
    for units in ([_unit(0, long_name)], [_unit(n, f"{long_name} {n}") for n in range(25)]):
        pixels = matplotlib.image.imread(io.BytesIO(_render_strict(_summary(units))), format="png")
        for edge in (pixels[:3], pixels[-3:], pixels[:, :3], pixels[:, -3:]):
            assert (edge[..., :3] == 1.0).all()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_workbook(tmp_path: Path) -> None:
    """A spreadsheet program, not only openpyxl, reads every sheet, with the dates as formatted."""
    source = tmp_path / "tong-hop.xlsx"
    source.write_bytes(build_workbook(_summary([_unit(0)], []), ASSIGNMENTS, REPORTS, tz=TZ))
    # Every sheet (-1) as shown (the 9th token), UTF-8 (76); a profile of its own, for parallel runs.
    csv = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", csv, "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    sheets = {}
    for path in tmp_path.glob("tong-hop-*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            sheets[path.stem.removeprefix("tong-hop-")] = list(csv_module.reader(f))
    assert sorted(sheets) == sorted(["Tổng hợp", "Đơn vị", "Văn bản", "Nhiệm vụ", "Giao việc", "Báo cáo"])
    reports = sheets["Báo cáo"]
    assert reports[0] == list(HEADERS_REPORTS)
    assert [row[0] for row in reports[1:]] == ["23/11/2026 09:00", "24/11/2026 08:30", "29/11/2026 23:59"]
    assert reports[2][5:7] == ["60", "=1+1"]  # the formula-like text is shown, not computed
    assert len(sheets["Giao việc"]) == len(ASSIGNMENTS) + 1
    assert sheets["Nhiệm vụ"][1][3] == "25/11/2026"


def test_empty_workbook_has_headers_only() -> None:
    data = build_workbook(_summary([]), [], [], tz=TZ)
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets[1:]:
        assert sheet.max_row == 1
        assert sheet.freeze_panes == "A2"


def test_clean_text() -> None:
    assert clean_text("a\x00b\x1fc\r\nd\re") == "abc\nd\ne"
    assert clean_text("x" * 40_000) == "x" * 32_767
    assert clean_text("lone \ud800 surrogate") == "lone  surrogate"


def test_sheets_add_up_to_the_figures() -> None:
    """The duties and assignments sheets use the rules `compute` used: their categories are the
    headline's and the units', duty for duty, including a duty assigned after as_of (left out)."""
    later = replace(ASSIGNMENTS[0], assignment_id=9, duty_id=9, assigned_on=date(2026, 12, 1))
    # Due in 5 days: "chưa đến hạn" with the 3-day window compute is given, not the default 7.
    soon = replace(ASSIGNMENTS[0], assignment_id=10, duty_id=10, deadline=date(2026, 12, 4))
    rows = [*ASSIGNMENTS, later, soon]
    summary = compute(rows, REPORTS, [], PERIOD, today=date(2026, 12, 3), due_window_days=3)
    assert summary.headline.not_due == 1
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(summary, rows, REPORTS, tz=TZ)))
    duties = Counter(row[7] for row in _rows(book["Nhiệm vụ"]))
    headline = summary.headline
    assert sum(duties.values()) == headline.in_force == 4
    expected = {
        LABELS[Category.DONE_ON_TIME]: headline.done_on_time,
        LABELS[Category.DONE_LATE]: headline.done_late,
        LABELS[Category.IN_PROGRESS_ON_TIME]: headline.in_progress_on_time,
        LABELS[Category.OVERDUE]: headline.overdue,
        LABELS[Category.NOT_DUE]: headline.not_due,
        LABELS[Category.ONGOING]: headline.ongoing,
    }
    assert duties == Counter({label: n for label, n in expected.items() if n})
    assignments = Counter(row[12] for row in _rows(book["Giao việc"]))
    by_units: Counter[str] = Counter()
    for line in summary.units:
        by_units.update({LABELS[c]: n for c, n in line.categories.items() if n})
    assert assignments == by_units


def test_reports_past_the_row_limit_go_on_in_a_second_sheet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel holds 1,048,576 rows a sheet; here 3 (a header and two reports), with the same rule."""
    import bot.views.workbook

    monkeypatch.setattr(bot.views.workbook, "SHEET_ROWS", 3)
    data = build_workbook(_summary([]), ASSIGNMENTS, REPORTS, tz=TZ)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[-2:] == ["Báo cáo", "Báo cáo (2)"]
    first, second = book["Báo cáo"], book["Báo cáo (2)"]
    assert [cell.value for cell in second[1]] == list(HEADERS_REPORTS)
    assert second.freeze_panes == "A2" and second.auto_filter.ref == "A1:H2"
    times = [row[0] for row in (*_rows(first), *_rows(second))]
    assert times == [datetime(2026, 11, 23, 9, 0), datetime(2026, 11, 24, 8, 30), datetime(2026, 11, 29, 23, 59)]
