"""The one rule that judges a duty by its lead assignments (QĐ 42/2014), used by the summary and the workbook."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.domain.classify import Category, classify
from bot.domain.enums import AssignmentRole
from bot.domain.rows import AssignmentRow


@dataclass(frozen=True, slots=True)
class DutyState:
    """One duty as of a day, judged over its leads (over all its rows when it has no lead)."""

    first: AssignmentRow  # directive and duty fields
    deadline: date | None  # the earliest deadline in force among the leads still to finish (or all, when done)
    done_on: date | None  # the latest lead's done day, once every lead is done by as_of
    category: Category
    judged: tuple[AssignmentRow, ...]


def done_by(row: AssignmentRow, as_of: date) -> date | None:
    """The row's done day if it was done by `as_of`; a later one means "not done yet" then."""
    done_on = row.done_on
    return done_on if done_on is not None and done_on <= as_of else None


def assignment_category(row: AssignmentRow, as_of: date, due_window_days: int = 7) -> Category:
    """One assignment's category on `as_of`, against its own deadline in force."""
    return classify(deadline=row.deadline, done_on=done_by(row, as_of), today=as_of, due_window_days=due_window_days)


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
        done_on = done_by(row, as_of)
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


def judge_duties(by_duty: dict[int, list[AssignmentRow]], as_of: date, window: int) -> list[DutyState]:
    duties: list[DutyState] = []
    for rows in by_duty.values():
        duty = judge_duty(rows, as_of, window)
        if duty is not None:  # else not assigned yet on as_of
            duties.append(duty)
    return duties
