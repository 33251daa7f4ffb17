"""Reminder slots for one assignment, against injected fixed times (Asia/Ho_Chi_Minh)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import ReminderDefaults
from bot.domain.enums import PingKind
from bot.domain.plans import PRESETS
from bot.domain.schedule import PlanRules, Slot, catch_up, next_slot
from bot.domain.workcal import WorkCalendar

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkCalendar(tz=TZ)
DEFAULTS = ReminderDefaults()  # Monday 08:00, 7/3/1/0 days, overdue every 2 days, escalate after 5


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def rules(preset: str | None = None, defaults: ReminderDefaults = DEFAULTS, **plan: Any) -> PlanRules:
    data = PRESETS[preset].to_json() if preset else {}
    data.update(plan)
    return PlanRules.from_plan(data, defaults)


def run(r: PlanRules, deadline: date | None, after: datetime, n: int, cal: WorkCalendar = CAL) -> list[Slot]:
    out: list[Slot] = []
    for _ in range(n):
        slot = next_slot(r, cal, deadline=deadline, after=after)
        if slot is None:
            break
        out.append(slot)
        after = slot.nominal
    return out


def loc(slots: list[Slot], attr: str = "nominal") -> list[tuple[str, datetime]]:
    return [(s.kind.value, getattr(s, attr).astimezone(TZ).replace(tzinfo=None)) for s in slots]


def assert_utc(*slots: Slot | None) -> None:
    for s in slots:
        if s is not None:
            assert s.nominal.tzinfo is UTC
            assert s.send_at.tzinfo is UTC
            assert s.send_at >= s.nominal


# -- plan rules ----------------------------------------------------------------


def test_rules_from_defaults_and_presets() -> None:
    r = PlanRules.from_plan(None, DEFAULTS)
    assert r.cron == {"day_of_week": "mon", "hour": 8, "minute": 0}
    assert r.before_days == (7, 3, 1, 0)
    assert (r.at, r.overdue_every_days, r.escalate_after_days) == (time(8, 0), 2, 5)
    weekly = rules("weekly")
    assert weekly.cron == {"day_of_week": "mon", "hour": 8, "minute": 0}
    assert weekly.before_days == (3, 1)
    assert rules("deadline").cron is None
    assert rules(cron={"day_of_week": "fri"}).cron == {"day_of_week": "fri", "hour": 8, "minute": 0}
    assert rules(before_days=[0, 3, 3, 1]).before_days == (3, 1, 0)
    assert PlanRules.from_plan({"preset": "weekly"}, DEFAULTS).before_days == (7, 3, 1, 0)


@pytest.mark.parametrize(
    ("cron", "message"),
    [
        ({"day_of_week": 0}, "day names"),
        ({"day_of_week": "1-5"}, "day names"),
        ({"day_of_week": "funday"}, "invalid cron"),
        ({"hour": 25}, "invalid cron"),
        ({"weekday": "mon"}, "unknown cron field"),
        ({"timezone": "UTC"}, "unknown cron field"),
        ({}, "non-empty"),
        ("mon 08:00", "non-empty mapping"),
        ({"hour": True}, "number or a string"),
    ],
)
def test_invalid_cron_is_rejected_clearly(cron: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PlanRules.from_plan({"cron": cron}, DEFAULTS)


def test_invalid_before_days_rejected() -> None:
    with pytest.raises(ValueError, match="before_days"):
        PlanRules.from_plan({"cron": None, "before_days": [3, -1]}, DEFAULTS)


# -- routine cadence -------------------------------------------------------------


def test_weekly_monday_cadence_moves_a_holiday_monday_to_tuesday() -> None:
    # 27/04/2026 is a Monday off (Hùng Kings observed): sent Tuesday 07:00, nominal stays Monday.
    slots = run(rules("weekly"), None, local(2026, 4, 10), 5)
    assert loc(slots) == [("routine", datetime(2026, 4, d, 8, 0)) for d in (13, 20, 27)] + [
        ("routine", datetime(2026, 5, 4, 8, 0)),
        ("routine", datetime(2026, 5, 11, 8, 0)),
    ]
    assert slots[2].send_at == local(2026, 4, 28, 7, 0)
    assert [s.send_at == s.nominal for s in slots] == [True, True, False, True, True]
    assert_utc(*slots)


def test_after_is_strict() -> None:
    slot = next_slot(rules("weekly"), CAL, deadline=None, after=local(2026, 4, 13, 8, 0))
    assert slot is not None
    assert slot.nominal == local(2026, 4, 20, 8, 0)
    just_before = next_slot(rules("weekly"), CAL, deadline=None, after=local(2026, 4, 13, 7, 59))
    assert just_before is not None
    assert just_before.nominal == local(2026, 4, 13, 8, 0)


def test_ongoing_duty_gets_routine_only() -> None:
    slots = run(rules("daily"), None, local(2026, 6, 1), 30)
    assert len(slots) == 30
    assert {s.kind for s in slots} == {PingKind.ROUTINE}
    assert all(s.nominal.astimezone(TZ).weekday() < 5 for s in slots)


def test_nothing_to_do_returns_none() -> None:
    assert next_slot(rules("deadline"), CAL, deadline=None, after=local(2026, 6, 1)) is None
    finite = rules(cron={"year": 2026, "month": 6, "day": 1, "hour": 8})
    assert next_slot(finite, CAL, deadline=None, after=local(2026, 6, 2)) is None


def test_monthly_preset() -> None:
    slots = run(rules("monthly"), None, local(2026, 7, 15), 4)
    assert loc(slots) == [("routine", datetime(2026, m, 1, 8, 0)) for m in (8, 9, 10, 11)]
    # 01/08/2026 is a Saturday; 01/09 and 02/09 are National Day.
    assert loc(slots, "send_at") == [
        ("routine", datetime(2026, 8, 3, 7, 0)),
        ("routine", datetime(2026, 9, 3, 7, 0)),
        ("routine", datetime(2026, 10, 1, 8, 0)),
        ("routine", datetime(2026, 11, 2, 7, 0)),
    ]


# -- deadline-driven -------------------------------------------------------------


def test_pre_deadline_then_overdue_then_escalation() -> None:
    # Deadline Friday 26/06/2026, plan "deadline": 7/3/1/0 days before, overdue every 2, escalate after 5.
    slots = run(rules("deadline"), date(2026, 6, 26), local(2026, 6, 1), 9)
    assert loc(slots) == [
        ("pre_deadline", datetime(2026, 6, 19, 8, 0)),
        ("pre_deadline", datetime(2026, 6, 23, 8, 0)),
        ("pre_deadline", datetime(2026, 6, 25, 8, 0)),
        ("pre_deadline", datetime(2026, 6, 26, 8, 0)),
        ("overdue", datetime(2026, 6, 28, 8, 0)),  # Sunday: sent Monday 07:00
        ("overdue", datetime(2026, 6, 30, 8, 0)),
        ("escalation", datetime(2026, 7, 1, 8, 0)),
        ("overdue", datetime(2026, 7, 2, 8, 0)),
        ("overdue", datetime(2026, 7, 6, 8, 0)),  # 04/07 (Saturday) folded into Monday 06/07
    ]
    assert slots[4].send_at == local(2026, 6, 29, 7, 0)
    assert_utc(*slots)


def test_deadline_on_a_sunday() -> None:
    # Deadline Sunday 28/06/2026: the Saturday and Sunday reminders would both land on Monday
    # 07:00, so they fold into one (the day-0 one).
    slots = run(rules("deadline"), date(2026, 6, 28), local(2026, 6, 1), 4)
    assert loc(slots) == [
        ("pre_deadline", datetime(2026, 6, 21, 8, 0)),
        ("pre_deadline", datetime(2026, 6, 25, 8, 0)),
        ("pre_deadline", datetime(2026, 6, 28, 8, 0)),
        ("overdue", datetime(2026, 6, 30, 8, 0)),
    ]
    assert loc(slots, "send_at")[0] == ("pre_deadline", datetime(2026, 6, 22, 7, 0))
    assert loc(slots, "send_at")[2] == ("pre_deadline", datetime(2026, 6, 29, 7, 0))


def test_overdue_every_two_days_forever() -> None:
    r = rules("deadline", ReminderDefaults(escalate_after_days=0), before_days=[])
    deadline = date(2026, 6, 10)  # Wednesday
    slots = run(r, deadline, local(2026, 6, 10, 9, 0), 12, cal=WorkCalendar(tz=TZ, skip_weekends=False))
    assert [s.kind for s in slots] == [PingKind.OVERDUE] * 12
    assert [s.nominal.astimezone(TZ).date() for s in slots] == [deadline + timedelta(days=2 * k) for k in range(1, 13)]
    # Years later it is still computed by arithmetic, not by a walk.
    late = next_slot(r, CAL, deadline=deadline, after=local(2031, 1, 1))
    assert late is not None
    assert late.kind is PingKind.OVERDUE
    assert (late.nominal.astimezone(TZ).date() - deadline).days % 2 == 0


def test_escalation_after_five_days_is_single() -> None:
    slots = run(rules("deadline"), date(2026, 6, 10), local(2026, 6, 10, 9, 0), 20)
    esc = [s for s in slots if s.kind is PingKind.ESCALATION]
    assert len(esc) == 1
    assert esc[0].nominal == local(2026, 6, 15, 8, 0)


def test_escalation_zero_disables_and_coinciding_overdue_merges() -> None:
    off = run(rules("deadline", ReminderDefaults(escalate_after_days=0)), date(2026, 6, 10), local(2026, 6, 11), 20)
    assert PingKind.ESCALATION not in {s.kind for s in off}
    # Overdue every day meets the escalation on day 5: one slot, escalation wins.
    daily = ReminderDefaults(overdue_every_days=1, escalate_after_days=5)
    slots = run(rules("deadline", daily), date(2026, 6, 10), local(2026, 6, 11), 10, WorkCalendar(tz=TZ))
    on_day5 = [s for s in slots if s.nominal == local(2026, 6, 15, 8, 0)]
    assert [s.kind for s in on_day5] == [PingKind.ESCALATION]


def test_routine_dropped_on_a_pre_deadline_day_and_stops_after_deadline() -> None:
    # Weekly Monday plus 7/3/1/0: 22/06 (Monday) is deadline-3, so only the pre-deadline ping goes.
    r = rules(cron={"day_of_week": "mon", "hour": 8, "minute": 0}, before_days=[7, 3, 1, 0])
    slots = run(r, date(2026, 6, 25), local(2026, 6, 1), 9)
    assert loc(slots) == [
        ("routine", datetime(2026, 6, 1, 8, 0)),
        ("routine", datetime(2026, 6, 8, 8, 0)),
        ("routine", datetime(2026, 6, 15, 8, 0)),
        ("pre_deadline", datetime(2026, 6, 18, 8, 0)),
        ("pre_deadline", datetime(2026, 6, 22, 8, 0)),
        ("pre_deadline", datetime(2026, 6, 24, 8, 0)),
        ("pre_deadline", datetime(2026, 6, 25, 8, 0)),
        # Saturday 27/06 would go out Monday 07:00 next to Monday's own: folded into Monday.
        ("overdue", datetime(2026, 6, 29, 8, 0)),
        ("escalation", datetime(2026, 6, 30, 8, 0)),
    ]


def test_routine_at_another_hour_still_yields_to_pre_deadline_day() -> None:
    r = rules(cron={"day_of_week": "mon-fri", "hour": 16}, before_days=[1])
    slots = run(r, date(2026, 6, 12), local(2026, 6, 9, 17, 0), 4)
    assert loc(slots) == [
        ("routine", datetime(2026, 6, 10, 16, 0)),
        ("pre_deadline", datetime(2026, 6, 11, 8, 0)),
        ("routine", datetime(2026, 6, 12, 16, 0)),
        ("overdue", datetime(2026, 6, 14, 8, 0)),
    ]


def test_tet_break_folds_into_one_ping() -> None:
    # Deadline 08/02/2027 falls inside the Tết break (04..10/02): everything from the
    # eve of the break on is delivered once, on Thursday 11/02.
    slots = run(rules("deadline"), date(2027, 2, 8), local(2027, 1, 20), 4)
    assert loc(slots) == [
        ("pre_deadline", datetime(2027, 2, 1, 8, 0)),
        ("overdue", datetime(2027, 2, 10, 8, 0)),
        ("overdue", datetime(2027, 2, 12, 8, 0)),
        # Escalation (Saturday 13/02) and overdue (Sunday 14/02) both land Monday: one ping.
        ("escalation", datetime(2027, 2, 14, 8, 0)),
    ]
    assert slots[1].send_at == local(2027, 2, 11, 7, 0)
    assert slots[3].send_at == local(2027, 2, 15, 7, 0)


def test_quiet_hours_never_used_for_sending() -> None:
    late = ReminderDefaults(at="22:30")
    r = rules("deadline", late, cron={"day_of_week": "mon-fri", "hour": 5})
    for slot in run(r, date(2026, 7, 15), local(2026, 6, 1), 60):
        t = slot.send_at.astimezone(TZ).time()
        assert time(7, 0) <= t < time(21, 0)


# -- catch-up ----------------------------------------------------------------------


def test_catch_up_after_three_weeks_down_is_one_slot() -> None:
    missed, future = catch_up(
        rules("weekly"), CAL, deadline=None, last_run=local(2026, 6, 1, 9, 0), now=local(2026, 6, 23, 10, 0)
    )
    assert missed is not None
    assert missed.kind is PingKind.ROUTINE
    assert missed.nominal == local(2026, 6, 22, 8, 0)  # the latest of 08/06, 15/06, 22/06
    assert missed.send_at == local(2026, 6, 23, 10, 0)
    assert future is not None
    assert future.nominal == local(2026, 6, 29, 8, 0)
    assert_utc(missed, future)


def test_catch_up_keeps_a_missed_escalation() -> None:
    missed, future = catch_up(
        rules("deadline"), CAL, deadline=date(2026, 6, 10), last_run=local(2026, 6, 1), now=local(2026, 6, 18, 9, 0)
    )
    assert missed is not None
    assert missed.kind is PingKind.ESCALATION
    assert missed.nominal == local(2026, 6, 18, 8, 0)  # latest overdue; the escalation (15/06) was missed
    assert future is not None
    assert future.kind is PingKind.OVERDUE
    assert future.nominal == local(2026, 6, 22, 8, 0)  # Saturday 20/06 folded into Monday


def test_catch_up_nothing_missed() -> None:
    missed, future = catch_up(
        rules("weekly"), CAL, deadline=None, last_run=local(2026, 6, 2), now=local(2026, 6, 5, 12, 0)
    )
    assert missed is None
    assert future is not None
    assert future.nominal == local(2026, 6, 8, 8, 0)


def test_catch_up_folds_into_a_future_slot_the_same_day() -> None:
    # Down over the weekend, back Sunday night: the missed Saturday overdue and Monday's
    # would both go out Monday, so only Monday's goes, keeping the escalation kind.
    missed, future = catch_up(
        rules("deadline", ReminderDefaults(overdue_every_days=1, escalate_after_days=3)),
        CAL,
        deadline=date(2026, 6, 10),
        last_run=local(2026, 6, 12, 9, 0),
        now=local(2026, 6, 14, 22, 0),
    )
    assert missed is None
    assert future is not None
    assert future.kind is PingKind.ESCALATION
    assert future.nominal == local(2026, 6, 15, 8, 0)


def test_naive_times_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_slot(rules("weekly"), CAL, deadline=None, after=datetime(2026, 6, 1))


# -- properties ----------------------------------------------------------------------

_plans = st.sampled_from([*PRESETS, None])
_defaults = st.builds(
    ReminderDefaults,
    at=st.times(),
    overdue_every_days=st.integers(1, 10),
    escalate_after_days=st.integers(0, 12),
)
_after = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC))
_deadline = st.none() | st.dates(min_value=date(2025, 10, 1), max_value=date(2029, 3, 31))


@settings(max_examples=150, deadline=None)
@given(preset=_plans, defaults=_defaults, after=_after, deadline=_deadline)
def test_next_slot_strictly_increases(
    preset: str | None, defaults: ReminderDefaults, after: datetime, deadline: date | None
) -> None:
    r = PlanRules.from_plan(PRESETS[preset].to_json() if preset else None, defaults)
    first = next_slot(r, CAL, deadline=deadline, after=after)
    if first is None:
        assert r.cron is None
        assert deadline is None
        return
    assert first.nominal > after
    slots = run(r, deadline, after, 50)
    assert len(slots) == 50
    nominals = [s.nominal for s in slots]
    assert all(a < b for a, b in pairwise(nominals))
    # At most one ping a day, always in working time.
    send_days = [s.send_at.astimezone(TZ).date() for s in slots]
    assert all(a < b for a, b in pairwise(send_days))
    for s in slots:
        assert_utc(s)
        assert CAL.is_open(s.send_at)
        assert s.send_at == CAL.next_slot(s.nominal)
