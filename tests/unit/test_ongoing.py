"""Ongoing duties (no deadline) in the summary: a table of states, in a directive with both kinds."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from bot.domain.classify import Category
from bot.domain.enums import AssignmentRole, AssignmentStatus, ReportKind
from bot.domain.ongoing import OngoingState
from bot.domain.summary import AssignmentRow, Period, ReportRow, Summary, compute
from bot.views.chart import _unit_segments
from bot.views.ongoing import ongoing_section, stats_lines
from bot.views.summary import render_summary

WEEK = Period(date(2026, 6, 29), date(2026, 7, 5), "tuần 29/6–5/7/2026")
TODAY = date(2026, 7, 6)
ASSIGNED = date(2026, 6, 1)
NAMES = {1: "Sở Tài chính", 2: "Sở Nội vụ", 3: "Công an tỉnh", 4: "Sở Y tế", 5: "Ban Tuyên giáo"}


def row(
    aid: int,
    unit: int,
    *,
    duty: int,
    deadline: date | None = None,
    status: AssignmentStatus = AssignmentStatus.ASSIGNED,
    done_on: date | None = None,
    percent: int | None = None,
) -> AssignmentRow:
    return AssignmentRow(
        assignment_id=aid, directive_id=1, directive_number="TB ngày 12/03/2026 (Ý kiến chỉ đạo…)",
        directive_title="Ý kiến chỉ đạo", duty_id=duty, duty_label=str(duty), duty_text="…", unit_id=unit,
        unit_name=NAMES[unit], role=AssignmentRole.LEAD, status=status, deadline=deadline, original_deadline=None,
        done_on=done_on, assigned_on=ASSIGNED, percent=percent, blocked=False, extension_status=None,
        extension_to=None,
    )  # fmt: skip


def report(rid: int, aid: int, kind: ReportKind, on: date, percent: int | None = None) -> ReportRow:
    return ReportRow(rid, aid, kind, "…", datetime.combine(on, time(3), UTC), on, None, percent)


# One directive, both kinds: duty 1 has a deadline (classified as before), duties 2–3 are ongoing.
ROWS = [
    row(1, 1, duty=1, deadline=date(2026, 6, 30)),  # overdue, as DESIGN.md says
    row(2, 1, duty=2, status=AssignmentStatus.IN_PROGRESS, percent=60),  # reported 60% this week
    row(3, 2, duty=2),  # silent since 20/06
    row(4, 3, duty=3, status=AssignmentStatus.REPORTED_DONE),  # reported done, awaiting confirmation
    row(5, 4, duty=3, status=AssignmentStatus.CONFIRMED, done_on=date(2026, 7, 2)),  # confirmed
    row(6, 5, duty=3),  # never reported
]
REPORTS = [
    report(1, 3, ReportKind.PROGRESS, date(2026, 6, 20), 10),  # before the period
    report(2, 2, ReportKind.PROGRESS, date(2026, 7, 1), 40),
    report(3, 2, ReportKind.PROGRESS, date(2026, 7, 3), 60),
    report(4, 4, ReportKind.DONE, date(2026, 7, 2)),
    report(5, 5, ReportKind.DONE, date(2026, 7, 1)),
]


@pytest.fixture
def summary() -> Summary:
    rows = [replace(r, last_reported_on=date(2026, 6, 20)) if r.assignment_id == 3 else r for r in ROWS]
    return compute(rows, REPORTS, [], WEEK, today=TODAY)


@pytest.mark.parametrize(
    ("aid", "state", "percent", "silent_days"),
    [
        (2, OngoingState.REPORTED, 60, None),
        (3, OngoingState.SILENT, None, 15),
        (4, OngoingState.AWAITING, None, None),
        (5, OngoingState.CONFIRMED, None, None),
        (6, OngoingState.SILENT, None, 34),
    ],
)
def test_each_ongoing_assignment_has_a_state(
    summary: Summary, aid: int, state: OngoingState, percent: int | None, silent_days: int | None
) -> None:
    (item,) = [i for i in summary.ongoing if i.assignment_id == aid]
    assert (item.state, item.percent, item.silent_days) == (state, percent, silent_days)


def test_the_deadline_duty_keeps_its_classification(summary: Summary) -> None:
    assert 1 not in {i.assignment_id for i in summary.ongoing}
    h = summary.headline
    assert (h.overdue, h.ongoing, h.done_on_time) == (1, 2, 0)  # duty 3 waits on two of its three leads
    assert [o.duty_label for o in summary.overdue] == ["1"]


def test_text_shows_who_reported_who_is_silent_and_the_response_rate(summary: Summary) -> None:
    text = render_summary(summary)
    assert "(5 lượt giao, không có hạn): đã báo cáo trong kỳ <b>1</b> · báo hoàn thành, chờ xác nhận <b>1</b>" in text
    assert "đã xác nhận hoàn thành <b>1</b> · chưa báo cáo <b>2</b> · tỷ lệ phản hồi <b>60%</b>" in text
    assert "nv 2 — Sở Tài chính: đã báo cáo ngày 03/07/2026, đạt 60%" in text
    assert "nv 2 — Sở Nội vụ: <b>chưa báo cáo 15 ngày</b> (lần cuối 20/06/2026)" in text
    assert "nv 3 — Công an tỉnh: báo hoàn thành, chờ Văn phòng xác nhận" in text
    assert "nv 3 — Sở Y tế: đã xác nhận hoàn thành" in text
    assert "nv 3 — Ban Tuyên giáo: <b>chưa báo cáo lần nào</b> (đã giao 34 ngày)" in text
    assert "Sở Tài chính: hoàn thành 0%" in text and "thường xuyên 1: 1 đã báo cáo trong kỳ, phản hồi 100%" in text


def test_stats_of_one_unit_show_its_ongoing_duties(summary: Summary) -> None:
    lines = stats_lines([i for i in summary.ongoing if i.unit_id == 1])
    assert lines[0].startswith("Thường xuyên (không có hạn): 1 lượt · đã báo cáo trong kỳ 1")
    assert "đạt 60%" in lines[1]
    assert ongoing_section([]) == []


def test_the_chart_draws_a_unit_at_60_percent_unlike_a_silent_one(summary: Summary) -> None:
    units = {u.unit_name: u for u in summary.units}
    reporting, silent = _unit_segments(units["Sở Tài chính"]), _unit_segments(units["Sở Nội vụ"])
    assert reporting[OngoingState.REPORTED] == 1 and reporting[OngoingState.SILENT] == 0
    assert silent[OngoingState.SILENT] == 1 and silent[OngoingState.REPORTED] == 0
    assert _unit_segments(units["Công an tỉnh"])[OngoingState.AWAITING] == 1
    assert _unit_segments(units["Sở Y tế"])[Category.DONE_ON_TIME] == 1
    assert Category.ONGOING not in reporting
