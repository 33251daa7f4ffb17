"""The assignment state machine: what a unit's report or a secretary's decision does to it.

Pure: works on `AssignmentState`, a frozen copy of the Assignment columns, and returns a new
one; the caller writes it back. Every moment is passed in as an aware datetime (stored in UTC);
a naive one raises ValueError. A move the state does not allow raises `TransitionError` with a
machine-readable `code` the bot turns into a message. Rules:

- A CONFIRMED assignment is closed: any report or decision on it raises "closed" (or
  "already_confirmed" for a second confirmation).
- Every unit report sets `last_report_at`; secretary decisions do not, since that column
  tracks when the unit last spoke (the reminder schedule keys on it).
- DONE: with confirmation required -> REPORTED_DONE (reported_done_at = at); otherwise
  CONFIRMED at once (completed_at = at). Either way percent = 100 and blocked is cleared.
  DONE on REPORTED_DONE is idempotent; if confirmation has since been switched off, it closes
  the assignment at the moment first reported, when the unit actually finished.
- PROGRESS -> IN_PROGRESS, percent set when given, and blocked cleared: a progress report
  that names no difficulty says the work moves again.
- BLOCKED -> blocked = True, percent set when given; ASSIGNED/RETURNED become IN_PROGRESS
  (a unit that hit a difficulty has started). Not a dead end: any later report moves on.
- PROGRESS or BLOCKED on REPORTED_DONE withdraw the done report (a mistaken tap is common on a
  phone): back to IN_PROGRESS, reported_done_at cleared. EXTENSION there raises
  "awaiting_confirmation": asking for time on finished work waits for the secretary. NOTE is allowed.
- EXTENSION -> extension_status = REQUESTED, extension_to = the date asked (None: the
  secretary picks it). It needs a deadline ("no_deadline") and a date after it ("not_later").
  A new request replaces an earlier one. Status is unchanged: asking for time is not progress.
- NOTE -> only last_report_at changes.
- RETURNED -> any report moves on as from IN_PROGRESS/ASSIGNED.
- confirm: REPORTED_DONE -> CONFIRMED, completed_at = reported_done_at (when the unit
  finished, not when the secretary clicked).
- return_result: REPORTED_DONE -> RETURNED, reported_done_at cleared, percent kept.
- decide_extension: needs a REQUESTED extension ("no_extension"). Approve -> deadline = the
  date (`new_deadline` overrides the one asked; neither -> "no_date"); original_deadline keeps
  the first deadline and never changes once set. Reject -> REJECTED, deadline unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.domain.enums import AssignmentStatus, ExtensionStatus, ReportKind
from bot.domain.errors import Refusal


@dataclass(frozen=True)
class AssignmentState:
    status: AssignmentStatus
    blocked: bool
    percent: int | None
    deadline: date | None
    original_deadline: date | None
    extension_to: date | None
    extension_status: ExtensionStatus | None
    reported_done_at: datetime | None
    completed_at: datetime | None
    last_report_at: datetime | None

    @classmethod
    def new(cls, deadline: date | None) -> AssignmentState:
        """A fresh assignment; the first deadline is recorded as the original at once."""
        return cls(
            status=AssignmentStatus.ASSIGNED,
            blocked=False,
            percent=None,
            deadline=deadline,
            original_deadline=deadline,
            extension_to=None,
            extension_status=None,
            reported_done_at=None,
            completed_at=None,
            last_report_at=None,
        )


class TransitionError(Refusal):
    """A move the current state does not allow; `code` is stable for the bot's messages."""

    def __init__(self, code: str, message: str | None = None) -> None:
        super().__init__(code)
        self.message = message or code  # for logs; people read texts[code]

    @property
    def code(self) -> str:  # the lifecycle's callers name it so
        return self.key


def _utc(at: datetime) -> datetime:
    # Naive datetimes are ambiguous across the server's and the province's zones: refuse them.
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")
    return at.astimezone(UTC)


def _check_percent(percent: int | None) -> None:
    if percent is not None and not 0 <= percent <= 100:
        raise ValueError("percent must be within 0..100")


def _open(state: AssignmentState) -> None:
    if state.status is AssignmentStatus.CONFIRMED:
        raise TransitionError("closed", "assignment is already confirmed")


