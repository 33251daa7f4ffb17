"""Reminder slots for one assignment: routine cadence, pre-deadline, overdue and escalation.

Pure: `after`/`now` are passed in. Every datetime returned is aware UTC. A slot's `nominal`
time is its idempotency key; `send_at` is that time moved onto the working calendar.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.domain.enums import PingKind
from bot.domain.workcal import WorkCalendar

if TYPE_CHECKING:
    from bot.domain.settings import ReminderSettings

CRON_FIELDS = ("year", "month", "day", "week", "day_of_week", "hour", "minute", "second")
# When several slots fold into one, the kind that matters most wins.
_PRIORITY = {PingKind.ROUTINE: 0, PingKind.PRE_DEADLINE: 1, PingKind.OVERDUE: 2, PingKind.ESCALATION: 3}
_TICK = timedelta(microseconds=1)
_ROUTINE_WINDOWS = (timedelta(days=1), timedelta(days=8), timedelta(days=32), timedelta(days=367))


@dataclass(frozen=True)
class Slot:
    kind: PingKind
    nominal: datetime  # UTC; idempotency key (Ping.scheduled_for)
    send_at: datetime  # UTC; nominal moved onto a working slot


@dataclass(frozen=True)
class PlanRules:
    cron: dict[str, Any] | None  # CronTrigger fields in the local zone, or None
    before_days: tuple[int, ...]
    at: time
    overdue_every_days: int
    escalate_after_days: int

    @classmethod
    def from_plan(cls, plan: Mapping[str, Any] | None, defaults: ReminderSettings) -> PlanRules:
        plan = plan or {}
        at = defaults.at
        if "cron" in plan:
            cron = validate_cron(plan["cron"], at)
        else:
            cron = validate_cron({"day_of_week": defaults.day_of_week}, at)
        raw_days = plan.get("before_days")
        if raw_days is None:
            raw_days = defaults.before_deadline_days
        if not isinstance(raw_days, list | tuple) or not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in raw_days
        ):
            raise ValueError(f"before_days must be a list of non-negative whole days, got {raw_days!r}")
        if defaults.overdue_every_days < 1:
            raise ValueError("overdue_every_days must be at least 1")
        if defaults.escalate_after_days < 0:
            raise ValueError("escalate_after_days must not be negative")
        return cls(
            cron=cron,
            before_days=tuple(sorted(set(raw_days), reverse=True)),
            at=at,
            overdue_every_days=defaults.overdue_every_days,
            escalate_after_days=defaults.escalate_after_days,
        )


def validate_cron(cron: Any, at: time) -> dict[str, Any] | None:
    """Check plan cron fields; a cadence with no time of day fires at `at` rather than midnight."""
    if cron is None:
        return None
    if not isinstance(cron, Mapping) or not cron:
        raise ValueError(f"cron must be a non-empty mapping of CronTrigger fields, got {cron!r}")
    unknown = sorted(str(k) for k in cron if k not in CRON_FIELDS)
    if unknown:
        raise ValueError(f"unknown cron field(s) {', '.join(unknown)}; allowed: {', '.join(CRON_FIELDS)}")
    out: dict[str, Any] = {}
    for key, value in cron.items():
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError(f"cron field {key} must be a number or a string, got {value!r}")
        out[str(key)] = value
    dow = out.get("day_of_week")
    # APScheduler counts 0 = Monday, unlike crontab; names avoid an off-by-one-day.
    if dow is not None and any(ch.isdigit() for ch in str(dow)):
        raise ValueError(f"cron day_of_week must use day names (mon..sun), not numbers: {dow!r}")
    if not {"hour", "minute", "second"} & out.keys():
        out["hour"], out["minute"] = at.hour, at.minute
    try:
        CronTrigger(timezone=UTC, **out)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"invalid cron fields {out!r}: {exc}") from exc
    return out


@lru_cache(maxsize=256)
def _trigger(items: tuple[tuple[str, Any], ...], tz: ZoneInfo) -> CronTrigger:
    return CronTrigger(timezone=tz, **dict(items))


class _Plan:
    """The candidate slots of one assignment, by nominal time."""

    def __init__(self, rules: PlanRules, cal: WorkCalendar, deadline: date | None) -> None:
        self.rules = rules
        self.cal = cal
        self.tz = cal.tz
        self.deadline = deadline
        self.trigger = _trigger(tuple(sorted(rules.cron.items())), cal.tz) if rules.cron else None
        self.pre: list[tuple[datetime, PingKind]] = []
        self.pre_days: frozenset[date] = frozenset()
        if deadline is not None:
            days = sorted({deadline - timedelta(days=n) for n in rules.before_days})
            self.pre = [(self.at(d), PingKind.PRE_DEADLINE) for d in days]
            self.pre_days = frozenset(days)

    def at(self, d: date) -> datetime:
        return datetime.combine(d, self.rules.at, tzinfo=self.tz).astimezone(UTC)

    def local_day(self, when: datetime) -> date:
        return when.astimezone(self.tz).date()

    # -- routine --------------------------------------------------------------

    def routine_after(self, after: datetime) -> datetime | None:
        """Next routine fire > after, up to the deadline day, skipping days that have a pre-deadline ping."""
        if self.trigger is None:
            return None
        start = after + _TICK
        while True:
            fire: datetime | None = self.trigger.get_next_fire_time(None, start.astimezone(self.tz))
            if fire is None:
                return None
            day = self.local_day(fire)
            if self.deadline is not None and day > self.deadline:
                return None
            if day not in self.pre_days:
                return fire.astimezone(UTC)
            # Jump to the next local midnight so a busy cron cannot loop over one day.
            start = datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.tz)

    def routine_latest(self, lo: datetime, hi: datetime) -> datetime | None:
        """Latest routine fire in (lo, hi], searching near hi first so long downtimes stay cheap."""
        for window in (*_ROUTINE_WINDOWS, hi - lo):
            start = max(lo, hi - window)
            latest = None
            fire = self.routine_after(start)
            while fire is not None and fire <= hi:
                latest = fire
                fire = self.routine_after(fire)
            if latest is not None or start == lo:
                return latest
        return None

    # -- deadline-driven ------------------------------------------------------

    def overdue_k(self, when: datetime, *, strictly_after: bool) -> int:
        """Smallest k >= 1 whose overdue slot is > when (or >= when), by arithmetic, not by scanning."""
        assert self.deadline is not None
        every = self.rules.overdue_every_days
        k = max(1, (self.local_day(when) - self.deadline).days // every)
        while True:
            t = self.at(self.deadline + timedelta(days=k * every))
            if t > when or (not strictly_after and t == when):
                return k
            k += 1

    def deadline_after(self, after: datetime) -> Iterator[tuple[datetime, PingKind]]:
        """The next pre-deadline, overdue and escalation candidates > after."""
        if self.deadline is None:
            return
        yield from ((t, k) for t, k in self.pre if t > after)
        k = self.overdue_k(after, strictly_after=True)
        yield self.at(self.deadline + timedelta(days=k * self.rules.overdue_every_days)), PingKind.OVERDUE
        esc = self.escalation()
        if esc is not None and esc > after:
            yield esc, PingKind.ESCALATION

    def escalation(self) -> datetime | None:
        if self.deadline is None or self.rules.escalate_after_days <= 0:
            return None
        return self.at(self.deadline + timedelta(days=self.rules.escalate_after_days))

    def deadline_latest(self, lo: datetime, hi: datetime) -> Iterator[tuple[datetime, PingKind]]:
        """The latest pre-deadline and overdue candidates in (lo, hi], plus a missed escalation."""
        if self.deadline is None:
            return
        pre = [(t, k) for t, k in self.pre if lo < t <= hi]
        if pre:
            yield pre[-1]
        # The last overdue slot <= hi is the one before the first slot > hi.
        k = self.overdue_k(hi, strictly_after=True) - 1
        if k >= 1:
            t = self.at(self.deadline + timedelta(days=k * self.rules.overdue_every_days))
            if t > lo:
                yield t, PingKind.OVERDUE
        esc = self.escalation()
        if esc is not None and lo < esc <= hi:
            yield esc, PingKind.ESCALATION

    # -- slots ----------------------------------------------------------------

    def earliest(self, after: datetime) -> tuple[datetime, PingKind] | None:
        cands = list(self.deadline_after(after))
        routine = self.routine_after(after)
        if routine is not None:
            cands.append((routine, PingKind.ROUTINE))
        if not cands:
            return None
        # Same instant (escalation on an overdue day): the stronger kind wins.
        return min(cands, key=lambda c: (c[0], -_PRIORITY[c[1]]))

    def latest(self, lo: datetime, hi: datetime) -> tuple[datetime, PingKind] | None:
        """The latest candidate in (lo, hi], with the strongest kind found in that range."""
        cands = list(self.deadline_latest(lo, hi))
        routine = self.routine_latest(lo, hi)
        if routine is not None:
            cands.append((routine, PingKind.ROUTINE))
        if not cands:
            return None
        nominal = max(t for t, _ in cands)
        return nominal, _strongest(k for _, k in cands)

    def fold(self, nominal: datetime, kind: PingKind) -> Slot:
        """A slot, folded with every later one that would also be sent on the same local day.

        Weekends and Tết pile slots onto one morning, and a moved slot (07:00) can meet a
        regular one (08:00): the latest stands for all, with the strongest kind, so a unit
        gets one ping a day and the next search resumes after it.
        """
        send_at = self.cal.next_slot(nominal)
        close = self.cal.day_close(self.local_day(send_at))
        folded = self.latest(nominal, close - _TICK)
        if folded is not None:
            nominal, kind = folded[0], _strongest((kind, folded[1]))
            send_at = self.cal.next_slot(nominal)
        return Slot(kind=kind, nominal=nominal, send_at=send_at)


def _strongest(kinds: Iterable[PingKind]) -> PingKind:
    return max(kinds, key=_PRIORITY.__getitem__)


def _utc(when: datetime, name: str) -> datetime:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {when.isoformat()}")
    return when.astimezone(UTC)


def _next(plan: _Plan, after: datetime) -> Slot | None:
    first = plan.earliest(after)
    return None if first is None else plan.fold(*first)


def next_slot(rules: PlanRules, cal: WorkCalendar, *, deadline: date | None, after: datetime) -> Slot | None:
    """The next slot whose nominal time is strictly after `after`, or None when nothing is left."""
    return _next(_Plan(rules, cal, deadline), _utc(after, "after"))


def catch_up(
    rules: PlanRules, cal: WorkCalendar, *, deadline: date | None, last_run: datetime, now: datetime
) -> tuple[Slot | None, Slot | None]:
    """After downtime: one slot standing for every slot missed in (last_run, now], and the next future slot."""
    last_run, now = _utc(last_run, "last_run"), _utc(now, "now")
    plan = _Plan(rules, cal, deadline)
    future = _next(plan, now)
    missed = plan.latest(last_run, now) if now > last_run else None
    if missed is None:
        return None, future
    nominal, kind = missed
    catch = Slot(kind=kind, nominal=nominal, send_at=cal.next_slot(now))
    if future is not None and plan.local_day(future.send_at) == plan.local_day(catch.send_at):
        # Both would go out the same day: the future slot carries the missed one's kind too.
        return None, Slot(kind=_strongest((kind, future.kind)), nominal=future.nominal, send_at=future.send_at)
    return catch, future
