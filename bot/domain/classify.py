"""Where a duty stands, in the categories of Vietnamese practice (Quyết định 42/2014/QĐ-TTg).

Pure and computed from dates only, never typed in by anyone: a category that is stored goes
stale the day a deadline passes. Conventions:

- `done_on` is the local calendar day the work counts as completed. The caller decides which
  moment that is (the secretary's confirmation, or the "done" report when confirmation is off)
  and converts it to the local date.
- `deadline` is the deadline in force, i.e. after an approved extension. `classify_original`
  judges the same work against the deadline first set, which is kept for statistics.
- Done on or before the deadline -> "Hoàn thành đúng hạn"; after it -> "Hoàn thành quá hạn".
  A done duty with no deadline ("thường xuyên") cannot be late, so it is done on time.
- Not done, no deadline -> "Thường xuyên".
- Not done, deadline before today -> "Quá hạn chưa hoàn thành"; the deadline day itself is
  still in time.
- Not done, today <= deadline <= today + `due_window_days` -> "Đang thực hiện trong hạn": the
  duty is due soon, within the reporting window, so it is the work to report on now.
- Not done, deadline further out -> "Chưa đến hạn".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import Final


class Category(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    IN_PROGRESS_ON_TIME = "in_progress"
    OVERDUE = "overdue"
    NOT_DUE = "not_due"
    ONGOING = "ongoing"


DONE: Final = frozenset({Category.DONE_ON_TIME, Category.DONE_LATE})


def classify(*, deadline: date | None, done_on: date | None, today: date, due_window_days: int = 7) -> Category:
    """The category of one duty (or assignment) on `today`; see the module docstring."""
    if due_window_days < 0:
        raise ValueError("due_window_days must not be negative")
    if done_on is not None:
        if deadline is None or done_on <= deadline:
            return Category.DONE_ON_TIME
        return Category.DONE_LATE
    if deadline is None:
        return Category.ONGOING
    if deadline < today:
        return Category.OVERDUE
    # Compare by day count, not today + timedelta: that would overflow near date.max.
    if (deadline - today) <= timedelta(days=due_window_days):
        return Category.IN_PROGRESS_ON_TIME
    return Category.NOT_DUE


def classify_original(
    *,
    deadline: date | None,
    original_deadline: date | None,
    done_on: date | None,
    today: date,
    due_window_days: int = 7,
) -> Category:
    """The category against the deadline first set, ignoring any approved extension.

    Statistics use it to count work that is on time only thanks to an extension.
    `original_deadline` is None when the deadline was never extended; the one in force is then
    also the original.
    """
    first = original_deadline if original_deadline is not None else deadline
    return classify(deadline=first, done_on=done_on, today=today, due_window_days=due_window_days)


def is_due(deadline: date | None, today: date) -> bool:
    """Whether the deadline has come: it is today or past. A duty without one never comes due."""
    return deadline is not None and deadline <= today


def completion_rate(categories: Iterable[Category]) -> float | None:
    """Done / (done + overdue): of the work that has come due or is done, the share done.

    None when there is nothing to measure, so a report shows "-" rather than a fake 0 % or 100 %.
    """
    done = overdue = 0
    for category in categories:
        if category in DONE:
            done += 1
        elif category is Category.OVERDUE:
            overdue += 1
    total = done + overdue
    return done / total if total else None


def on_time_rate(categories: Iterable[Category]) -> float | None:
    """Done on time / all done; None when nothing is done yet."""
    on_time = done = 0
    for category in categories:
        if category in DONE:
            done += 1
            if category is Category.DONE_ON_TIME:
                on_time += 1
    return on_time / done if done else None
