"""The weekly summary's figures, computed from plain rows: pure, no database, no Telegram.

The loader (bot/services/summary.py) turns the database into these rows; the renderers (text,
chart, xlsx) read the `Summary` this module returns. Conventions:

- Everything counts **lead assignments by duty**: a duty is judged by its lead units (a duty is
  done when every lead assignment is done), as QĐ 42/2014 judges the responsible unit. Support
  assignments appear in the per-unit table and the silent-unit list, not in the headline.
- `done_on` on a row is the local day the work counts as completed (confirmed, or reported when
  confirmation is off); a duty's done day is the latest of its leads'. The categories come from
  `classify` on `as_of` (the period's last day, or today if earlier). `judge_duty` and
  `assignment_category` are the one rule for a duty and for an assignment: the workbook uses them
  too, so its sheets and the figures cannot disagree.
- A period is two local dates, both included.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date
from operator import attrgetter

from bot.domain.classify import DONE, Category, completion_rate, on_time_rate
from bot.domain.enums import PingStatus
from bot.domain.judge import (
    DutyState,
    assignment_category,
    done_by,
    judge_duties,
    judge_duty,
)
from bot.domain.ongoing import OngoingItem, figures, ongoing_items
from bot.domain.rows import AssignmentRow, Period, PingRow, ReportRow
from bot.domain.summary_model import (
    DAY,
    DIGITS,
    QUOTE_CHARS,
    QUOTE_KINDS,
    UNIT_KINDS,
    DirectiveLine,
    Headline,
    OverdueDuty,
    Quote,
    Summary,
    UnitLine,
)
from bot.domain.textnorm import fold

# The rows, the model and the duty rule live in their own modules; callers may name them from here.
__all__ = [
    "DAY", "AssignmentRow", "DirectiveLine", "DutyState", "Headline", "OverdueDuty", "Period", "PingRow", "Quote",
    "ReportRow", "Summary", "UnitLine", "assignment_category", "compute", "judge_duty",
]  # fmt: skip


def compute(
    assignments: list[AssignmentRow],
    reports: list[ReportRow],
    pings: list[PingRow],
    period: Period,
    *,
    today: date,
    due_window_days: int = 7,
) -> Summary:
    """The summary of `period` as of min(period.end, today). See the module docstring."""
    as_of = min(period.end, today)
    by_duty: dict[int, list[AssignmentRow]] = defaultdict(list)
    for row in assignments:
        by_duty[row.duty_id].append(row)

    duties = judge_duties(by_duty, as_of, due_window_days)
    headline = _headline(duties, period.start, period.end, as_of)
    previous = _previous_headline(by_duty, period, today, due_window_days)

    by_id = {row.assignment_id: row for row in assignments}
    latest_reply, reported_units, reports_in_period, quoted = _scan_reports(reports, by_id, period)
    quotes = _quotes(quoted, by_id)

    # Only assignments that existed on as_of are counted, for the units as for the duties.
    live = [row for row in assignments if row.assigned_on <= as_of]
    ongoing = ongoing_items(live, reports, period, as_of)
    units = _with_ongoing(_unit_lines(live, pings, latest_reply, period, as_of, due_window_days), ongoing)
    silent = {row.unit_name for row in live if done_by(row, as_of) is None and row.unit_id not in reported_units}

    # A failed ping that never left (sent_on None) is counted whatever the period: no one got it.
    failed_pings = sum(
        1
        for ping in pings
        if ping.status == PingStatus.FAILED and (ping.sent_on is None or period.start <= ping.sent_on <= period.end)
    )

    return Summary(
        period=period,
        as_of=as_of,
        headline=headline,
        previous=previous,
        directives=_directive_lines(duties),
        units=units,
        overdue=_overdue(duties, as_of),
        silent_units=sorted(silent, key=_name_key),
        quotes=quotes,
        reports_in_period=reports_in_period,
        failed_pings=failed_pings,
        due_window_days=due_window_days,
        ongoing=ongoing,
    )


def _with_ongoing(units: list[UnitLine], ongoing: list[OngoingItem]) -> list[UnitLine]:
    by_unit: dict[int, list[OngoingItem]] = defaultdict(list)
    for item in ongoing:
        by_unit[item.unit_id].append(item)
    out: list[UnitLine] = []
    for line in units:
        items = by_unit.get(line.unit_id)
        if items:
            f = figures(items)
            line = replace(line, ongoing=f.counts, ongoing_response_rate=f.response_rate)
        out.append(line)
    return out


def _scan_reports(
    reports: list[ReportRow], by_id: dict[int, AssignmentRow], period: Period
) -> tuple[dict[int, date], set[int], int, list[ReportRow]]:
    """One pass over the reports; only the unit-side ones count (confirm/return are the secretary's).

    Returns each assignment's latest unit report on or before period.end, the units with a unit
    report in the period, how many unit reports came in the period, and the period's difficulties
    and extension requests, oldest first. This loop sees every report of the period (100,000 in the
    bench), hence the local names.
    """
    start, end = period.start, period.end
    unit_kinds, quote_kinds = UNIT_KINDS, QUOTE_KINDS
    unit_of = {aid: row.unit_id for aid, row in by_id.items()}
    latest_reply: dict[int, date] = {}
    latest = latest_reply.get
    unit_get = unit_of.get
    reported_units: set[int] = set()
    reported = reported_units.add
    count = 0
    quoted: list[ReportRow] = []
    for report in reports:
        kind = report.kind
        received = report.received_on
        if received > end or kind not in unit_kinds:
            continue
        aid = report.assignment_id
        last = latest(aid)
        if last is None or received > last:
            latest_reply[aid] = received
        if received < start:
            continue
        count += 1
        unit = unit_get(aid)
        if unit is not None:
            reported(unit)
            if kind in quote_kinds:
                quoted.append(report)
    # The loader sends them in this order already: the sort then only checks it.
    quoted.sort(key=attrgetter("received_at", "report_id"))
    return latest_reply, reported_units, count, quoted


def _headline(duties: list[DutyState], start: date, end: date, as_of: date) -> Headline:
    counts = Counter(duty.category for duty in duties)
    categories = [duty.category for duty in duties]
    return Headline(
        in_force=len(duties),
        due_in_period=sum(1 for d in duties if d.deadline is not None and start <= d.deadline <= end),
        due_overall=sum(1 for d in duties if d.deadline is not None and d.deadline <= as_of),
        done_on_time=counts[Category.DONE_ON_TIME],
        done_late=counts[Category.DONE_LATE],
        in_progress_on_time=counts[Category.IN_PROGRESS_ON_TIME],
        overdue=counts[Category.OVERDUE],
        not_due=counts[Category.NOT_DUE],
        ongoing=counts[Category.ONGOING],
        completion_rate=completion_rate(categories),
        on_time_rate=on_time_rate(categories),
    )


def _previous_span(period: Period) -> tuple[date, date] | None:
    """The period before: the same number of calendar months when `period` is whole months
    (a month, a quarter), else the same number of days."""
    if period.start == date.min:
        return None
    end = period.start - DAY
    if period.start.day == 1 and period.end < date.max and (period.end + DAY).day == 1:
        months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
        first = period.start.year * 12 + period.start.month - 1 - months
        if first < 12:  # before year 1
            return None
        return date(first // 12, first % 12 + 1, 1), end
    length = period.end - period.start
    if end - date.min < length:
        return None
    return end - length, end


def _previous_headline(
    by_duty: dict[int, list[AssignmentRow]], period: Period, today: date, window: int
) -> Headline | None:
    """The headline on the previous period's last day; `due_in_period` is against that period.

    The rows only know today's deadline in force, so an extension approved since then also moves
    last period's figures; `done_on` after that day counts as not done yet.
    """
    span = _previous_span(period)
    if span is None:
        return None
    start, end = span
    as_of = min(end, today)
    duties = judge_duties(by_duty, as_of, window)
    if not duties:
        return None
    return _headline(duties, start, end, as_of)


def _empty_categories() -> dict[Category, int]:
    """Every category, in display order, so renderers need no .get()."""
    return dict.fromkeys(Category, 0)


def _directive_lines(duties: list[DutyState]) -> list[DirectiveLine]:
    grouped: dict[int, list[DutyState]] = defaultdict(list)
    for duty in duties:
        grouped[duty.first.directive_id].append(duty)
    lines: list[DirectiveLine] = []
    for directive_id in sorted(grouped):
        members = grouped[directive_id]
        categories = _empty_categories()
        for duty in members:
            categories[duty.category] += 1
        first = members[0].first
        lines.append(
            DirectiveLine(
                directive_id=directive_id,
                number=first.directive_number,
                title=first.directive_title,
                duties=len(members),
                done=sum(categories[c] for c in DONE),
                overdue=categories[Category.OVERDUE],
                categories=categories,
            )
        )
    return lines


def _unit_lines(
    live: list[AssignmentRow],
    pings: list[PingRow],
    latest_reply: dict[int, date],
    period: Period,
    as_of: date,
    window: int,
) -> list[UnitLine]:
    names: dict[int, str] = {}
    categories: dict[int, dict[Category, int]] = {}
    counts: Counter[int] = Counter()
    unit_of: dict[int, int] = {}
    for row in live:
        unit = row.unit_id
        if unit not in names:
            names[unit] = row.unit_name
            categories[unit] = _empty_categories()
        categories[unit][assignment_category(row, as_of, window)] += 1
        counts[unit] += 1
        unit_of[row.assignment_id] = unit

    reminders: Counter[int] = Counter()
    answered: Counter[int] = Counter()
    for ping in pings:
        sent_on = ping.sent_on
        if ping.status != PingStatus.SENT or sent_on is None or not period.start <= sent_on <= period.end:
            continue
        unit_id = unit_of.get(ping.assignment_id)
        if unit_id is None:
            continue
        reminders[unit_id] += 1
        # Answered: a unit report on that assignment on or after the day it was sent, by period.end.
        replied = latest_reply.get(ping.assignment_id)
        if replied is not None and replied >= sent_on:
            answered[unit_id] += 1

    lines: list[UnitLine] = []
    for unit_id, name in names.items():
        cats = categories[unit_id]
        expanded = [c for c, n in cats.items() for _ in range(n)]
        sent = reminders[unit_id]
        lines.append(
            UnitLine(
                unit_id=unit_id,
                unit_name=name,
                assignments=counts[unit_id],
                categories=cats,
                completion_rate=completion_rate(expanded),
                on_time_rate=on_time_rate(expanded),
                reminders=sent,
                answered=answered[unit_id],
                response_rate=answered[unit_id] / sent if sent else None,
            )
        )
    lines.sort(key=_rank_key)
    return lines


def _desc(value: float | None) -> tuple[bool, float]:
    """A sort key part: higher first, None after every number."""
    return (value is None, -(value or 0.0))


def _rank_key(line: UnitLine) -> tuple[tuple[bool, float], tuple[bool, float], tuple[bool, float], str, str, int]:
    return (
        _desc(line.completion_rate),
        _desc(line.on_time_rate),
        _desc(line.response_rate),
        *_name_key(line.unit_name),
        line.unit_id,
    )


def _name_key(name: str) -> tuple[str, str]:
    """Names in Vietnamese order, roughly: accents and case folded first ('Đ' with 'D')."""
    return (fold(name), name)


def _natural_key(text: str) -> tuple[tuple[int, str], ...]:
    """'2.10' after '2.9', '#12' after '#3'."""
    parts = DIGITS.split(text)
    return tuple((int(part), part) if i % 2 else (0, part.casefold()) for i, part in enumerate(parts))


def _overdue(duties: list[DutyState], as_of: date) -> list[OverdueDuty]:
    found: list[tuple[DutyState, date]] = [
        (duty, duty.deadline) for duty in duties if duty.category is Category.OVERDUE and duty.deadline is not None
    ]
    found.sort(
        key=lambda item: (
            item[1],  # earliest deadline = most days overdue
            _natural_key(item[0].first.directive_number),
            _natural_key(item[0].first.duty_label),
            item[0].first.duty_id,
        )
    )
    return [
        OverdueDuty(
            directive_id=duty.first.directive_id,
            directive_number=duty.first.directive_number,
            duty_label=duty.first.duty_label,
            duty_text=duty.first.duty_text,
            deadline=deadline,
            days_overdue=(as_of - deadline).days,
            lead_units=tuple(
                sorted({row.unit_name for row in duty.judged if done_by(row, as_of) is None}, key=_name_key)
            ),
        )
        for duty, deadline in found
    ]


def _shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """One line, at most `limit` characters, an ellipsis when cut."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rstrip() + "…"


def _quotes(reports: list[ReportRow], by_id: dict[int, AssignmentRow]) -> list[Quote]:
    # Positional and inline: a week can bring tens of thousands of them (the bench has 40,000).
    return [
        Quote(
            row.directive_number,
            row.duty_label,
            row.unit_name,
            report.kind,
            _shorten(report.text),
            report.received_on,
            report.requested_deadline,
        )
        for report in reports
        for row in (by_id[report.assignment_id],)
    ]
