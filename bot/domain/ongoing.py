"""Where an ongoing assignment stands: a duty with no deadline ("thường xuyên") never comes due, so
the categories of QĐ 42/2014 say nothing about it but "ongoing". A leader needs what the unit did
in the period instead: reported (with its latest percent), reported done and awaiting the office's
confirmation, done (confirmed), or silent, and for how long.

Pure: computed from the same rows as the summary, on `as_of`. Duties with a deadline keep their
classification (bot/domain/classify.py); this module looks only at assignments without one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from bot.domain.enums import AssignmentStatus, ReportKind
from bot.domain.rows import AssignmentRow, Period, ReportRow


class OngoingState(StrEnum):
    """In display order: the most advanced first."""

    CONFIRMED = "confirmed"  # done: confirmed by the office (or reported, when confirmation is off)
    AWAITING = "awaiting"  # reported done, the office has not confirmed yet
    REPORTED = "reported"  # a report in the period: progress, difficulty or a note
    SILENT = "silent"  # no report in the period


# Reports a unit sends; CONFIRMED and RETURNED are the office's decisions on them.
UNIT_KINDS: Final = frozenset(
    {ReportKind.DONE, ReportKind.PROGRESS, ReportKind.BLOCKED, ReportKind.EXTENSION, ReportKind.NOTE}
)


@dataclass(frozen=True)
class OngoingItem:
    assignment_id: int
    directive_id: int
    directive_number: str
    duty_label: str
    unit_id: int
    unit_name: str
    state: OngoingState
    percent: int | None  # the latest percent the unit gave (in the period, else the one on record)
    last_report_on: date | None  # the unit's latest report on or before as_of
    silent_days: int | None  # SILENT only: days since the latest report, or since it was assigned
    ever_reported: bool


@dataclass(frozen=True)
class OngoingFigures:
    assignments: int
    counts: dict[OngoingState, int]
    response_rate: float | None  # share of the assignments with a unit report in the period


def ongoing_items(
    rows: Iterable[AssignmentRow], reports: Iterable[ReportRow], period: Period, as_of: date
) -> list[OngoingItem]:
    """Every assignment without a deadline that existed on `as_of`, judged on that day."""
    live = {row.assignment_id: row for row in rows if row.deadline is None and row.assigned_on <= as_of}
    if not live:
        return []
    # The latest unit report of each in the period: (day, report id, percent).
    latest: dict[int, tuple[date, int, int | None]] = {}
    percent_in_period: dict[int, int] = {}
    for report in reports:
        aid = report.assignment_id
        if aid not in live or report.kind not in UNIT_KINDS:
            continue
        on = report.received_on
        if on < period.start or on > as_of:
            continue
        key = (on, report.report_id, report.percent)
        if aid not in latest or key[:2] > latest[aid][:2]:
            latest[aid] = key
        if report.percent is not None:
            percent_in_period[aid] = report.percent  # reports come oldest first
    items = [_item(row, latest.get(aid), percent_in_period.get(aid), as_of) for aid, row in live.items()]
    items.sort(key=lambda i: (list(OngoingState).index(i.state), -(i.silent_days or 0), i.directive_id,
                              i.duty_label, i.unit_name))  # fmt: skip
    return items


def _item(
    row: AssignmentRow, latest: tuple[date, int, int | None] | None, percent: int | None, as_of: date
) -> OngoingItem:
    last = row.last_reported_on if row.last_reported_on is not None and row.last_reported_on <= as_of else None
    if latest is not None and (last is None or latest[0] > last):
        last = latest[0]
    if row.done_on is not None and row.done_on <= as_of:
        state = OngoingState.CONFIRMED
    elif row.status is AssignmentStatus.REPORTED_DONE:
        state = OngoingState.AWAITING
    elif latest is not None:
        state = OngoingState.REPORTED
    else:
        state = OngoingState.SILENT
    silent_days = (as_of - (last or row.assigned_on)).days if state is OngoingState.SILENT else None
    return OngoingItem(
        assignment_id=row.assignment_id, directive_id=row.directive_id, directive_number=row.directive_number,
        duty_label=row.duty_label, unit_id=row.unit_id, unit_name=row.unit_name, state=state,
        percent=percent if percent is not None else row.percent, last_report_on=last,
        silent_days=silent_days, ever_reported=last is not None,
    )  # fmt: skip


def figures(items: Iterable[OngoingItem]) -> OngoingFigures:
    """Counts by state and the response rate, over `items` (e.g. one unit's). A unit that reported
    done (confirmed or not) owes no report, so only the silent ones count as not responding."""
    items = list(items)
    counts: Counter[OngoingState] = Counter(item.state for item in items)
    responded = sum(1 for item in items if item.state is not OngoingState.SILENT)
    return OngoingFigures(
        assignments=len(items),
        counts={state: counts[state] for state in OngoingState},
        response_rate=responded / len(items) if items else None,
    )
