"""The sliding-window limiter never lets more than its limits through in any window."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.error import RetryAfter

from bot.ratelimit import WindowRateLimiter


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
