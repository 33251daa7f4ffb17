"""What the weekly summary computes: the headline, the directive and unit lines, the overdue list and quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Final

from bot.domain.classify import Category
from bot.domain.enums import ReportKind
from bot.domain.ongoing import OngoingItem, OngoingState
from bot.domain.rows import Period


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
    files_in_period: int = 0  # units' files (signed reports, photos) received in the period

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
UNIT_KINDS: Final = frozenset(
    {ReportKind.DONE, ReportKind.PROGRESS, ReportKind.BLOCKED, ReportKind.EXTENSION, ReportKind.NOTE}
)
QUOTE_KINDS: Final = frozenset({ReportKind.BLOCKED, ReportKind.EXTENSION})
QUOTE_CHARS: Final = 200
DAY: Final = timedelta(days=1)
DIGITS: Final = re.compile(r"(\d+)")
