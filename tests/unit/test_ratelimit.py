"""The sliding-window limiter never lets more than its limits through in any window."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from telegram.error import RetryAfter

from bot.runtime.ratelimit import WindowRateLimiter, shared_group_limit, shared_window


def _max_in_window(times: list[float], period: float) -> int:
    return max(sum(1 for u in times if t <= u < t + period) for t in times)


async def _run(limiter: WindowRateLimiter, chat_ids: list[int]) -> list[float]:
    loop = asyncio.get_running_loop()
    times: list[float] = []

    async def call() -> bool:
        times.append(loop.time())
        return True

    await asyncio.gather(
        *(limiter.process_request(call, (), {}, "sendMessage", {"chat_id": c}, None) for c in chat_ids)
    )
    return times


async def test_overall_window_holds_under_concurrency() -> None:
    limiter = WindowRateLimiter(overall=10, overall_period=0.2, group=100, group_period=1.0)
    times = await _run(limiter, list(range(1, 36)))
    assert len(times) == 35
    assert _max_in_window(times, 0.2 - 1e-3) <= 10


async def test_group_window_is_per_chat() -> None:
    limiter = WindowRateLimiter(overall=1000, overall_period=1.0, group=3, group_period=0.3)
    times = await _run(limiter, [-1] * 7 + [-2] * 3)
    assert len(times) == 10
    # the other group is not held back by the busy one
    assert sorted(times)[2] - min(times) < 0.1


async def test_retry_after_is_retried_then_raised() -> None:
    limiter = WindowRateLimiter(max_retries=1)
    attempts: list[int] = []

    async def flaky(**_: Any) -> bool:
        attempts.append(1)
        if len(attempts) == 1:
            raise RetryAfter(0)
        return True

    assert await limiter.process_request(flaky, (), {}, "sendMessage", {"chat_id": 5}, None) is True
    assert len(attempts) == 2


def test_cluster_share_never_exceeds_telegrams_30_in_any_second() -> None:
    assert shared_window(1) == (29, 1.0)
    for n in range(2, 9):
        calls, period = shared_window(n)
        assert period >= 1.0 and calls * n <= 30  # any second holds at most `calls` per instance
        assert n * calls / period >= 28 if n <= 3 else n * calls / period > 0
    assert shared_group_limit(2) * 2 <= 19


async def test_a_restart_seeds_the_group_windows_from_the_journal(tmp_path: Path) -> None:
    journal = tmp_path / "recent-sends.log"
    old = time.time() - 120
    journal.write_text(f"{old:.3f} -100\n" + "".join(f"{time.time() - 1:.3f} -100\n" for _ in range(19)))
    limiter = WindowRateLimiter(journal=journal)
    await limiter.initialize()
    assert len(journal.read_text().splitlines()) == 19  # the line older than a minute is dropped
    window = limiter._group(-100)
    waited = asyncio.ensure_future(window.room())
    await asyncio.sleep(0.05)
    assert not waited.done()  # the 20th message to that group waits for the killed process's minute
    waited.cancel()
    await limiter.shutdown()
