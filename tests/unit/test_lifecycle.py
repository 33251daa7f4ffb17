"""The assignment state machine: table of transitions, and random sequences keep invariants."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.enums import AssignmentStatus as S
from bot.domain.enums import ExtensionStatus as E
from bot.domain.enums import ReportKind as K
from bot.domain.lifecycle import (
    AssignmentState,
    TransitionError,
    apply_report,
    confirm,
    decide_extension,
    duty_done,
    finished_at,
    return_result,
)

DEADLINE = date(2026, 6, 30)
T0 = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)
AT = datetime(2026, 6, 12, 3, 30, tzinfo=UTC)

Op = Callable[[AssignmentState], AssignmentState]


def state(**changes: Any) -> AssignmentState:
    return dataclasses.replace(AssignmentState.new(DEADLINE), **changes)


def report(kind: K, *, confirm_needed: bool = True, **kw: Any) -> Op:
    return lambda s: apply_report(s, kind, at=AT, require_confirmation=confirm_needed, **kw)


NEW = state()
STARTED = state(status=S.IN_PROGRESS, percent=40, last_report_at=T0)
BLOCKED = state(status=S.IN_PROGRESS, blocked=True, percent=40, last_report_at=T0)
WAITING = state(status=S.REPORTED_DONE, percent=100, reported_done_at=T0, last_report_at=T0)
RETURNED = state(status=S.RETURNED, percent=100, last_report_at=T0)
CLOSED = state(status=S.CONFIRMED, percent=100, reported_done_at=T0, completed_at=T0, last_report_at=T0)
ASKED = state(status=S.IN_PROGRESS, extension_status=E.REQUESTED, extension_to=date(2026, 7, 15))
ASKED_NO_DATE = state(status=S.IN_PROGRESS, extension_status=E.REQUESTED)
ONGOING = AssignmentState.new(None)

TRANSITIONS: list[tuple[str, AssignmentState, Op, dict[str, Any] | str]] = [
    # DONE
    ("done needs confirmation", NEW, report(K.DONE),
     {"status": S.REPORTED_DONE, "reported_done_at": AT, "percent": 100, "last_report_at": AT}),
    ("done without confirmation closes", STARTED, report(K.DONE, confirm_needed=False),
     {"status": S.CONFIRMED, "reported_done_at": AT, "completed_at": AT, "percent": 100, "last_report_at": AT}),
    ("done clears blocked", BLOCKED, report(K.DONE),
     {"status": S.REPORTED_DONE, "blocked": False, "reported_done_at": AT, "percent": 100, "last_report_at": AT}),
    ("done twice is idempotent", WAITING, report(K.DONE), {"last_report_at": AT}),
    ("done again after confirmation switched off", WAITING, report(K.DONE, confirm_needed=False),
     {"status": S.CONFIRMED, "completed_at": T0, "last_report_at": AT}),
    ("done after return", RETURNED, report(K.DONE),
     {"status": S.REPORTED_DONE, "reported_done_at": AT, "last_report_at": AT}),
    ("done on closed", CLOSED, report(K.DONE), "closed"),
    # PROGRESS
    ("progress starts", NEW, report(K.PROGRESS, percent=30),
     {"status": S.IN_PROGRESS, "percent": 30, "last_report_at": AT}),
    ("progress without percent keeps it", STARTED, report(K.PROGRESS), {"last_report_at": AT}),
    ("progress clears blocked", BLOCKED, report(K.PROGRESS, percent=60),
     {"blocked": False, "percent": 60, "last_report_at": AT}),
    ("progress after return", RETURNED, report(K.PROGRESS, percent=80),
     {"status": S.IN_PROGRESS, "percent": 80, "last_report_at": AT}),
    # A unit that tapped "done" by mistake corrects itself before the secretary decides.
    ("progress while awaiting confirmation", WAITING, report(K.PROGRESS, percent=50),
     {"status": S.IN_PROGRESS, "percent": 50, "reported_done_at": None, "last_report_at": AT}),
    ("progress on closed", CLOSED, report(K.PROGRESS, percent=50), "closed"),
    # BLOCKED
    ("blocked starts", NEW, report(K.BLOCKED),
     {"status": S.IN_PROGRESS, "blocked": True, "last_report_at": AT}),
    ("blocked keeps in progress", STARTED, report(K.BLOCKED, percent=45),
     {"blocked": True, "percent": 45, "last_report_at": AT}),
    ("blocked after return", RETURNED, report(K.BLOCKED),
     {"status": S.IN_PROGRESS, "blocked": True, "last_report_at": AT}),
    ("blocked while awaiting confirmation", WAITING, report(K.BLOCKED),
     {"status": S.IN_PROGRESS, "blocked": True, "reported_done_at": None, "last_report_at": AT}),
    ("blocked on closed", CLOSED, report(K.BLOCKED), "closed"),
    # EXTENSION
    ("extension with date", STARTED, report(K.EXTENSION, requested_deadline=date(2026, 7, 10)),
     {"extension_status": E.REQUESTED, "extension_to": date(2026, 7, 10), "last_report_at": AT}),
    ("extension without date", NEW, report(K.EXTENSION),
     {"extension_status": E.REQUESTED, "last_report_at": AT}),
    ("extension replaces a pending request", ASKED, report(K.EXTENSION, requested_deadline=date(2026, 7, 31)),
     {"extension_to": date(2026, 7, 31), "last_report_at": AT}),
    ("extension to the same day", STARTED, report(K.EXTENSION, requested_deadline=DEADLINE), "not_later"),
    ("extension on ongoing duty", ONGOING, report(K.EXTENSION), "no_deadline"),
    ("extension while awaiting confirmation", WAITING, report(K.EXTENSION), "awaiting_confirmation"),
    ("extension on closed", CLOSED, report(K.EXTENSION), "closed"),
    # NOTE
    ("note on new", NEW, report(K.NOTE, percent=90), {"last_report_at": AT}),
    ("note while awaiting confirmation", WAITING, report(K.NOTE), {"last_report_at": AT}),
    ("note on closed", CLOSED, report(K.NOTE), "closed"),
    # confirm
    ("confirm dates completion at the report", WAITING, lambda s: confirm(s, at=AT),
     {"status": S.CONFIRMED, "completed_at": T0}),
    ("confirm twice", CLOSED, lambda s: confirm(s, at=AT), "already_confirmed"),
    ("confirm unreported", STARTED, lambda s: confirm(s, at=AT), "not_reported"),
    ("confirm returned", RETURNED, lambda s: confirm(s, at=AT), "not_reported"),
    # return_result
    ("return clears the report", WAITING, lambda s: return_result(s, at=AT),
     {"status": S.RETURNED, "reported_done_at": None}),
    ("return unreported", NEW, lambda s: return_result(s, at=AT), "not_reported"),
    ("return closed", CLOSED, lambda s: return_result(s, at=AT), "closed"),
    # decide_extension
    ("approve the date asked", ASKED, lambda s: decide_extension(s, approve=True, at=AT),
     {"extension_status": E.APPROVED, "deadline": date(2026, 7, 15)}),
    ("approve another date", ASKED, lambda s: decide_extension(s, approve=True, at=AT, new_deadline=date(2026, 7, 5)),
     {"extension_status": E.APPROVED, "deadline": date(2026, 7, 5), "extension_to": date(2026, 7, 5)}),
    ("approve undated request with a date", ASKED_NO_DATE,
     lambda s: decide_extension(s, approve=True, at=AT, new_deadline=date(2026, 7, 20)),
     {"extension_status": E.APPROVED, "deadline": date(2026, 7, 20), "extension_to": date(2026, 7, 20)}),
    ("approve undated request without a date", ASKED_NO_DATE,
     lambda s: decide_extension(s, approve=True, at=AT), "no_date"),
    ("approve fills a missing original deadline", dataclasses.replace(ASKED, original_deadline=None),
     lambda s: decide_extension(s, approve=True, at=AT),
     {"extension_status": E.APPROVED, "deadline": date(2026, 7, 15), "original_deadline": DEADLINE}),
    ("reject keeps the deadline", ASKED, lambda s: decide_extension(s, approve=False, at=AT),
     {"extension_status": E.REJECTED}),
    ("decide without request", STARTED, lambda s: decide_extension(s, approve=True, at=AT), "no_extension"),
    ("decide twice", dataclasses.replace(ASKED, extension_status=E.APPROVED),
     lambda s: decide_extension(s, approve=False, at=AT), "no_extension"),
    ("decide on closed", dataclasses.replace(CLOSED, extension_status=E.REQUESTED),
     lambda s: decide_extension(s, approve=True, at=AT), "closed"),
]  # fmt: skip


@pytest.mark.parametrize(("before", "op", "expected"), [t[1:] for t in TRANSITIONS], ids=[t[0] for t in TRANSITIONS])
def test_transition(before: AssignmentState, op: Op, expected: dict[str, Any] | str) -> None:
    if isinstance(expected, str):
        with pytest.raises(TransitionError) as info:
            op(before)
        assert info.value.code == expected
    else:
        assert op(before) == dataclasses.replace(before, **expected)


def test_second_extension_keeps_the_first_deadline() -> None:
    s = decide_extension(ASKED, approve=True, at=AT)
    s = apply_report(s, K.EXTENSION, at=AT, requested_deadline=date(2026, 8, 1), require_confirmation=True)
    s = decide_extension(s, approve=True, at=AT)
    assert (s.deadline, s.original_deadline) == (date(2026, 8, 1), DEADLINE)


def test_aware_non_utc_is_stored_in_utc() -> None:
    hanoi = timezone(timedelta(hours=7))
    s = apply_report(NEW, K.DONE, at=datetime(2026, 6, 12, 10, 30, tzinfo=hanoi), require_confirmation=True)
    assert s.reported_done_at == AT
    assert s.reported_done_at is not None and s.reported_done_at.tzinfo is UTC


@pytest.mark.parametrize(
    "op",
    [
        lambda s: apply_report(s, K.NOTE, at=datetime(2026, 6, 12), require_confirmation=True),
        lambda s: confirm(s, at=datetime(2026, 6, 12)),
        lambda s: return_result(s, at=datetime(2026, 6, 12)),
        lambda s: decide_extension(s, approve=False, at=datetime(2026, 6, 12)),
    ],
)
def test_naive_datetime_is_refused(op: Op) -> None:
    with pytest.raises(ValueError, match="aware"):
        op(WAITING)


@pytest.mark.parametrize("percent", [-1, 101])
def test_percent_out_of_range(percent: int) -> None:
    with pytest.raises(ValueError, match="percent"):
        apply_report(STARTED, K.PROGRESS, at=AT, percent=percent, require_confirmation=True)


@pytest.mark.parametrize("kind", [K.CONFIRMED, K.RETURNED])
def test_secretary_kinds_are_not_unit_reports(kind: K) -> None:
    with pytest.raises(ValueError, match="not a unit report"):
        apply_report(WAITING, kind, at=AT, require_confirmation=True)


def test_duty_done() -> None:
    assert not duty_done([])
    assert duty_done([CLOSED])
    assert duty_done([CLOSED, CLOSED])
    assert not duty_done([CLOSED, WAITING])


@pytest.mark.parametrize(
    ("s", "require", "expected"),
    [
        (CLOSED, True, T0),
        (CLOSED, False, T0),
        (WAITING, True, None),
        (WAITING, False, T0),
        (STARTED, False, None),
    ],
)
def test_finished_at(s: AssignmentState, require: bool, expected: datetime | None) -> None:
    assert finished_at(s, require_confirmation=require) == expected


# --- random sequences ---------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC))
days = st.none() | st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))

report_ops = st.builds(
    lambda kind, at, pct, req, need: ("report", kind, at, pct, req, need),
    st.sampled_from([K.DONE, K.PROGRESS, K.BLOCKED, K.EXTENSION, K.NOTE]),
    moments,
    st.none() | st.integers(0, 100),
    days,
    st.booleans(),
)
other_ops = st.one_of(
    st.tuples(st.just("confirm"), moments),
    st.tuples(st.just("return"), moments),
    st.tuples(st.just("decide"), moments, st.booleans(), days),
)


def run(s: AssignmentState, op: tuple[Any, ...]) -> AssignmentState:
    match op:
        case ("report", kind, at, pct, req, need):
            return apply_report(s, kind, at=at, percent=pct, requested_deadline=req, require_confirmation=need)
        case ("confirm", at):
            return confirm(s, at=at)
        case ("return", at):
            return return_result(s, at=at)
        case ("decide", at, approve, new):
            return decide_extension(s, approve=approve, at=at, new_deadline=new)
    raise AssertionError(op)


def check(s: AssignmentState) -> None:
    if s.status is S.CONFIRMED:
        assert s.completed_at is not None
    if s.status is S.REPORTED_DONE:
        assert s.reported_done_at is not None
    if s.status not in (S.CONFIRMED, S.REPORTED_DONE):
        assert s.completed_at is None
    assert s.percent is None or 0 <= s.percent <= 100
    if s.extension_status is E.APPROVED:
        assert s.deadline == s.extension_to


@settings(max_examples=300)
@given(deadline=days, ops=st.lists(st.one_of(report_ops, other_ops), max_size=25))
def test_random_sequences_keep_invariants(deadline: date | None, ops: list[tuple[Any, ...]]) -> None:
    s = AssignmentState.new(deadline)
    original = s.original_deadline
    for op in ops:
        before = s
        try:
            s = run(s, op)
        except TransitionError:
            assert s is before
            continue
        check(s)
        # The first deadline, once recorded, is kept for statistics.
        if original is not None:
            assert s.original_deadline == original
        original = s.original_deadline
        # A closed assignment never reopens.
        assert before.status is not S.CONFIRMED
