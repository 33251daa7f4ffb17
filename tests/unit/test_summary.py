"""The weekly summary's figures from hand-built rows, with answers worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.classify import Category
from bot.domain.enums import AssignmentRole, AssignmentStatus, ExtensionStatus, PingStatus, ReportKind
from bot.domain.summary import (
    AssignmentRow,
    Headline,
    Period,
    assignment_category,
    compute,
    judge_duty,
)
from tests.support.summary_rows import ping, report, row, run

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WEEK = Period(start=date(2026, 6, 29), end=date(2026, 7, 5), label="tuần 29/6–5/7/2026")  # Monday..Sunday
TODAY = date(2026, 7, 6)  # the Monday after: as_of is the period's last day
AS_OF = WEEK.end
ASSIGNED = date(2026, 6, 1)
LEAD = AssignmentRole.LEAD
SUPPORT = AssignmentRole.SUPPORT
D = timedelta(days=1)

UNITS = {
    1: "Sở Tài chính",
    2: "Sở Nội vụ",
    3: "Công an tỉnh",
    4: "Đài Phát thanh",
    5: "Ban Tuyên giáo",
    6: "Văn phòng",
}








def local_day(moment: datetime) -> date:
    """The day in the configured zone, as the loader turns a confirmation time into `done_on`."""
    return moment.astimezone(TZ).date()




def one_duty_category(assignments: list[AssignmentRow]) -> Category:
    (line,) = run(assignments).directives
    (category,) = (c for c, n in line.categories.items() if n)
    return category


# --- the edge cases of the issue -------------------------------------------------------------


def test_done_exactly_on_the_deadline_day_is_on_time() -> None:
    summary = run([row(1, duty=1, unit=1, deadline=date(2026, 6, 30), done_on=date(2026, 6, 30))])
    assert summary.headline.done_on_time == 1
    assert summary.headline.done_late == 0
    assert summary.headline.completion_rate == 1.0
    assert summary.headline.on_time_rate == 1.0
    assert summary.overdue == []


def test_done_late_in_the_evening_utc_is_the_next_local_day() -> None:
    # Confirmed at 17:30 UTC on 30/6: that is 00:30 on 1/7 in Hà Nội, a day after the deadline.
    confirmed_at = datetime(2026, 6, 30, 17, 30, tzinfo=UTC)
    assert confirmed_at.date() == date(2026, 6, 30)  # the UTC day would wrongly say "on time"
    assert local_day(confirmed_at) == date(2026, 7, 1)

    late = run([row(1, duty=1, unit=1, deadline=date(2026, 6, 30), done_on=local_day(confirmed_at))])
    assert (late.headline.done_on_time, late.headline.done_late) == (0, 1)
    assert late.headline.on_time_rate == 0.0

    # An hour and a half earlier is still 30/6 locally (23:00): on time.
    in_time = datetime(2026, 6, 30, 16, 0, tzinfo=UTC)
    on_time = run([row(1, duty=1, unit=1, deadline=date(2026, 6, 30), done_on=local_day(in_time))])
    assert (on_time.headline.done_on_time, on_time.headline.done_late) == (1, 0)


def test_an_extension_is_judged_against_the_new_deadline() -> None:
    extended = row(
        1,
        duty=1,
        unit=1,
        deadline=date(2026, 7, 10),
        original_deadline=date(2026, 6, 30),
        done_on=date(2026, 7, 3),
        extension_status=ExtensionStatus.APPROVED,
        extension_to=date(2026, 7, 10),
    )
    summary = run(
        [extended],
        [report(1, 1, ReportKind.EXTENSION, date(2026, 6, 29), text="Xin gia hạn", requested=date(2026, 7, 10))],
    )
    assert summary.headline.done_on_time == 1
    assert summary.headline.done_late == 0
    assert summary.headline.due_in_period == 0  # the deadline in force is 10/7, after the week
    assert summary.overdue == []
    (quote,) = summary.quotes
    assert quote.kind is ReportKind.EXTENSION
    assert quote.requested_deadline == date(2026, 7, 10)


def test_a_returned_result_is_not_done() -> None:
    returned = row(1, duty=1, unit=1, deadline=date(2026, 6, 30), status=AssignmentStatus.RETURNED)
    summary = run(
        [returned],
        [
            report(1, 1, ReportKind.DONE, date(2026, 6, 29)),
            report(2, 1, ReportKind.RETURNED, date(2026, 6, 30)),
        ],
    )
    assert summary.headline.overdue == 1
    assert summary.headline.completion_rate == 0.0
    assert summary.headline.on_time_rate is None  # nothing done yet
    (late,) = summary.overdue
    assert late.days_overdue == (AS_OF - date(2026, 6, 30)).days == 5
    assert late.lead_units == ("Sở Tài chính",)
    assert summary.reports_in_period == 1  # RETURNED is the secretary's, not a unit report
    assert summary.silent_units == []  # the unit did report in the week


def test_a_support_unit_that_never_reported() -> None:
    lead = row(1, duty=1, unit=1, done_on=date(2026, 6, 30))
    support = row(2, duty=1, unit=2, role=SUPPORT)
    summary = run([lead, support], [report(1, 1, ReportKind.DONE, date(2026, 6, 30))])

    # The headline judges the duty by its lead: done on time.
    assert summary.headline.in_force == 1
    assert summary.headline.done_on_time == 1
    assert summary.headline.overdue == 0
    assert summary.overdue == []
    # The support unit is silent and has its own line, with its assignment overdue.
    assert summary.silent_units == ["Sở Nội vụ"]
    lines = {line.unit_name: line for line in summary.units}
    assert lines["Sở Nội vụ"].assignments == 1
    assert lines["Sở Nội vụ"].categories[Category.OVERDUE] == 1
    assert lines["Sở Nội vụ"].completion_rate == 0.0
    assert lines["Sở Tài chính"].completion_rate == 1.0


def test_a_duty_with_no_deadline_is_ongoing() -> None:
    ongoing = row(1, duty=1, unit=1, deadline=None)
    alone = run([ongoing])
    assert alone.headline.in_force == 1
    assert alone.headline.ongoing == 1
    assert alone.headline.due_overall == 0
    assert alone.headline.due_in_period == 0
    assert alone.headline.completion_rate is None  # nothing to measure: "-", not 0 %

    done = row(2, duty=2, unit=1, done_on=date(2026, 6, 29))
    both = run([ongoing, done])
    assert both.headline.in_force == 2
    assert both.headline.completion_rate == 1.0  # the ongoing duty is not in the rate
    (unit,) = both.units
    assert unit.categories[Category.ONGOING] == 1
    assert unit.completion_rate == 1.0


def test_an_ongoing_duty_done_is_done_on_time() -> None:
    summary = run([row(1, duty=1, unit=1, deadline=None, done_on=date(2026, 7, 2))])
    assert summary.headline.done_on_time == 1


# --- duties: leads, dates, as_of -------------------------------------------------------------


def test_a_duty_is_done_when_every_lead_is_done_on_the_latest_day() -> None:
    first = row(1, duty=1, unit=1, deadline=date(2026, 7, 1), done_on=date(2026, 6, 30))
    second_open = row(2, duty=1, unit=2, deadline=date(2026, 7, 1))
    assert one_duty_category([first, second_open]) is Category.OVERDUE

    second_late = row(2, duty=1, unit=2, deadline=date(2026, 7, 1), done_on=date(2026, 7, 3))
    assert one_duty_category([first, second_late]) is Category.DONE_LATE
    summary = run([first, second_open])
    (late,) = summary.overdue
    assert late.lead_units == ("Sở Nội vụ",)  # only the lead not done
    assert late.days_overdue == 4


def test_the_earliest_lead_deadline_counts() -> None:
    a = row(1, duty=1, unit=1, deadline=date(2026, 7, 3))
    b = row(2, duty=1, unit=2, deadline=None)
    c = row(3, duty=1, unit=3, deadline=date(2026, 7, 1))
    summary = run([a, b, c])
    (late,) = summary.overdue
    assert late.deadline == date(2026, 7, 1)
    assert late.lead_units == ("Công an tỉnh", "Sở Nội vụ", "Sở Tài chính")


def test_each_lead_is_judged_against_its_own_deadline() -> None:
    # One lead got an extension to 10/7 (deadlines are per unit); the other finished by its own 30/6.
    early = row(1, duty=1, unit=1, deadline=date(2026, 6, 30), done_on=date(2026, 6, 29))
    extended = row(2, duty=1, unit=2, deadline=date(2026, 7, 10), original_deadline=date(2026, 6, 30))
    # Not overdue: what is left is due 10/7, within the week's window.
    assert one_duty_category([early, extended]) is Category.IN_PROGRESS_ON_TIME
    summary = run([early, extended])
    assert summary.overdue == []
    assert summary.headline.due_overall == 0  # what is left is not due yet

    # Both done, each by its own deadline: on time, though the second finished after the first's.
    extended_done = row(2, duty=1, unit=2, deadline=date(2026, 7, 10), done_on=date(2026, 7, 3))
    assert one_duty_category([early, extended_done]) is Category.DONE_ON_TIME
    # One lead late makes the duty late.
    late = row(2, duty=1, unit=2, deadline=date(2026, 7, 1), done_on=date(2026, 7, 3))
    assert one_duty_category([early, late]) is Category.DONE_LATE


def test_judge_duty_is_the_one_rule() -> None:
    on_time = row(1, duty=1, unit=1, deadline=date(2026, 7, 1), done_on=date(2026, 7, 1))
    late = row(2, duty=1, unit=2, deadline=date(2026, 7, 1), done_on=date(2026, 7, 3))
    soon = row(3, duty=1, unit=3, deadline=date(2026, 7, 8))
    overdue = row(4, duty=1, unit=4, deadline=date(2026, 7, 2))
    ongoing = row(5, duty=1, unit=5, deadline=None)
    support = row(6, duty=1, unit=6, role=SUPPORT, deadline=date(2026, 6, 1))

    def judged(*rows: AssignmentRow) -> tuple[date | None, date | None, Category] | None:
        duty = judge_duty(rows, AS_OF)
        return None if duty is None else (duty.deadline, duty.done_on, duty.category)

    assert judged(on_time) == (date(2026, 7, 1), date(2026, 7, 1), Category.DONE_ON_TIME)
    assert judged(on_time, late, support) == (date(2026, 7, 1), date(2026, 7, 3), Category.DONE_LATE)
    assert judged(on_time, soon) == (date(2026, 7, 8), None, Category.IN_PROGRESS_ON_TIME)
    assert judged(soon, overdue, ongoing) == (date(2026, 7, 2), None, Category.OVERDUE)
    assert judged(on_time, ongoing) == (None, None, Category.ONGOING)
    assert judged(support) == (date(2026, 6, 1), None, Category.OVERDUE)  # no lead: judged over all rows
    assert judged() is None
    assert judged(row(7, duty=1, unit=1, assigned_on=date(2026, 7, 6))) is None  # not assigned yet on as_of
    # The assignment rule: its own deadline, and done after as_of is not done yet.
    assert assignment_category(late, AS_OF) is Category.DONE_LATE
    assert assignment_category(late, date(2026, 7, 2)) is Category.OVERDUE


def test_support_rows_do_not_decide_a_duty_with_a_lead() -> None:
    lead = row(1, duty=1, unit=1, deadline=date(2026, 7, 20))
    support = row(2, duty=1, unit=2, role=SUPPORT, deadline=date(2026, 6, 1))
    assert one_duty_category([lead, support]) is Category.NOT_DUE


def test_a_duty_without_a_lead_is_judged_over_all_its_rows() -> None:
    a = row(1, duty=1, unit=1, role=SUPPORT, done_on=date(2026, 6, 29))
    b = row(2, duty=1, unit=2, role=SUPPORT)
    summary = run([a, b])
    assert summary.headline.overdue == 1
    assert summary.overdue[0].lead_units == ("Sở Nội vụ",)


def test_done_after_as_of_is_not_done_yet() -> None:
    # Today is Wednesday of the week: as_of is today, and a later done day does not count yet.
    wednesday = date(2026, 7, 1)
    summary = run([row(1, duty=1, unit=1, deadline=date(2026, 6, 30), done_on=date(2026, 7, 2))], today=wednesday)
    assert summary.as_of == wednesday
    assert summary.headline.overdue == 1
    assert summary.overdue[0].days_overdue == 1

    # Done after the period's end, looking back from later: not done in that week either.
    later = run([row(1, duty=1, unit=1, deadline=date(2026, 6, 30), done_on=date(2026, 7, 9))], today=date(2026, 7, 20))
    assert later.as_of == WEEK.end
    assert later.headline.overdue == 1


def test_duties_assigned_after_as_of_are_left_out() -> None:
    early = row(1, duty=1, unit=1, deadline=date(2026, 7, 20))
    after = row(2, duty=2, unit=1, deadline=date(2026, 7, 20), assigned_on=date(2026, 7, 8))
    summary = run([early, after])
    assert summary.headline.in_force == 1
    (unit,) = summary.units
    assert unit.assignments == 1


def test_headline_counts_and_windows() -> None:
    rows = [
        row(1, duty=1, unit=1, deadline=date(2026, 6, 20), done_on=date(2026, 6, 19)),  # done on time
        row(2, duty=2, unit=1, deadline=date(2026, 6, 20), done_on=date(2026, 7, 1)),  # done late
        row(3, duty=3, unit=1, deadline=date(2026, 7, 2)),  # overdue, due in the week
        row(4, duty=4, unit=1, deadline=date(2026, 7, 5)),  # the deadline day itself: in time
        row(5, duty=5, unit=1, deadline=date(2026, 7, 12)),  # within 7 days of as_of: in time
        row(6, duty=6, unit=1, deadline=date(2026, 7, 13)),  # beyond the window: not due
        row(7, duty=7, unit=1, deadline=None),  # ongoing
    ]
    assert run(rows).headline == Headline(
        in_force=7,
        due_in_period=2,  # 2/7 and 5/7
        due_overall=4,  # 20/6, 20/6, 2/7, 5/7
        done_on_time=1,
        done_late=1,
        in_progress_on_time=2,
        overdue=1,
        not_due=1,
        ongoing=1,
        completion_rate=2 / 3,
        on_time_rate=0.5,
    )


def test_the_due_window_is_configurable() -> None:
    rows = [row(1, duty=1, unit=1, deadline=date(2026, 7, 8))]
    assert compute(rows, [], [], WEEK, today=TODAY, due_window_days=2).headline.not_due == 1
    assert compute(rows, [], [], WEEK, today=TODAY, due_window_days=3).headline.in_progress_on_time == 1


def test_nothing_at_all() -> None:
    summary = run([])
    assert summary.headline.in_force == 0
    assert summary.headline.completion_rate is None
    assert summary.previous is None
    assert summary.directives == []
    assert summary.units == []
    assert summary.overdue == []
    assert summary.silent_units == []
    assert summary.quotes == []


# --- the previous period -----------------------------------------------------------------------


def test_previous_week_deltas() -> None:
    rows = [
        # Done this week, overdue at the end of the last one (deadline 26/6).
        row(1, duty=1, unit=1, deadline=date(2026, 6, 26), done_on=date(2026, 6, 30)),
        # Done last week, on time.
        row(2, duty=2, unit=1, deadline=date(2026, 6, 26), done_on=date(2026, 6, 25)),
        # Assigned this week: not in force last week.
        row(3, duty=3, unit=2, deadline=date(2026, 7, 20), assigned_on=date(2026, 7, 1)),
    ]
    summary = run(rows)
    assert summary.headline.in_force == 3
    assert (summary.headline.done_on_time, summary.headline.done_late, summary.headline.not_due) == (1, 1, 1)
    assert summary.headline.due_in_period == 0

    previous = summary.previous
    assert previous is not None
    assert previous.in_force == 2
    assert (previous.done_on_time, previous.done_late, previous.overdue) == (1, 0, 1)
    assert previous.due_in_period == 2  # both deadlines fall in 22/6–28/6
    assert previous.completion_rate == 0.5
    assert summary.headline.completion_rate == 1.0


def test_no_previous_when_nothing_was_assigned_before() -> None:
    summary = run([row(1, duty=1, unit=1, assigned_on=WEEK.start)])
    assert summary.previous is None
    assert not summary.nothing_new  # the first summary is news


def test_previous_of_a_month_is_the_calendar_month_before() -> None:
    june = Period(start=date(2026, 6, 1), end=date(2026, 6, 30), label="tháng 6/2026")
    rows = [
        row(1, duty=1, unit=1, deadline=date(2026, 5, 1), assigned_on=date(2026, 4, 1)),
        row(2, duty=2, unit=1, deadline=date(2026, 5, 31), assigned_on=date(2026, 4, 1)),
        row(3, duty=3, unit=1, deadline=date(2026, 4, 30), assigned_on=date(2026, 4, 1)),
    ]
    summary = run(rows, period=june, today=date(2026, 7, 2))
    assert summary.previous is not None
    assert summary.previous.due_in_period == 2  # May, all 31 days of it
    assert summary.previous.due_overall == 3


def test_previous_of_a_quarter_is_the_quarter_before() -> None:
    q1 = Period(start=date(2026, 1, 1), end=date(2026, 3, 31), label="quý 1/2026")
    rows = [
        row(1, duty=1, unit=1, deadline=date(2025, 10, 1), assigned_on=date(2025, 9, 1)),
        row(2, duty=2, unit=1, deadline=date(2025, 9, 30), assigned_on=date(2025, 9, 1)),
    ]
    summary = run(rows, period=q1, today=date(2026, 4, 1))
    assert summary.previous is not None
    assert summary.previous.due_in_period == 1  # 1/10/2025 is in Q4 2025, 30/9 is not


def test_nothing_new() -> None:
    quiet = [
        row(1, duty=1, unit=1, deadline=date(2026, 12, 31)),  # not due either week
        row(2, duty=2, unit=2, deadline=None),  # ongoing
        row(3, duty=3, unit=3, deadline=date(2026, 6, 1), done_on=date(2026, 5, 30)),  # done long ago
    ]
    old_report = report(1, 1, ReportKind.PROGRESS, date(2026, 6, 24))
    summary = run(quiet, [old_report])
    assert summary.previous == summary.headline
    assert summary.reports_in_period == 0
    assert summary.nothing_new

    with_report = run(quiet, [old_report, report(2, 2, ReportKind.NOTE, date(2026, 7, 1))])
    assert with_report.reports_in_period == 1
    assert not with_report.nothing_new

    # A confirmation by the secretary is not a unit report, and changes nothing here.
    confirmed = run(quiet, [report(3, 3, ReportKind.CONFIRMED, date(2026, 7, 1))])
    assert confirmed.nothing_new

    # A duty falling overdue during the week is news even with no report.
    falling = [*quiet, row(4, duty=4, unit=1, deadline=date(2026, 7, 3))]
    assert not run(falling).nothing_new

    # Overdue since last week, still overdue: nothing new, though last week counted its deadline
    # as due in that week and this week does not.
    still = [*quiet, row(4, duty=4, unit=1, deadline=date(2026, 6, 25))]
    summary = run(still)
    assert summary.previous is not None
    assert (summary.previous.due_in_period, summary.headline.due_in_period) == (1, 0)
    assert summary.nothing_new

    # The first period ever has nothing to compare with: the full summary, not "no change".
    assert not run(quiet, today=date(2026, 7, 6), period=Period(date(1, 1, 1), date(2026, 7, 5), "")).nothing_new


# --- directives and overdue list ---------------------------------------------------------------


def test_directive_lines() -> None:
    rows = [
        row(1, duty=1, unit=1, directive=7, done_on=date(2026, 6, 29)),
        row(2, duty=2, unit=1, directive=7),
        row(3, duty=3, unit=1, directive=7, deadline=None),
        row(4, duty=4, unit=2, directive=3, deadline=date(2026, 6, 25), done_on=date(2026, 6, 26)),
        row(5, duty=4, unit=3, directive=3, role=SUPPORT),  # support: not a duty of its own
    ]
    summary = run(rows)
    assert [line.directive_id for line in summary.directives] == [3, 7]
    three, seven = summary.directives
    assert (three.number, three.title, three.duties, three.done, three.overdue) == ("3-CV/TU", "Chỉ thị 3", 1, 1, 0)
    assert three.categories[Category.DONE_LATE] == 1
    assert (seven.duties, seven.done, seven.overdue) == (3, 1, 1)
    assert seven.categories == {
        Category.DONE_ON_TIME: 1,
        Category.DONE_LATE: 0,
        Category.IN_PROGRESS_ON_TIME: 0,
        Category.OVERDUE: 1,
        Category.NOT_DUE: 0,
        Category.ONGOING: 1,
    }


def test_overdue_order() -> None:
    rows = [
        row(1, duty=1, unit=1, directive=1, number="12-CV/TU", label="2.10", deadline=date(2026, 6, 30)),
        row(2, duty=2, unit=1, directive=1, number="12-CV/TU", label="2.9", deadline=date(2026, 6, 30)),
        row(3, duty=3, unit=1, directive=2, number="9-CV/TU", label="5", deadline=date(2026, 6, 30)),
        row(4, duty=4, unit=2, directive=2, number="9-CV/TU", label="1", deadline=date(2026, 6, 20)),
        row(5, duty=5, unit=2, directive=2, number="9-CV/TU", label="6", deadline=date(2026, 7, 4)),
    ]
    summary = run(rows)
    assert [(o.directive_number, o.duty_label, o.days_overdue) for o in summary.overdue] == [
        ("9-CV/TU", "1", 15),
        ("9-CV/TU", "5", 5),
        ("12-CV/TU", "2.9", 5),
        ("12-CV/TU", "2.10", 5),
        ("9-CV/TU", "6", 1),
    ]
    assert summary.overdue[0].duty_text == "Nhiệm vụ 4"


# --- units: ranking, response rate, silence ---------------------------------------------------


def test_unit_ranking() -> None:
    rows = [
        # Sở Tài chính: 1/1 done, on time -> 100 %, 100 %.
        row(1, duty=1, unit=1, done_on=date(2026, 6, 29)),
        # Sở Nội vụ: 1/1 done, late -> 100 %, 0 %.
        row(2, duty=2, unit=2, done_on=date(2026, 7, 1)),
        # Công an tỉnh and Đài Phát thanh: one on time, one overdue -> 50 %, 100 %; tie broken below.
        row(3, duty=3, unit=3, done_on=date(2026, 6, 29)),
        row(4, duty=4, unit=3),
        row(5, duty=5, unit=4, done_on=date(2026, 6, 29)),
        row(6, duty=6, unit=4),
        # Ban Tuyên giáo: nothing measurable -> None, ranked last.
        row(7, duty=7, unit=5, deadline=None),
        # Văn phòng: 0 %.
        row(8, duty=8, unit=6),
    ]
    pings = [ping(4, date(2026, 7, 1))]  # Công an tỉnh reminded, never answered: 0 %
    reports = [report(1, 6, ReportKind.PROGRESS, date(2026, 6, 30))]
    pings.append(ping(6, date(2026, 6, 29)))  # Đài Phát thanh reminded and answered: 100 %
    summary = run(rows, reports, pings)
    assert [line.unit_name for line in summary.units] == [
        "Sở Tài chính",
        "Sở Nội vụ",
        "Đài Phát thanh",  # response 100 %
        "Công an tỉnh",  # response 0 %
        "Văn phòng",
        "Ban Tuyên giáo",
    ]


def test_unit_ranking_ties_go_by_name_with_accents_folded() -> None:
    rows = [
        row(1, duty=1, unit=4, done_on=date(2026, 6, 29)),  # Đài Phát thanh
        row(2, duty=2, unit=3, done_on=date(2026, 6, 29)),  # Công an tỉnh
        row(3, duty=3, unit=2, done_on=date(2026, 6, 29)),  # Sở Nội vụ
    ]
    names = [line.unit_name for line in run(rows).units]
    assert names == ["Công an tỉnh", "Đài Phát thanh", "Sở Nội vụ"]  # 'Đ' sorts with 'D'


def test_response_rate() -> None:
    rows = [row(1, duty=1, unit=1, deadline=date(2026, 7, 20)), row(2, duty=2, unit=1, deadline=date(2026, 7, 20))]
    pings = [
        ping(1, date(2026, 6, 30)),  # answered on 2/7
        ping(1, date(2026, 7, 3)),  # not answered: the only later report is a confirmation
        ping(2, date(2026, 7, 1)),  # answered the same day
        ping(2, date(2026, 6, 28)),  # before the period: not counted
        ping(2, date(2026, 7, 2), PingStatus.FAILED),  # not a reminder that reached anyone
        ping(2, None, PingStatus.PENDING),
        ping(2, date(2026, 7, 2), PingStatus.SKIPPED),
    ]
    reports = [
        report(1, 1, ReportKind.PROGRESS, date(2026, 7, 2)),
        report(2, 1, ReportKind.CONFIRMED, date(2026, 7, 4)),
        report(3, 2, ReportKind.BLOCKED, date(2026, 7, 1), text="Thiếu kinh phí"),
    ]
    (unit,) = run(rows, reports, pings).units
    assert (unit.reminders, unit.answered) == (3, 2)
    assert unit.response_rate == pytest.approx(2 / 3)


def test_a_reply_before_the_ping_or_after_the_period_does_not_answer_it() -> None:
    rows = [row(1, duty=1, unit=1, deadline=date(2026, 7, 20))]
    pings = [ping(1, date(2026, 7, 3))]
    before = run(rows, [report(1, 1, ReportKind.PROGRESS, date(2026, 7, 2))], pings)
    assert (before.units[0].reminders, before.units[0].answered) == (1, 0)
    after = run(rows, [report(1, 1, ReportKind.PROGRESS, date(2026, 7, 6))], pings, today=date(2026, 7, 10))
    assert after.units[0].answered == 0
    assert after.reports_in_period == 0


def test_no_reminders_means_no_response_rate() -> None:
    (unit,) = run([row(1, duty=1, unit=1)]).units
    assert (unit.reminders, unit.answered, unit.response_rate) == (0, 0, None)


def test_failed_pings() -> None:
    rows = [row(1, duty=1, unit=1)]
    pings = [
        ping(1, date(2026, 7, 1), PingStatus.FAILED),
        ping(1, None, PingStatus.FAILED),  # never left: counted
        ping(1, date(2026, 6, 20), PingStatus.FAILED),  # an earlier week
        ping(1, date(2026, 7, 1), PingStatus.SENT),
    ]
    assert run(rows, [], pings).failed_pings == 2


def test_silent_units() -> None:
    rows = [
        row(1, duty=1, unit=1),  # open, reported this week: not silent
        row(2, duty=2, unit=2),  # open, reported only last week: silent
        row(3, duty=3, unit=3, done_on=date(2026, 6, 20)),  # all done: not silent
        row(4, duty=4, unit=4, deadline=None),  # ongoing, no report: silent
        row(5, duty=5, unit=4, deadline=None),  # same unit twice: listed once
        row(6, duty=6, unit=5, assigned_on=date(2026, 7, 8)),  # assigned after as_of: not yet
        row(7, duty=7, unit=6, done_on=date(2026, 6, 29)),  # reported on its done duty...
        row(8, duty=8, unit=6),  # ...which covers its open one too
    ]
    reports = [
        report(1, 1, ReportKind.NOTE, date(2026, 7, 5)),
        report(2, 2, ReportKind.PROGRESS, date(2026, 6, 28)),
        report(3, 2, ReportKind.RETURNED, date(2026, 7, 1)),  # the secretary's, not the unit's
        report(4, 7, ReportKind.DONE, date(2026, 6, 29)),
    ]
    assert run(rows, reports).silent_units == ["Đài Phát thanh", "Sở Nội vụ"]


# --- quotes and report count -------------------------------------------------------------------


def test_quotes() -> None:
    rows = [
        row(1, duty=1, unit=1, number="1046-CV/TU", label="2.1"),
        row(2, duty=2, unit=2, number="1046-CV/TU", label="3"),
    ]
    long_text = "Chưa bố trí được kinh phí " * 20
    reports = [
        report(1, 2, ReportKind.EXTENSION, date(2026, 7, 2), text="Xin gia hạn đến 15/7", requested=date(2026, 7, 15)),
        report(2, 1, ReportKind.BLOCKED, date(2026, 6, 30), text=long_text, hour=9),
        report(3, 1, ReportKind.BLOCKED, date(2026, 6, 30), text="Chờ\nhướng dẫn", hour=2),
        report(4, 1, ReportKind.PROGRESS, date(2026, 7, 1), text="Đang làm"),  # not a quote
        report(5, 1, ReportKind.BLOCKED, date(2026, 6, 27), text="Tuần trước"),  # before the period
        report(6, 1, ReportKind.BLOCKED, date(2026, 7, 6), text="Tuần sau"),  # after it
    ]
    summary = run(rows, reports, today=date(2026, 7, 8))
    assert [(q.unit_name, q.kind, q.received_on) for q in summary.quotes] == [
        ("Sở Tài chính", ReportKind.BLOCKED, date(2026, 6, 30)),
        ("Sở Tài chính", ReportKind.BLOCKED, date(2026, 6, 30)),
        ("Sở Nội vụ", ReportKind.EXTENSION, date(2026, 7, 2)),
    ]
    first, cut, extension = summary.quotes
    assert first.text == "Chờ hướng dẫn"  # one line
    assert (first.directive_number, first.duty_label) == ("1046-CV/TU", "2.1")
    assert len(cut.text) <= 200
    assert cut.text.endswith("…")
    assert long_text.startswith(cut.text[:-1])
    assert extension.requested_deadline == date(2026, 7, 15)
    assert extension.duty_label == "3"
    assert summary.reports_in_period == 4  # the in-period unit reports, quotes included


def test_a_short_quote_is_kept_whole() -> None:
    text = "x" * 200
    rows = [row(1, duty=1, unit=1)]
    summary = run(rows, [report(1, 1, ReportKind.BLOCKED, date(2026, 7, 1), text=text)])
    assert summary.quotes[0].text == text
