"""Working calendar: which days and hours a reminder may be delivered in.

Pure: times are passed in, aware, and come back as aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import holidays

if TYPE_CHECKING:
    from bot.domain.settings import ReminderSettings

DEFAULT_DAY_START = time(8, 0)  # where a moved slot lands when there are no quiet hours
_MAX_SCAN_DAYS = 400  # more consecutive days off than this means a misconfigured calendar


@lru_cache(maxsize=64)
def vn_holidays(year: int) -> frozenset[date]:
    """Vietnamese public holidays of one year (cached: building a holidays object is slow)."""
    return frozenset(holidays.country_holidays("VN", years=year).keys())


def _require_aware(when: datetime) -> None:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"need a timezone-aware datetime, got naive {when.isoformat()}")


@dataclass(frozen=True)
class WorkCalendar:
    tz: ZoneInfo
    skip_weekends: bool = True
    skip_holidays: bool = True
    # Quiet window [start, end) in local time; start > end wraps midnight; start == end means none.
    quiet_start: time | None = time(21, 0)
    quiet_end: time | None = time(7, 0)
    extra_holidays: frozenset[date] = frozenset()

    @classmethod
    def from_settings(
        cls, tz_name: str, reminders: ReminderSettings, *, extra_holidays: frozenset[date] = frozenset()
    ) -> WorkCalendar:
        quiet = reminders.quiet_hours
        return cls(
            tz=ZoneInfo(tz_name),
            skip_weekends=reminders.skip_weekends,
            skip_holidays=reminders.skip_holidays,
            quiet_start=quiet.start,
            quiet_end=quiet.end,
            extra_holidays=frozenset(extra_holidays),
        )

    # -- days ---------------------------------------------------------------

    def is_holiday(self, d: date) -> bool:
        return d in self.extra_holidays or d in vn_holidays(d.year)

    def is_working_day(self, d: date) -> bool:
        if self.skip_weekends and d.weekday() >= 5:
            return False
        return not (self.skip_holidays and self.is_holiday(d))

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after d."""
        for i in range(1, _MAX_SCAN_DAYS + 1):
            cand = d + timedelta(days=i)
            if self.is_working_day(cand):
                return cand
        raise ValueError(f"no working day within {_MAX_SCAN_DAYS} days after {d.isoformat()}")

    # -- hours --------------------------------------------------------------

    def _has_quiet(self) -> bool:
        return self.quiet_start is not None and self.quiet_end is not None and self.quiet_start != self.quiet_end

    def is_quiet(self, t: time) -> bool:
        """Whether a local wall-clock time falls in the quiet window."""
        if not self._has_quiet():
            return False
        start, end = self.quiet_start, self.quiet_end
        assert start is not None and end is not None
        if start < end:
            return start <= t < end
        return t >= start or t < end

    def day_start(self) -> time:
        """Local time a slot moved to another day lands at."""
        if not self._has_quiet():
            return DEFAULT_DAY_START
        assert self.quiet_end is not None
        # A daytime-only window (e.g. 12:00-13:00) would make quiet_end a silly morning start.
        if self.is_quiet(time(0, 0)) or self.is_quiet(DEFAULT_DAY_START):
            return self.quiet_end
        return DEFAULT_DAY_START

    def _at(self, d: date, t: time) -> datetime:
        return datetime.combine(d, t, tzinfo=self.tz).astimezone(UTC)

    def next_slot(self, when: datetime) -> datetime:
        """Earliest aware UTC instant >= when on a working day and outside quiet hours."""
        _require_aware(when)
        local = when.astimezone(self.tz)
        d, t = local.date(), local.time().replace(tzinfo=None)
        if self.is_working_day(d):
            if not self.is_quiet(t):
                return when.astimezone(UTC)
            assert self.quiet_end is not None
            if t < self.quiet_end:
                # Early-morning (or daytime) quiet: wait for it to end the same day.
                return self._at(d, self.quiet_end)
        return self._at(self.next_working_day(d), self.day_start())

    def day_close(self, d: date) -> datetime:
        """First instant (UTC) from which next_slot no longer lands on local day d: the evening quiet start."""
        if self._has_quiet():
            assert self.quiet_start is not None and self.quiet_end is not None
            if self.quiet_start > self.quiet_end:
                return self._at(d, self.quiet_start)
        return self._at(d + timedelta(days=1), time(0))

    def is_open(self, when: datetime) -> bool:
        """Whether a reminder may be sent at this instant."""
        return self.next_slot(when) == when
