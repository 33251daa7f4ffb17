"""Working calendar: weekends, Vietnamese public holidays (Tết), quiet hours, UTC in and out."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import QuietHours, ReminderDefaults
from bot.domain.workcal import WorkCalendar, vn_holidays

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CAL = WorkCalendar(tz=TZ)
TET_2027 = [date(2027, 2, d) for d in range(4, 11)]  # 29 Tết (Thu 04/02) .. mùng 5 (Wed 10/02)


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def test_weekends_are_days_off() -> None:
    assert CAL.is_working_day(date(2026, 6, 12))  # Friday
    assert not CAL.is_working_day(date(2026, 6, 13))  # Saturday
    assert not CAL.is_working_day(date(2026, 6, 14))  # Sunday
    assert CAL.is_working_day(date(2026, 6, 15))  # Monday
    assert WorkCalendar(tz=TZ, skip_weekends=False).is_working_day(date(2026, 6, 13))


@pytest.mark.parametrize(
    "d",
    [
        date(2026, 9, 2),
        date(2027, 9, 2),
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2027, 4, 30),
        date(2026, 1, 1),
        *TET_2027,
    ],
)
def test_public_holidays_are_days_off(d: date) -> None:
    assert CAL.is_holiday(d)
    assert not CAL.is_working_day(d)


def test_tet_2027_break_is_bounded_by_working_days() -> None:
    assert CAL.is_working_day(date(2027, 2, 3))  # Wednesday before the break
    assert CAL.is_working_day(date(2027, 2, 11))  # Thursday after mùng 5
    assert CAL.next_working_day(date(2027, 2, 3)) == date(2027, 2, 11)


def test_holidays_can_be_ignored_or_added() -> None:
    assert WorkCalendar(tz=TZ, skip_holidays=False).is_working_day(date(2026, 9, 2))
    extra = WorkCalendar(tz=TZ, extra_holidays=frozenset({date(2026, 6, 10)}))
    assert extra.is_holiday(date(2026, 6, 10))
    assert not extra.is_working_day(date(2026, 6, 10))
    assert CAL.is_working_day(date(2026, 6, 10))


def test_holiday_table_is_cached_per_year() -> None:
    assert vn_holidays(2027) is vn_holidays(2027)
    assert set(TET_2027) <= vn_holidays(2027)


def test_working_hours_pass_through_unchanged() -> None:
    for when in (local(2026, 6, 10, 7, 0), local(2026, 6, 10, 12, 30), local(2026, 6, 10, 20, 59)):
        assert CAL.next_slot(when) == when
        assert CAL.is_open(when)


def test_quiet_hours_wrap_midnight() -> None:
    # Evening quiet moves to the next morning, early-morning quiet to the same morning.
    assert CAL.next_slot(local(2026, 6, 9, 21, 0)) == local(2026, 6, 10, 7, 0)
    assert CAL.next_slot(local(2026, 6, 9, 23, 59)) == local(2026, 6, 10, 7, 0)
    assert CAL.next_slot(local(2026, 6, 10, 0, 0)) == local(2026, 6, 10, 7, 0)
    assert CAL.next_slot(local(2026, 6, 10, 6, 59)) == local(2026, 6, 10, 7, 0)
    assert not CAL.is_open(local(2026, 6, 10, 3, 0))


def test_saturday_night_goes_to_monday_morning() -> None:
    assert CAL.next_slot(local(2026, 6, 13, 22, 0)) == local(2026, 6, 15, 7, 0)
    assert CAL.next_slot(local(2026, 6, 13, 10, 0)) == local(2026, 6, 15, 7, 0)
    assert CAL.next_slot(local(2026, 6, 12, 21, 30)) == local(2026, 6, 15, 7, 0)  # Friday night


def test_eve_of_tet_moves_past_the_break() -> None:
    assert CAL.next_slot(local(2027, 2, 3, 22, 0)) == local(2027, 2, 11, 7, 0)
    assert CAL.next_slot(local(2027, 2, 6, 8, 0)) == local(2027, 2, 11, 7, 0)
    assert CAL.next_slot(local(2027, 2, 3, 10, 0)) == local(2027, 2, 3, 10, 0)


def test_national_day_and_reunification_day_move_on() -> None:
    # 2026: 31/8 (substitute), 1/9 and 2/9 off -> Thursday 3/9.
    assert CAL.next_slot(local(2026, 8, 31, 8, 0)) == local(2026, 9, 3, 7, 0)
    # 2026: 30/4 Thu, 1/5 Fri, then the weekend -> Monday 4/5.
    assert CAL.next_slot(local(2026, 4, 29, 21, 0)) == local(2026, 5, 4, 7, 0)


def test_aware_utc_in_and_out() -> None:
    when = datetime(2026, 6, 10, 3, 0, tzinfo=UTC)  # 10:00 local
    out = CAL.next_slot(when)
    assert out == when
    assert out.tzinfo is UTC
    moved = CAL.next_slot(datetime(2026, 6, 13, 15, 0, tzinfo=UTC))  # Saturday 22:00 local
    assert moved.tzinfo is UTC
    assert moved == datetime(2026, 6, 15, 0, 0, tzinfo=UTC)  # Monday 07:00 local
    with pytest.raises(ValueError, match="aware"):
        CAL.next_slot(datetime(2026, 6, 10, 10, 0))


def test_no_quiet_hours_lands_at_eight() -> None:
    cal = WorkCalendar(tz=TZ, quiet_start=None, quiet_end=None)
    assert cal.next_slot(local(2026, 6, 10, 23, 0)) == local(2026, 6, 10, 23, 0)
    assert cal.next_slot(local(2026, 6, 13, 23, 0)) == local(2026, 6, 15, 8, 0)
    assert cal.day_close(date(2026, 6, 15)) == local(2026, 6, 16)


def test_daytime_quiet_window() -> None:
    cal = WorkCalendar(tz=TZ, quiet_start=time(12, 0), quiet_end=time(13, 30))
    assert cal.next_slot(local(2026, 6, 10, 12, 15)) == local(2026, 6, 10, 13, 30)
    assert cal.next_slot(local(2026, 6, 13, 12, 15)) == local(2026, 6, 15, 8, 0)
    assert cal.next_slot(local(2026, 6, 10, 23, 0)) == local(2026, 6, 10, 23, 0)


def test_from_settings() -> None:
    defaults = ReminderDefaults(skip_weekends=False, quiet_hours=QuietHours(start="22:00", end="06:30"))
    cal = WorkCalendar.from_settings("Asia/Ho_Chi_Minh", defaults)
    assert cal.tz == TZ
    assert not cal.skip_weekends
    assert cal.skip_holidays
    assert (cal.quiet_start, cal.quiet_end) == (time(22, 0), time(6, 30))
    assert cal.next_slot(local(2026, 6, 13, 22, 30)) == local(2026, 6, 14, 6, 30)  # Sunday counts now


def test_ho_chi_minh_has_no_dst() -> None:
    d = date(2026, 1, 1)
    while d < date(2029, 1, 1):
        assert datetime.combine(d, time(12), tzinfo=TZ).utcoffset() == timedelta(hours=7)
        d += timedelta(days=1)


_instants = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC))


@settings(max_examples=300, deadline=None)
@given(a=_instants, b=_instants)
def test_next_slot_is_open_idempotent_and_monotone(a: datetime, b: datetime) -> None:
    sa, sb = CAL.next_slot(a), CAL.next_slot(b)
    assert sa >= a
    assert sa.tzinfo is UTC
    assert CAL.next_slot(sa) == sa
    lt = sa.astimezone(TZ)
    assert CAL.is_working_day(lt.date())
    assert time(7, 0) <= lt.time() < time(21, 0)
    if a <= b:
        assert sa <= sb
