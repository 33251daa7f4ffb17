"""The weekly summary's figures, computed from plain rows: pure, no database, no Telegram.

The loader (bot/services/summary.py) turns the database into these rows; the renderers (text,
chart, xlsx) read the `Summary` this module returns. Conventions:

- Everything counts **lead assignments by duty**: a duty is judged by its lead units (a duty is
  done when every lead assignment is done), as QĐ 42/2014 judges the responsible unit. Support
  assignments appear in the per-unit table and the silent-unit list, not in the headline.
- `done_on` on a row is the local day the work counts as completed (confirmed, or reported when
  confirmation is off); a duty's done day is the latest of its leads'. The categories come from
  `classify` on `as_of` (the period's last day, or today if earlier).
- A period is two local dates, both included.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final

from bot.domain.classify import DONE, Category, classify, completion_rate, on_time_rate
from bot.domain.enums import AssignmentRole, AssignmentStatus, ExtensionStatus, PingStatus, ReportKind
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
    directive_number: str  # "1046-CV/TU", or "#id" when the directive has no number
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


@dataclass(frozen=True)
class ReportRow:
    report_id: int
    assignment_id: int
    kind: ReportKind
    text: str
    received_at: datetime  # aware UTC
    received_on: date  # local day
    requested_deadline: date | None


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

    @property
    def nothing_new(self) -> bool:
        """No report, no quote, no change in the headline: the post says "no change"."""
        return self.reports_in_period == 0 and not self.quotes and self.previous == self.headline


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

    # One pass over the reports: the unit-side ones count (confirm/return are the secretary's).
    by_id = {row.assignment_id: row for row in assignments}
    latest_reply: dict[int, date] = {}  # assignment -> latest unit report on or before period.end
    reported_units: set[int] = set()  # units with a unit report received in the period
    reports_in_period = 0
    quoted: list[ReportRow] = []
    for report in reports:
        if report.kind not in _UNIT_KINDS:
            continue
        received = report.received_on
        if received > period.end:
            continue
        aid = report.assignment_id
        last = latest_reply.get(aid)
        if last is None or received > last:
            latest_reply[aid] = received
        if received < period.start:
            continue
        reports_in_period += 1
        owner = by_id.get(aid)
        if owner is not None:
            reported_units.add(owner.unit_id)
            if report.kind in _QUOTE_KINDS:
                quoted.append(report)
    quoted.sort(key=lambda r: (r.received_at, r.report_id))
    quotes = [_quote(by_id[r.assignment_id], r) for r in quoted]

    # Only assignments that existed on as_of are counted, for the units as for the duties.
    live = [row for row in assignments if row.assigned_on <= as_of]
    units = _unit_lines(live, pings, latest_reply, period, as_of, due_window_days)
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
    )


@dataclass(frozen=True, slots=True)
class _Duty:
    """One duty as of a day: judged over its leads (over all its rows when it has no lead)."""

    first: AssignmentRow  # directive and duty fields
    deadline: date | None  # the earliest deadline in force among the judged rows
    category: Category
    judged: tuple[AssignmentRow, ...]


def _done_by(row: AssignmentRow, as_of: date) -> date | None:
    """The row's done day if it was done by `as_of`; a later one means "not done yet" then."""
    done_on = row.done_on
    return done_on if done_on is not None and done_on <= as_of else None


def _judge_duties(by_duty: dict[int, list[AssignmentRow]], as_of: date, window: int) -> list[_Duty]:
    duties: list[_Duty] = []
    for rows in by_duty.values():
        live = [row for row in rows if row.assigned_on <= as_of]
        if not live:
            continue  # not assigned yet on as_of
        judged = [row for row in live if row.role == AssignmentRole.LEAD] or live
        deadline = min((row.deadline for row in judged if row.deadline is not None), default=None)
        done = True
        latest = date.min
        for row in judged:
            done_on = _done_by(row, as_of)
            if done_on is None:
                done = False
                break
            latest = max(latest, done_on)
        category = classify(deadline=deadline, done_on=latest if done else None, today=as_of, due_window_days=window)
        duties.append(_Duty(first=live[0], deadline=deadline, category=category, judged=tuple(judged)))
    return duties


def _headline(duties: list[_Duty], start: date, end: date, as_of: date) -> Headline:
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


def _directive_lines(duties: list[_Duty]) -> list[DirectiveLine]:
    grouped: dict[int, list[_Duty]] = defaultdict(list)
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
        category = classify(deadline=row.deadline, done_on=_done_by(row, as_of), today=as_of, due_window_days=window)
        categories[unit][category] += 1
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


def _overdue(duties: list[_Duty], as_of: date) -> list[OverdueDuty]:
    found: list[tuple[_Duty, date]] = [
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


def _quote(row: AssignmentRow, report: ReportRow) -> Quote:
    return Quote(
        directive_number=row.directive_number,
        duty_label=row.duty_label,
        unit_name=row.unit_name,
        kind=report.kind,
        text=_shorten(report.text),
        received_on=report.received_on,
        requested_deadline=report.requested_deadline,
    )
