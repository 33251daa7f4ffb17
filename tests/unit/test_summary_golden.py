"""Golden test of the summary text: a known week renders to exactly the committed HTML.

After an intended change of wording, regenerate with DONDOC_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from bot.domain.enums import AssignmentRole, AssignmentStatus, ExtensionStatus, PingStatus, ReportKind
from bot.textsplit import split_html
from bot.views_summary import render_summary
from tests.unit.test_summary import ping, report, row, run

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden" / "summary_week.html"


def _week() -> str:
    rows = [
        row(1, duty=1, unit=1, done_on=date(2026, 6, 30)),  # on time, on the deadline day
        row(2, duty=2, unit=2, deadline=date(2026, 6, 25), done_on=date(2026, 7, 2)),  # late
        row(3, duty=3, unit=3, deadline=date(2026, 6, 20), status=AssignmentStatus.IN_PROGRESS),  # overdue
        row(4, duty=3, unit=5, role=AssignmentRole.SUPPORT, deadline=date(2026, 6, 20)),  # silent support
        row(5, duty=4, unit=4, deadline=date(2026, 7, 9)),  # due within the window
        row(6, duty=5, unit=6, deadline=None, directive=2, number="12-CT/TU"),  # ongoing
        row(
            7,
            duty=6,
            unit=1,
            deadline=date(2026, 7, 31),
            original_deadline=date(2026, 7, 1),
            extension_status=ExtensionStatus.APPROVED,
            extension_to=date(2026, 7, 31),
        ),
    ]
    reports = [
        report(1, 3, ReportKind.BLOCKED, date(2026, 7, 1), text="Thiếu kinh phí <in tài liệu> & chờ Sở Tài chính"),
        report(
            2, 7, ReportKind.EXTENSION, date(2026, 7, 2), text="Xin gia hạn vì chờ số liệu", requested=date(2026, 7, 31)
        ),
        report(3, 1, ReportKind.DONE, date(2026, 6, 30)),
    ]
    pings = [ping(3, date(2026, 6, 29)), ping(1, date(2026, 6, 29)), ping(5, None, PingStatus.FAILED)]
    return render_summary(run(rows, reports, pings))


def test_weekly_summary_text_matches_the_golden_file() -> None:
    text = _week()
    if os.environ.get("DONDOC_UPDATE_GOLDEN"):
        GOLDEN.write_text(text + "\n", encoding="utf-8")
    assert text + "\n" == GOLDEN.read_text(encoding="utf-8")
    assert len(split_html(text)) == 1
