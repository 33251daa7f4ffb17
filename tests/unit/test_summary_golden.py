"""Golden test of the summary text: a known week renders to exactly the committed HTML.

After an intended change of wording, regenerate with DONDOC_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.domain.enums import AssignmentRole, AssignmentStatus, ExtensionStatus, PingStatus, ReportKind
from bot.domain.summary import AssignmentRow, ReportRow
from bot.textsplit import LIMIT, split_html, utf16_len
from bot.views.summary import render_no_change, render_summary
from tests.support import summary_rows
from tests.support.summary_rows import ping, report, row, run

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "golden"
GOLDEN = GOLDEN_DIR / "summary_week.html"
GOLDEN_QUIET = GOLDEN_DIR / "summary_quiet.html"


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


def _check_golden(path: Path, text: str) -> None:
    if os.environ.get("DONDOC_UPDATE_GOLDEN"):
        path.write_text(text + "\n", encoding="utf-8")
    assert text + "\n" == path.read_text(encoding="utf-8")


def test_a_quiet_week_is_a_short_no_change_post() -> None:
    rows = [
        row(1, duty=1, unit=1, deadline=date(2026, 12, 31)),
        row(2, duty=2, unit=2, deadline=date(2026, 6, 20)),  # overdue since last week, still overdue
        row(3, duty=3, unit=3, deadline=date(2026, 6, 1), done_on=date(2026, 5, 30)),
    ]
    summary = run(rows, [report(1, 2, ReportKind.PROGRESS, date(2026, 6, 24))])
    assert summary.nothing_new
    text = render_no_change(summary)
    _check_golden(GOLDEN_QUIET, text)
    assert text.startswith(render_summary(summary).split("\n\n<b>2.")[0])  # the full post's top, nothing else


class _Tags(HTMLParser):
    """Telegram's HTML: every tag opened in a message must be closed in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open.pop() == tag, f"</{tag}> closes nothing"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


_BIG_NAMES = {n: f"Ủy ban nhân dân huyện <Số {n}> & các xã, thị trấn trực thuộc {n}" for n in range(1, 301)}


def _big_week() -> tuple[list[AssignmentRow], list[ReportRow]]:
    """300 units with long names (with & and <), 400 duties mostly overdue, 60 long quotes."""
    rows = [
        row(duty, duty=duty, unit=duty % 300 + 1, deadline=date(2026, 6, 1) + timedelta(days=duty % 40))
        for duty in range(1, 401)
    ]
    reports = [
        report(
            n,
            n,
            ReportKind.BLOCKED if n % 2 else ReportKind.EXTENSION,
            date(2026, 6, 30),
            text=f"Vướng mắc <b>số {n}</b> & chờ ý kiến " + "rất dài " * 40,
            requested=date(2026, 8, 1),
        )
        for n in range(1, 61)
    ]
    return rows, reports


def test_a_large_summary_splits_on_lines_and_never_inside_a_tag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(summary_rows, "UNITS", _BIG_NAMES)
    text = render_summary(run(*_big_week()))
    chunks = split_html(text)
    assert len(chunks) >= 3
    lines = text.split("\n")
    seen: list[str] = []
    for chunk in chunks:
        parser = _Tags()
        parser.feed(chunk)
        parser.close()
        assert parser.open == [], "a tag left open at the end of a message"
        assert not re.search(r"<[^>]*$|^[^<]*>", chunk), "a message cut inside a tag"
        assert utf16_len("".join(parser.text)) <= LIMIT
        seen.extend(chunk.split("\n"))
    # Cut between lines only: the lines come back whole, in order (the blank separators aside).
    assert [line for line in seen if line] == [line for line in lines if line]
