"""Duty categories (QĐ 42/2014/QĐ-TTg) against a fixed today, and the rates built on them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.classify import (
    Category,
    classify,
    classify_original,
    completion_rate,
    is_due,
    on_time_rate,
)
from bot.views.categories import LABELS

TODAY = date(2026, 6, 10)
D = timedelta(days=1)


@pytest.mark.parametrize(
    ("deadline", "done_on", "expected"),
    [
        # Not done: overdue, in the window, beyond it, no deadline.
        (TODAY - D, None, Category.OVERDUE),
        (TODAY - 30 * D, None, Category.OVERDUE),
        (date(2025, 12, 31), None, Category.OVERDUE),
        (TODAY, None, Category.IN_PROGRESS_ON_TIME),  # the deadline day itself is in time
        (TODAY + D, None, Category.IN_PROGRESS_ON_TIME),
        (TODAY + 6 * D, None, Category.IN_PROGRESS_ON_TIME),
        (TODAY + 7 * D, None, Category.IN_PROGRESS_ON_TIME),  # window edge is inclusive
        (TODAY + 8 * D, None, Category.NOT_DUE),
        (TODAY + 60 * D, None, Category.NOT_DUE),
        (None, None, Category.ONGOING),
        # Done: against the deadline, not today.
        (TODAY, TODAY, Category.DONE_ON_TIME),  # done exactly on the deadline
        (TODAY, TODAY + D, Category.DONE_LATE),  # a day late
        (TODAY, TODAY - 5 * D, Category.DONE_ON_TIME),
        (TODAY - 10 * D, TODAY - 10 * D, Category.DONE_ON_TIME),
        (TODAY - 10 * D, TODAY - 9 * D, Category.DONE_LATE),
        (TODAY - 10 * D, TODAY, Category.DONE_LATE),
        (TODAY + 30 * D, TODAY, Category.DONE_ON_TIME),  # done early, well before due
        (TODAY + 30 * D, TODAY + 31 * D, Category.DONE_LATE),  # done_on after today still counts
        (None, TODAY, Category.DONE_ON_TIME),  # an ongoing duty cannot be late
        (None, TODAY - 100 * D, Category.DONE_ON_TIME),
        (date(2026, 12, 31), date(2027, 1, 1), Category.DONE_LATE),  # across a year end
        (date(2026, 2, 28), date(2026, 2, 28), Category.DONE_ON_TIME),
    ],
)
def test_classify(deadline: date | None, done_on: date | None, expected: Category) -> None:
    assert classify(deadline=deadline, done_on=done_on, today=TODAY) == expected


@pytest.mark.parametrize(
    ("deadline", "window", "expected"),
    [
        (TODAY, 0, Category.IN_PROGRESS_ON_TIME),
        (TODAY + D, 0, Category.NOT_DUE),
        (TODAY + 14 * D, 14, Category.IN_PROGRESS_ON_TIME),
        (TODAY + 15 * D, 14, Category.NOT_DUE),
        (TODAY - D, 0, Category.OVERDUE),
    ],
)
def test_due_window(deadline: date, window: int, expected: Category) -> None:
    assert classify(deadline=deadline, done_on=None, today=TODAY, due_window_days=window) == expected


def test_negative_window_is_refused() -> None:
    with pytest.raises(ValueError, match="due_window_days"):
        classify(deadline=TODAY, done_on=None, today=TODAY, due_window_days=-1)


@pytest.mark.parametrize(
    ("deadline", "original", "done_on", "in_force", "against_original"),
    [
        # Extension approved: on time now, late against the first deadline.
        (TODAY + 10 * D, TODAY, TODAY + 5 * D, Category.DONE_ON_TIME, Category.DONE_LATE),
        # Done before the original deadline anyway: on time both ways.
        (TODAY + 10 * D, TODAY, TODAY, Category.DONE_ON_TIME, Category.DONE_ON_TIME),
        # Late even after the extension.
        (TODAY + 10 * D, TODAY, TODAY + 11 * D, Category.DONE_LATE, Category.DONE_LATE),
        # Not done: the extension keeps it in time, the original says overdue.
        (TODAY + 3 * D, TODAY - 2 * D, None, Category.IN_PROGRESS_ON_TIME, Category.OVERDUE),
        # Never extended (original None): the same verdict twice.
        (TODAY - D, None, None, Category.OVERDUE, Category.OVERDUE),
        (None, None, None, Category.ONGOING, Category.ONGOING),
    ],
)
def test_classify_original(
    deadline: date | None,
    original: date | None,
    done_on: date | None,
    in_force: Category,
    against_original: Category,
) -> None:
    assert classify(deadline=deadline, done_on=done_on, today=TODAY) == in_force
    got = classify_original(deadline=deadline, original_deadline=original, done_on=done_on, today=TODAY)
    assert got == against_original


def test_labels_cover_every_category() -> None:
    assert set(LABELS) == set(Category)
    assert LABELS[Category.DONE_ON_TIME] == "Hoàn thành đúng hạn"
    assert LABELS[Category.DONE_LATE] == "Hoàn thành quá hạn"
    assert LABELS[Category.IN_PROGRESS_ON_TIME] == "Đang thực hiện trong hạn"
    assert LABELS[Category.OVERDUE] == "Quá hạn chưa hoàn thành"
    assert LABELS[Category.NOT_DUE] == "Chưa đến hạn"
    assert LABELS[Category.ONGOING] == "Thường xuyên"


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [(None, False), (TODAY - D, True), (TODAY, True), (TODAY + D, False)],
)
def test_is_due(deadline: date | None, expected: bool) -> None:
    assert is_due(deadline, TODAY) is expected


def test_rates() -> None:
    cats = [
        Category.DONE_ON_TIME,
        Category.DONE_ON_TIME,
        Category.DONE_LATE,
        Category.OVERDUE,
        Category.NOT_DUE,
        Category.ONGOING,
        Category.IN_PROGRESS_ON_TIME,
    ]
    assert completion_rate(cats) == pytest.approx(3 / 4)
    assert on_time_rate(cats) == pytest.approx(2 / 3)
    # Works on a one-shot iterator too.
    assert completion_rate(iter(cats)) == pytest.approx(3 / 4)


def test_rates_none_when_nothing_to_measure() -> None:
    assert completion_rate([]) is None
    assert on_time_rate([]) is None
    assert completion_rate([Category.NOT_DUE, Category.ONGOING]) is None
    assert on_time_rate([Category.OVERDUE]) is None
    assert completion_rate([Category.OVERDUE]) == 0.0


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@given(
    deadline=st.none() | dates,
    original=st.none() | dates,
    done_on=st.none() | dates,
    today=dates,
    window=st.integers(min_value=0, max_value=400),
)
def test_classify_total(
    deadline: date | None, original: date | None, done_on: date | None, today: date, window: int
) -> None:
    cat = classify(deadline=deadline, done_on=done_on, today=today, due_window_days=window)
    assert cat in LABELS
    assert (done_on is not None) == (cat in (Category.DONE_ON_TIME, Category.DONE_LATE))
    assert (cat is Category.ONGOING) == (deadline is None and done_on is None)
    classify_original(deadline=deadline, original_deadline=original, done_on=done_on, today=today)


@given(st.lists(st.sampled_from(Category), max_size=50))
def test_rates_within_bounds(cats: list[Category]) -> None:
    for rate in (completion_rate(cats), on_time_rate(cats)):
        assert rate is None or 0.0 <= rate <= 1.0


def test_extremes_do_not_overflow() -> None:
    assert classify(deadline=date.max, done_on=None, today=date.max) is Category.IN_PROGRESS_ON_TIME
    assert classify(deadline=date.max, done_on=None, today=date.min) is Category.NOT_DUE
