"""Tick-cost benchmark: prints one JSON line.

    python bench/tick.py [--assignments N] [--due K] [--runs R]

A SQLite database gets N assignments whose next reminder is a week away, then the planning half of
the tick (`plan_due`) is timed with nothing due (`idle_ms`, median of R runs) and with K assignments
due (`due_ms`, rolled back each run so every run sees the same work). The goal is idle_ms < 20 with
100,000 assignments: the select goes through the next_run_at index, so its cost follows the due work.

`loop_stall_max_ms`: with `--stall-due` (default 1,000) assignments due at once, the whole planning
half of the tick (`bot.jobs.plan_in_batches`, batches with a yield between them) runs while a probe
task asks for the loop every millisecond; it is the longest the probe waited beyond that. Goal < 100.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import insert, update  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker  # noqa: E402

from bot.config import Config  # noqa: E402
from bot.jobs.tick import plan_in_batches  # noqa: E402
from bot.services.reminders import plan_due  # noqa: E402
from db.migrate import upgrade_async  # noqa: E402
from db.models import Assignment, Directive, Duty, Unit  # noqa: E402
from db.session import make_engine, make_session_factory  # noqa: E402

GOAL_IDLE_MS = 20.0
GOAL_STALL_MS = 100.0
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


async def fill(sessions: async_sessionmaker[AsyncSession], n: int) -> None:
    units = 100
    duties = max(1, n // units)
    async with sessions() as s:
        await s.execute(
            insert(Unit),
            [{"code": f"u{i}", "name": f"Đơn vị {i}", "created_at": NOW, "updated_at": NOW} for i in range(units)],
        )
        await s.execute(insert(Directive), [{"title": "Bench", "created_at": NOW, "reminder_plan": None}])
        await s.execute(
            insert(Duty), [{"directive_id": 1, "position": i, "label": str(i), "text": "x"} for i in range(duties)]
        )
        later = NOW + timedelta(days=7)
        rows = [
            {
                "duty_id": d + 1,
                "unit_id": u + 1,
                "role": "lead",
                "next_run_at": later,
                "next_kind": "routine",
                "next_nominal": later,
                "created_at": NOW,
                "updated_at": NOW,
            }
            for d in range(duties)
            for u in range(units)
        ]
        for i in range(0, len(rows), 10_000):
            await s.execute(insert(Assignment), rows[i : i + 10_000])
        await s.commit()


async def _probe(stop: asyncio.Event, worst: list[float]) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        t0 = loop.time()
        await asyncio.sleep(0.001)
        worst[0] = max(worst[0], (loop.time() - t0 - 0.001) * 1000)


async def stall(sessions: async_sessionmaker[AsyncSession], config: Config, due: int) -> tuple[float, float]:
    """The longest loop stall while `due` assignments are planned, and the planning's wall time (ms)."""
    async with sessions() as s:
        await s.execute(update(Assignment).where(Assignment.id <= due).values(next_run_at=NOW, next_nominal=NOW))
        await s.commit()
    stop, worst = asyncio.Event(), [0.0]
    probe = asyncio.ensure_future(_probe(stop, worst))
    await asyncio.sleep(0.01)
    t0 = time.perf_counter()
    stats = await plan_in_batches(sessions, config, NOW)
    took = (time.perf_counter() - t0) * 1000
    stop.set()
    await probe
    assert stats.rows == due, stats
    return worst[0], took


async def main(n: int, due: int, runs: int, stall_due: int = 1000) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3")
        await upgrade_async(engine)
        sessions = make_session_factory(engine)
        config = Config(database_url="sqlite://", config_dir=Path(tmp))
        await fill(sessions, n)
        idle: list[float] = []
        for _ in range(runs):
            async with sessions() as s:
                t0 = time.perf_counter()
                stats = await plan_due(s, config, NOW)
                idle.append((time.perf_counter() - t0) * 1000)
                assert stats.rows == 0
                await s.rollback()
        busy: list[float] = []
        for _ in range(runs):
            async with sessions() as s:
                await s.execute(
                    update(Assignment).where(Assignment.id <= due).values(next_run_at=NOW, next_nominal=NOW)
                )
                t0 = time.perf_counter()
                stats = await plan_due(s, config, NOW, limit=due)
                busy.append((time.perf_counter() - t0) * 1000)
                assert stats.rows == due, stats
                await s.rollback()
        stall_ms, plan_all_ms = await stall(sessions, config, stall_due)
        await engine.dispose()
    idle_ms = statistics.median(idle)
    return {
        "bench": "tick",
        "assignments": n,
        "idle_ms": round(idle_ms, 2),
        "due": due,
        "due_ms": round(statistics.median(busy), 2),
        "goal_idle_ms": GOAL_IDLE_MS,
        "stall_due": stall_due,
        "plan_all_ms": round(plan_all_ms, 1),
        "loop_stall_max_ms": round(stall_ms, 1),
        "goal_loop_stall_ms": GOAL_STALL_MS,
        "ok": idle_ms < GOAL_IDLE_MS and stall_ms < GOAL_STALL_MS,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=100)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--stall-due", type=int, default=1000)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.assignments, args.due, args.runs, args.stall_due))))
