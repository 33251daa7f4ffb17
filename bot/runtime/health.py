"""Is the running bot alive? The database (a query round-trip), the scheduler's last tick (shared in
app_state, so any instance's tick counts) and Telegram (getMe through the configured base_url).

Shared by GET /health in webhook mode (bot/webhook.py) and `dondoc check --live` (bot/check.py).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot

from bot.clock import Clock
from bot.config import Config
from db.models import AppState

PROBE_TIMEOUT_S = 5.0
# A load balancer may poll /health every few seconds; Telegram need not hear getMe that often.
TELEGRAM_CACHE_S = 10.0
# The app_state row bot/jobs.py upserts on every tick.
TICK_STATE = "scheduler"
DEFAULT_API = "https://api.telegram.org/bot"


def stale_after_s(tick_seconds: int) -> int:
    """A tick older than this means no instance is ticking. Generous: a long fan-out delays the next tick."""
    return max(10 * tick_seconds, 300)


def one_line(exc: BaseException, *secrets: str) -> str:
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300] or type(exc).__name__
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


@dataclass(frozen=True)
class Probe:
    name: str
    ok: bool
    info: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class HealthReport:
    at: datetime
    probes: tuple[Probe, ...]

    @property
    def ok(self) -> bool:
        return all(p.ok for p in self.probes)

    def probe(self, name: str) -> Probe:
        return next(p for p in self.probes if p.name == name)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": self.ok, "at": self.at.isoformat()}
        for p in self.probes:
            out[p.name] = {"ok": p.ok, **p.info}
        return out


async def _read_last_tick(engine: AsyncEngine) -> datetime | None:
    async with engine.connect() as conn:
        # A plain read: no BEGIN IMMEDIATE, so a probe never waits for (or blocks) a writer.
        conn = await conn.execution_options(sqlite_deferred=True)
        value = await conn.scalar(select(AppState.value).where(AppState.key == TICK_STATE))
    raw = value.get("last_tick") if isinstance(value, dict) else None
    return datetime.fromisoformat(raw) if isinstance(raw, str) else None


def scheduler_probe(last: datetime | None, now: datetime, tick_seconds: int) -> Probe:
    limit = stale_after_s(tick_seconds)
    if last is None:
        return Probe("scheduler", False, {"last_tick": None, "stale_after_s": limit})
    age = max(0, round((now - last).total_seconds()))
    return Probe("scheduler", age <= limit, {"last_tick": last.isoformat(), "age_s": age, "stale_after_s": limit})


async def probe_storage(engine: AsyncEngine, now: datetime, tick_seconds: int) -> tuple[Probe, Probe]:
    """The database round-trip, and the scheduler's last tick read in that same query."""
    started = time.perf_counter()
    try:
        last = await asyncio.wait_for(_read_last_tick(engine), PROBE_TIMEOUT_S)
    except Exception as exc:
        error = "timeout" if isinstance(exc, TimeoutError) else one_line(exc)
        return Probe("database", False, {"error": error}), Probe("scheduler", False, {"error": "database unreachable"})
    latency = round((time.perf_counter() - started) * 1000)
    return Probe("database", True, {"latency_ms": latency}), scheduler_probe(last, now, tick_seconds)


async def probe_telegram(bot: Bot, api: str) -> Probe:
    started = time.perf_counter()
    try:
        me = await asyncio.wait_for(
            bot.get_me(
                read_timeout=PROBE_TIMEOUT_S,
                write_timeout=PROBE_TIMEOUT_S,
                connect_timeout=PROBE_TIMEOUT_S,
                pool_timeout=PROBE_TIMEOUT_S,
            ),
            PROBE_TIMEOUT_S + 1,
        )
    except Exception as exc:
        error = "timeout" if isinstance(exc, TimeoutError) else one_line(exc, bot.token)
        return Probe("telegram", False, {"api": api, "error": error})
    latency = round((time.perf_counter() - started) * 1000)
    return Probe("telegram", True, {"api": api, "bot": me.username, "latency_ms": latency})


def api_of(config: Config) -> str:
    """The Bot API address without the token, safe to print."""
    return config.telegram.base_url or DEFAULT_API


class LiveChecker:
    """Runs the three probes; the Telegram one is cached briefly (see TELEGRAM_CACHE_S)."""

    def __init__(self, *, bot: Bot, engine: AsyncEngine, config: Config, clock: Clock) -> None:
        self._bot = bot
        self._engine = engine
        self._config = config
        self._clock = clock
        self._telegram: tuple[float, Probe] | None = None
        self._lock = asyncio.Lock()

    async def _telegram_probe(self) -> Probe:
        async with self._lock:  # concurrent /health requests share one getMe
            now = time.monotonic()
            if self._telegram is not None and now - self._telegram[0] < TELEGRAM_CACHE_S:
                return self._telegram[1]
            probe = await probe_telegram(self._bot, api_of(self._config))
            self._telegram = (time.monotonic(), probe)
            return probe

    async def report(self) -> HealthReport:
        now = self._clock.now()
        (db, scheduler), telegram = await asyncio.gather(
            probe_storage(self._engine, now, self._config.reminders.tick_seconds), self._telegram_probe()
        )
        return HealthReport(at=now, probes=(db, scheduler, telegram))
