"""Reminder fan-out benchmark: prints one JSON line.

    python bench/fanout.py [--groups N]

N units (default 1,000) are each bound to a group of their own and have one pending ping (routine
reminders and assignment notices, alternately). One `dispatch` pass sends them through the real
Application's bot, with bot/app.py's rate limiter, to the fake Bot API behind Telegram's flood limits
(bot/fakeapi/limits.py: at most 30 messages in any 1 s window and 20 per group in any 60 s, else 429).
`seconds` is the wall time of the pass and `msgs_per_s` = messages_sent / seconds, reported against
the 30/s ceiling (for small N it can read above 30: the last window's messages all fit before it ends).
`http_429` counts the fake's refusals (each one also pauses PTB's limiter). The goal, on the default
1,000 groups, is at least 95 % of the ceiling with zero 429s and every ping sent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker  # noqa: E402

from bot.app import build_application, prepare_database  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.runtime.dispatch import dispatch  # noqa: E402
from db.models import Assignment, Directive, Duty, Ping, Unit, UnitChat  # noqa: E402
from fakeapi.limits import LimitedRequest, Limits  # noqa: E402
from fakeapi.world import FakeTelegram  # noqa: E402

CEILING = 30.0
GOAL_PCT = 95.0
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


async def fill(sessions: async_sessionmaker[AsyncSession], chat_ids: list[int]) -> None:
    """Unit i is bound to chat_ids[i] and has one open assignment with one pending ping."""
    later = NOW + timedelta(days=7)
    n = len(chat_ids)
    async with sessions() as s:
        await s.execute(
            insert(Unit),
            [{"code": f"u{i}", "name": f"Đơn vị {i}", "created_at": NOW, "updated_at": NOW} for i in range(n)],
        )
        await s.execute(
            insert(Directive),
            [{"number": "12/CT-UBND", "kind": "chỉ thị", "title": "Bench", "created_at": NOW, "reminder_plan": None}],
        )
        await s.execute(insert(Duty), [{"directive_id": 1, "position": 1, "label": "1", "text": "Báo cáo tiến độ."}])
        await s.execute(
            insert(UnitChat),
            [
                {"unit_id": i + 1, "chat_id": chat_id, "chat_title": f"Nhóm {i}", "chat_type": "group", "bound_at": NOW}
                for i, chat_id in enumerate(chat_ids)
            ],
        )
        await s.execute(
            insert(Assignment),
            [
                {
                    "duty_id": 1,
                    "unit_id": i + 1,
                    "role": "lead",
                    "next_run_at": later,
                    "next_kind": "routine",
                    "next_nominal": later,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for i in range(n)
            ],
        )
        await s.execute(
            insert(Ping),
            [
                {
                    "assignment_id": i + 1,
                    "kind": "routine" if i % 2 else "notice",
                    "scheduled_for": NOW,
                    "status": "pending",
                    "attempts": 0,
                    "created_at": NOW,
                }
                for i in range(n)
            ],
        )
        await s.commit()


async def ping_counts(sessions: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with sessions() as s:
        rows = (await s.execute(select(Ping.status, func.count()).group_by(Ping.status))).all()
    return {str(status): int(count) for status, count in rows}


async def main(groups: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        config = Config(database_url=f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", config_dir=Path(tmp))
        world = FakeTelegram()
        request = LimitedRequest(world)
        app = build_application(config, request, clock=FakeClock(NOW), token=world.token, scheduler=False)
        try:
            await prepare_database(app)
            chats = [world.group(f"Nhóm {i}", []) for i in range(groups)]
            await fill(app.bot_data.sessions, [c.id for c in chats])
            await app.initialize()
            t0 = time.perf_counter()
            stats = await dispatch(app.bot, app.bot_data)
            seconds = time.perf_counter() - t0
            counts = await ping_counts(app.bot_data.sessions)
            await app.shutdown()
        finally:
            await app.bot_data.engine.dispose()
    flood = request.flood
    rate = stats.sent_messages / seconds
    limits = Limits()
    pct = 100 * rate / CEILING
    return {
        "bench": "fanout",
        "groups": groups,
        "messages_sent": stats.sent_messages,
        "seconds": round(seconds, 2),
        "msgs_per_s": round(rate, 2),
        "ceiling": CEILING,
        "pct_of_ceiling": round(pct, 1),
        "goal_pct": GOAL_PCT,
        "http_429": flood.refused,
        "http_429_group": flood.refused_group,
        "pings_sent": counts.get("sent", 0),
        "retried_pings": stats.retried,
        "failed_pings": counts.get("failed", 0),
        "pending_pings": counts.get("pending", 0),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "fake_limits": f"<={limits.overall} msgs in any {limits.overall_period:g} s, "
        f"<={limits.group} per group in any {limits.group_period:g} s",
        "rate_limiter": type(app.bot.rate_limiter).__name__ if app.bot.rate_limiter else None,
        "ok": pct >= GOAL_PCT and flood.refused == 0 and counts.get("sent", 0) == groups,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=1000)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(max(1, args.groups))), ensure_ascii=False))