def apply_report(
    state: AssignmentState,
    kind: ReportKind,
    *,
    at: datetime,
    percent: int | None = None,
    requested_deadline: date | None = None,
    require_confirmation: bool,
) -> AssignmentState:
    """A unit's report. CONFIRMED/RETURNED are secretary decisions: use confirm/return_result.

    `percent` is used by PROGRESS and BLOCKED only; `requested_deadline` by EXTENSION only.
    """
    at = _utc(at)
    _check_percent(percent)
    if kind in (ReportKind.CONFIRMED, ReportKind.RETURNED):
        raise ValueError(f"{kind} is not a unit report; use confirm() or return_result()")
    _open(state)
    waiting = state.status is AssignmentStatus.REPORTED_DONE
    state = dataclasses.replace(state, last_report_at=at)

    if kind is ReportKind.NOTE:
        return state

    if kind is ReportKind.DONE:
        if waiting:
            if require_confirmation:
                return state
            # Confirmation was switched off after the report: close at the reported moment.
            return dataclasses.replace(state, status=AssignmentStatus.CONFIRMED, completed_at=state.reported_done_at)
        if require_confirmation:
            return dataclasses.replace(
                state, status=AssignmentStatus.REPORTED_DONE, reported_done_at=at, percent=100, blocked=False
            )
        return dataclasses.replace(
            state,
            status=AssignmentStatus.CONFIRMED,
            reported_done_at=at,
            completed_at=at,
            percent=100,
            blocked=False,
        )

    if waiting:
        if kind is ReportKind.EXTENSION:
            raise TransitionError("awaiting_confirmation", "the done report awaits the secretary's decision")
        state = dataclasses.replace(state, reported_done_at=None)

    if kind is ReportKind.PROGRESS:
        return dataclasses.replace(
            state,
            status=AssignmentStatus.IN_PROGRESS,
            blocked=False,
            percent=percent if percent is not None else state.percent,
        )

    if kind is ReportKind.BLOCKED:
        # A unit that hit a difficulty has started: ASSIGNED/RETURNED move into progress.
        return dataclasses.replace(
            state,
            status=AssignmentStatus.IN_PROGRESS,
            blocked=True,
            percent=percent if percent is not None else state.percent,
        )

    if kind is ReportKind.EXTENSION:
        if state.deadline is None:
            raise TransitionError("no_deadline", "an ongoing duty has no deadline to extend")
        if requested_deadline is not None and requested_deadline <= state.deadline:
            raise TransitionError("not_later", "the date asked is not after the deadline")
        return dataclasses.replace(state, extension_status=ExtensionStatus.REQUESTED, extension_to=requested_deadline)

    raise ValueError(f"unknown report kind {kind!r}")  # pragma: no cover - enum is closed


def confirm(state: AssignmentState, *, at: datetime) -> AssignmentState:
    """The secretary accepts a done report; completion is dated when the unit finished."""
    _utc(at)
    if state.status is AssignmentStatus.CONFIRMED:
        raise TransitionError("already_confirmed", "assignment is already confirmed")
    if state.status is not AssignmentStatus.REPORTED_DONE:
        raise TransitionError("not_reported", "nothing reported done to confirm")
    return dataclasses.replace(state, status=AssignmentStatus.CONFIRMED, completed_at=state.reported_done_at)


def return_result(state: AssignmentState, *, at: datetime) -> AssignmentState:
    """The secretary sends a done report back: the unit must redo the work."""
    _utc(at)
    _open(state)
    if state.status is not AssignmentStatus.REPORTED_DONE:
        raise TransitionError("not_reported", "nothing reported done to return")
    return dataclasses.replace(state, status=AssignmentStatus.RETURNED, reported_done_at=None)


def decide_extension(
    state: AssignmentState, *, approve: bool, at: datetime, new_deadline: date | None = None
) -> AssignmentState:
    """The secretary approves (optionally with another date) or rejects a requested extension."""
    _utc(at)
    _open(state)
    if state.extension_status is not ExtensionStatus.REQUESTED:
        raise TransitionError("no_extension", "no extension request is pending")
    if not approve:
        return dataclasses.replace(state, extension_status=ExtensionStatus.REJECTED)
    to = new_deadline if new_deadline is not None else state.extension_to
    if to is None:
        raise TransitionError("no_date", "approving needs a new deadline")
    # Keep the first deadline for statistics; only fill it when it was never recorded.
    original = state.original_deadline if state.original_deadline is not None else state.deadline
    return dataclasses.replace(
        state,
        deadline=to,
        original_deadline=original,
        extension_to=to,
        extension_status=ExtensionStatus.APPROVED,
    )


def duty_done(lead_states: Sequence[AssignmentState]) -> bool:
    """A duty is done when every lead unit's assignment is confirmed (and there is at least one)."""
    return bool(lead_states) and all(s.status is AssignmentStatus.CONFIRMED for s in lead_states)


def finished_at(state: AssignmentState, *, require_confirmation: bool) -> datetime | None:
    """The moment the work counts as completed, for `classify`'s done_on (after local-date conversion).

    Confirmed -> completed_at. Reported done counts too when confirmation is off.
    """
    if state.status is AssignmentStatus.CONFIRMED:
        return state.completed_at
    if state.status is AssignmentStatus.REPORTED_DONE and not require_confirmation:
        return state.reported_done_at
    return None
