"""The live scenarios of bench/replies.py: replies go through the real polling loop (per-chat lanes).

- `hol`: the bot's limiter on, the fake enforcing Telegram's flood limits (LimitedRequest). One group
  sends 30 replies within 3 s while 20 other groups send one each. Reports the other groups'
  acknowledgement p99 and max, when the bursting group was fully acknowledged, the counted calls
  (sendMessage and editMessageText to groups) per reply, and the 429s.
- `latency`: 50 ms added to every Bot API call but getUpdates, limiter off; N replies over G groups
  queued at once. Replies/s until every one was acknowledged, and the acknowledgement p99.
- `burst`: a queued burst of 500 replies, no added latency, limiter off: drain rate and p99.

A reply's latency runs from queuing it in the fake world to the acknowledgement naming it (a grouped
acknowledgement names several: "📋 Đã ghi nhận N phản hồi"). `lost` counts replies without a stored
report or without an acknowledgement.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.app import ALLOWED_UPDATES, build_application, prepare_database
from bot.clock import FakeClock
from bot.config import Config
from bot.runtime.polling import poll
from bot.runtime.replyout import reply_out
from db.models import StatusReport
from fakeapi.harness import Harness
from fakeapi.limits import LimitedRequest
from fakeapi.request import FakeRequest
from fakeapi.world import FakeTelegram

_BATCH = re.compile(r"^📋 Đã ghi nhận (\d+) phản hồi")
ANSWERS = ("đã hoàn thành", "đang thực hiện 60%", "vướng: thiếu kinh phí", "đang triển khai 30%")


class Acks:
    """Times each reply from its queuing to the acknowledgement that names it, chat by chat, in order."""

    def __init__(self, world: FakeTelegram, latency: float = 0.0) -> None:
        self.queued: dict[int, deque[float]] = {}
        self.latencies: dict[int, list[float]] = {}
        self.last_at = 0.0
        self.counted = 0  # sendMessage and editMessageText to groups, accepted
        call = world.call

        async def watched(method: str, params: dict[str, Any], files: Any = None) -> Any:
            if latency and method != "getUpdates":
                await asyncio.sleep(latency)
            result = await call(method, params, files)
            chat = params.get("chat_id")
            if method in ("sendMessage", "editMessageText") and isinstance(chat, int) and chat < 0:
                self.counted += 1
            if method in ("sendMessage", "setMessageReaction") and isinstance(chat, int) and chat in self.queued:
                m = _BATCH.match(str(params.get("text", "")))
                self._named(chat, int(m.group(1)) if m else 1)
            return result

        world.call = watched  # type: ignore[method-assign]

    def queue(self, chat: int) -> None:
        self.queued.setdefault(chat, deque()).append(time.perf_counter())

    def _named(self, chat: int, n: int) -> None:
        now = time.perf_counter()
        waiting = self.queued[chat]
        for _ in range(min(n, len(waiting))):
            self.latencies.setdefault(chat, []).append((now - waiting.popleft()) * 1000)
        self.last_at = now

    def all(self) -> list[float]:
        return sorted(x for v in self.latencies.values() for x in v)

    def unacked(self) -> int:
        return sum(len(q) for q in self.queued.values())


def pct(values: list[float], q: float) -> float:
    return values[max(0, math.ceil(q / 100 * len(values)) - 1)] if values else float("nan")


@asynccontextmanager
async def live(url: str, tmp: Path, *, limited: bool, now: Any) -> AsyncIterator[tuple[Harness, Any]]:
    """The bot built as in production (limiter on when `limited`), polling the fake in the background."""
    clock = FakeClock(now)
    world = FakeTelegram(clock=clock.now)
    admin = world.user("Văn phòng")
    world.private(admin)
    config = Config(database_url=url, admins=[admin.id], config_dir=tmp)
    request = LimitedRequest(world) if limited else FakeRequest(world)
    app = build_application(config, request, clock=clock, token=world.token, rate_limit=limited, scheduler=False)
    await prepare_database(app)
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    stop = asyncio.Event()
    try:
        yield Harness(app, world), (admin, request, stop)
    finally:
        stop.set()
        await reply_out(app.bot, app.bot_data.extras).drain()
        await app.stop()
        await app.shutdown()
        await app.bot_data.engine.dispose()


def start_polling(h: Harness, stop: asyncio.Event) -> asyncio.Task[None]:
    return asyncio.ensure_future(poll(h.app, stop, allowed_updates=ALLOWED_UPDATES, poll_timeout=1))


async def stored(h: Harness) -> int:
    async with h.app.bot_data.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(StatusReport)) or 0)


async def wait_acked(acks: Acks, expected: int, seconds: float) -> None:
    for _ in range(int(seconds * 100)):
        if sum(len(v) for v in acks.latencies.values()) >= expected:
            return
        await asyncio.sleep(0.01)


async def hol(url: str, tmp: Path, setup: Any, now: Any) -> dict[str, Any]:
    async with live(url, tmp, limited=True, now=now) as (h, (admin, request, stop)):
        groups = await setup(h, 21, 1, 30 * 5, admin)
        acks = Acks(h.world)
        burst, others = groups[0], groups[1:]
        polling = start_polling(h, stop)
        t0 = time.perf_counter()
        for i in range(30):  # 30 replies within 3 s, the others' one each spread among them
            member = burst.members[i % len(burst.members)]
            h.world.send_text(member, burst.chat, f"{burst.codes[0]}. {ANSWERS[i % 4]}", reply_to=burst.notice)
            acks.queue(burst.chat.id)
            if i % 3 == 0 and i // 3 < len(others):
                g = others[i // 3]
                h.world.send_text(g.members[0], g.chat, f"{g.codes[0]}. đã hoàn thành", reply_to=g.notice)
                acks.queue(g.chat.id)
            await asyncio.sleep(0.1)
        for g in others[10:]:
            h.world.send_text(g.members[0], g.chat, f"{g.codes[0]}. đang thực hiện 50%", reply_to=g.notice)
            acks.queue(g.chat.id)
        await wait_acked(acks, 50, 90)
        burst_done = (acks.last_at - t0) if not acks.queued[burst.chat.id] else float("nan")
        stop.set()
        await polling
        other_ms = sorted(x for g in others for x in acks.latencies.get(g.chat.id, []))
        count = await stored(h)
        assert isinstance(request, LimitedRequest)
        return {
            "hol_others_p99_ms": round(pct(other_ms, 99), 1),
            "hol_others_max_ms": round(other_ms[-1], 1) if other_ms else None,
            "hol_burst_done_s": round(burst_done, 1),
            "telegram_calls_per_reply": round(acks.counted / 50, 2),
            "http_429": request.flood.refused,
            "hol_lost": max(0, 50 - count) + acks.unacked(),
        }


async def flood(url: str, tmp: Path, setup: Any, now: Any, *, replies: int, latency: float) -> dict[str, Any]:
    """`replies` replies over 200 groups queued at once; limiter off; `latency` added per call."""
    async with live(url, tmp, limited=False, now=now) as (h, (admin, _request, stop)):
        groups = await setup(h, 200, 1, replies, admin)
        acks = Acks(h.world, latency)
        for i in range(replies):
            g = groups[i % len(groups)]
            member = g.members[(i // len(groups)) % len(g.members)]
            h.world.send_text(member, g.chat, f"{g.codes[0]}. {ANSWERS[i % 4]}", reply_to=g.notice)
            acks.queue(g.chat.id)
        t0 = time.perf_counter()
        polling = start_polling(h, stop)
        await wait_acked(acks, replies, 120)
        seconds = acks.last_at - t0
        stop.set()
        await polling
        latencies = acks.all()
        count = await stored(h)
        return {
            "per_s": round(replies / seconds, 1),
            "p99_ms": round(pct(latencies, 99), 1),
            "lost": max(0, replies - count) + acks.unacked(),
        }
