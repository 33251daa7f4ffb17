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

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import Final

from bot.domain.classify import DONE, Category, classify, completion_rate, on_time_rate
from bot.domain.enums import AssignmentRole, AssignmentStatus, ExtensionStatus, PingStatus, ReportKind
from bot.domain.ongoing import OngoingItem, OngoingState, figures, ongoing_items
from bot.domain.textnorm import fold


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included
    label: str  # as shown: "tuần 23/11–29/11/2026", "tháng 6/2026", "quý 2/2026"


@dataclass(frozen=True)
class AssignmentRow:
    assignment_id: int
    directive_id: int
    directive_number: str  # the directive's reference (bot/refs.py): its number, or kind, date and title
    directive_title: str
    duty_id: int
    duty_label: str  # "2.1"
    duty_text: str
    unit_id: int
    unit_name: str
    role: AssignmentRole
    status: AssignmentStatus
    deadline: date | None  # in force (after an approved extension); None = thường xuyên
    original_deadline: date | None
    done_on: date | None  # local day it counts as completed; None while not done
    assigned_on: date  # local day the directive was saved
    percent: int | None
    blocked: bool
    extension_status: ExtensionStatus | None
    extension_to: date | None
    last_reported_on: date | None = None  # latest unit report by the period's end (loaded for ongoing duties)


@dataclass(frozen=True, slots=True)
class ReportRow:
    report_id: int
    assignment_id: int
    kind: ReportKind
    text: str
    received_at: datetime  # aware UTC
    received_on: date  # local day
    requested_deadline: date | None
    percent: int | None = None  # the progress a unit gave with the report, if any


@dataclass(frozen=True)
class PingRow:
    """A reminder or notice sent to a unit (for the response rate)."""

    assignment_id: int
    status: PingStatus
    sent_on: date | None  # local day; None when never sent


@dataclass(frozen=True)
class Headline:
    in_force: int  # duties of active directives, not cancelled
    due_in_period: int  # duties whose deadline falls in the period
    due_overall: int  # duties whose deadline is on or before as_of
    done_on_time: int
    done_late: int
    in_progress_on_time: int
    overdue: int
    not_due: int
    ongoing: int
    completion_rate: float | None  # classify.completion_rate over duties
    on_time_rate: float | None


@dataclass(frozen=True)
class OverdueDuty:
    directive_id: int
    directive_number: str
    duty_label: str
    duty_text: str
    deadline: date
    days_overdue: int
    lead_units: tuple[str, ...]  # the leads not done yet


@dataclass(frozen=True)
class DirectiveLine:
    directive_id: int
    number: str
    title: str
    duties: int
    done: int
    overdue: int
    categories: dict[Category, int]


@dataclass(frozen=True)
class UnitLine:
    unit_id: int
    unit_name: str
    assignments: int  # lead and support
    categories: dict[Category, int]  # over this unit's assignments
    completion_rate: float | None
    on_time_rate: float | None
    reminders: int  # pings sent to the unit in the period
    answered: int  # of those, followed by a report on that assignment within the period
    response_rate: float | None  # answered / reminders
    ongoing: dict[OngoingState, int] = field(default_factory=dict)  # its assignments without a deadline
    ongoing_response_rate: float | None = None


@dataclass(frozen=True)
class Quote:
    """A difficulty or an extension request, quoted briefly."""

    directive_number: str
    duty_label: str
    unit_name: str
    kind: ReportKind  # BLOCKED or EXTENSION
    text: str
    received_on: date
    requested_deadline: date | None


@dataclass(frozen=True)
class Summary:
    period: Period
    as_of: date
    headline: Headline
    previous: Headline | None  # the same figures at the end of the previous period, for the change
    directives: list[DirectiveLine]
    units: list[UnitLine]  # ranked: completion rate, then on-time rate, then response rate (None last)
    overdue: list[OverdueDuty]  # most days overdue first
    silent_units: list[str]  # units with open assignments and no report in the period, by name
    quotes: list[Quote] = field(default_factory=list)  # in the period, oldest first
    reports_in_period: int = 0
    failed_pings: int = 0  # reminders that could not be delivered in the period
    due_window_days: int = 7  # the window the categories were computed with (for the workbook)
    ongoing: list[OngoingItem] = field(default_factory=list)  # assignments without a deadline, by state

    @property
    def nothing_new(self) -> bool:
        """No report, no quote, no change in the headline: the post says "no change".

        `due_in_period` is left out of the comparison: it counts the deadlines of each period, so a
        deadline last week would otherwise make this week look eventful with nothing happening.
        """
        if self.reports_in_period or self.quotes or self.previous is None:
            return False
        return replace(self.previous, due_in_period=0) == replace(self.headline, due_in_period=0)


