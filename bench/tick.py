"""Tick-cost benchmark: prints one JSON line.

    python bench/tick.py [--assignments N] [--due K] [--runs R]

A SQLite database gets N assignments whose next reminder is a week away, then the planning half of
the tick (`plan_due`) is timed with nothing due (`idle_ms`, median of R runs) and with K assignments
due (`due_ms`, rolled back each run so every run sees the same work). The goal is idle_ms < 20 with
100,000 assignments: the select goes through the next_run_at index, so its cost follows the due work.
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
from bot.services.reminders import plan_due  # noqa: E402
from db.migrate import upgrade_async  # noqa: E402
from db.models import Assignment, Directive, Duty, Unit  # noqa: E402
from db.session import make_engine, make_session_factory  # noqa: E402

GOAL_IDLE_MS = 20.0
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


async def main(n: int, due: int, runs: int) -> dict[str, object]:
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
        await engine.dispose()
    idle_ms = statistics.median(idle)
    return {
        "bench": "tick",
        "assignments": n,
        "idle_ms": round(idle_ms, 2),
        "due": due,
        "due_ms": round(statistics.median(busy), 2),
        "goal_idle_ms": GOAL_IDLE_MS,
        "ok": idle_ms < GOAL_IDLE_MS,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=100)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.assignments, args.due, args.runs))))