# Reports a unit sends; CONFIRMED and RETURNED are the secretary's decisions on them.
_UNIT_KINDS: Final = frozenset(
    {ReportKind.DONE, ReportKind.PROGRESS, ReportKind.BLOCKED, ReportKind.EXTENSION, ReportKind.NOTE}
)
_QUOTE_KINDS: Final = frozenset({ReportKind.BLOCKED, ReportKind.EXTENSION})
_QUOTE_CHARS: Final = 200
_DAY: Final = timedelta(days=1)
_DIGITS: Final = re.compile(r"(\d+)")


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

    duties = _judge_duties(by_duty, as_of, due_window_days)
    headline = _headline(duties, period.start, period.end, as_of)
    previous = _previous_headline(by_duty, period, today, due_window_days)

    by_id = {row.assignment_id: row for row in assignments}
    latest_reply, reported_units, reports_in_period, quoted = _scan_reports(reports, by_id, period)
    quotes = _quotes(quoted, by_id)

    # Only assignments that existed on as_of are counted, for the units as for the duties.
    live = [row for row in assignments if row.assigned_on <= as_of]
    ongoing = ongoing_items(live, reports, period, as_of)
    units = _with_ongoing(_unit_lines(live, pings, latest_reply, period, as_of, due_window_days), ongoing)
    silent = {row.unit_name for row in live if _done_by(row, as_of) is None and row.unit_id not in reported_units}

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
    unit_kinds, quote_kinds = _UNIT_KINDS, _QUOTE_KINDS
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


@dataclass(frozen=True, slots=True)
class DutyState:
    """One duty as of a day, judged over its leads (over all its rows when it has no lead)."""

    first: AssignmentRow  # directive and duty fields
    deadline: date | None  # the earliest deadline in force among the leads still to finish (or all, when done)
    done_on: date | None  # the latest lead's done day, once every lead is done by as_of
    category: Category
    judged: tuple[AssignmentRow, ...]


def _done_by(row: AssignmentRow, as_of: date) -> date | None:
    """The row's done day if it was done by `as_of`; a later one means "not done yet" then."""
    done_on = row.done_on
    return done_on if done_on is not None and done_on <= as_of else None


def assignment_category(row: AssignmentRow, as_of: date, due_window_days: int = 7) -> Category:
    """One assignment's category on `as_of`, against its own deadline in force."""
    return classify(deadline=row.deadline, done_on=_done_by(row, as_of), today=as_of, due_window_days=due_window_days)


def judge_duty(rows: Sequence[AssignmentRow], as_of: date, due_window_days: int = 7) -> DutyState | None:
    """A duty's deadline, done day and category on `as_of`, from its assignment rows (any order,
    any role); None when none of them was assigned yet on `as_of`.

    Each lead is judged against its own deadline in force (an extension is granted per unit):
    - the duty is done when every lead is done, on the latest lead's day, and late when any lead
      was late;
    - otherwise it takes the most urgent category among the leads still to finish, which is the
      category of their earliest deadline: one lead overdue makes the duty overdue, as QĐ 42/2014
      holds each responsible unit to account, while a lead that finished in time does not.
    A duty without a lead (a data error) is judged over all its rows rather than lost.
    """
    live = [row for row in rows if row.assigned_on <= as_of]
    if not live:
        return None
    judged = [row for row in live if row.role is AssignmentRole.LEAD] or live
    pending: list[date] = []  # deadlines of the leads still to finish
    waiting = False  # a lead still to finish
    late = False
    latest = date.min
    for row in judged:
        done_on = _done_by(row, as_of)
        if done_on is None:
            waiting = True
            if row.deadline is not None:
                pending.append(row.deadline)
        elif not waiting:
            latest = max(latest, done_on)
            late = late or assignment_category(row, as_of, due_window_days) is Category.DONE_LATE
    if waiting:
        deadline = min(pending, default=None)
        category = classify(deadline=deadline, done_on=None, today=as_of, due_window_days=due_window_days)
        return DutyState(live[0], deadline, None, category, tuple(judged))
    deadline = min((row.deadline for row in judged if row.deadline is not None), default=None)
    category = Category.DONE_LATE if late else Category.DONE_ON_TIME
    return DutyState(live[0], deadline, latest, category, tuple(judged))


def _judge_duties(by_duty: dict[int, list[AssignmentRow]], as_of: date, window: int) -> list[DutyState]:
    duties: list[DutyState] = []
    for rows in by_duty.values():
        duty = judge_duty(rows, as_of, window)
        if duty is not None:  # else not assigned yet on as_of
            duties.append(duty)
    return duties


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
    end = period.start - _DAY
    if period.start.day == 1 and period.end < date.max and (period.end + _DAY).day == 1:
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
    duties = _judge_duties(by_duty, as_of, window)
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
    parts = _DIGITS.split(text)
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
                sorted({row.unit_name for row in duty.judged if _done_by(row, as_of) is None}, key=_name_key)
            ),
        )
        for duty, deadline in found
    ]


def _shorten(text: str, limit: int = _QUOTE_CHARS) -> str:
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
