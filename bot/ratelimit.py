"""Pacing for Telegram's flood limits, read as sliding windows (as bot/fakeapi/limits.py enforces them).

PTB's AIORateLimiter paces with aiolimiter's leaky buckets, which allow a burst of `max_rate` on top of
the rate: up to 59 messages in the first second at 30/s, and it starts over after every pause. Against
a strict window that means 429s, and each one halts all sending (bench/fanout.py). This limiter admits
a call only while its windows have room, first come first served:

- every call with a chat_id: at most `overall` in any `overall_period` seconds (29 per second: one
  below Telegram's 30, so network jitter cannot push a 31st into a window);
- calls to a group or channel (negative chat_id or @username): at most `group` per `group_period`
  (19 per minute) for each chat.

A RetryAfter that still comes pauses every call for retry_after seconds; the call is then retried up
to `max_retries` times, as AIORateLimiter does.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

_Result = bool | dict[str, Any] | list[dict[str, Any]]
_MAX_GROUP_WINDOWS = 512


async def _sleep_until(deadline: float) -> None:
    wait = deadline - asyncio.get_running_loop().time()
    if wait > 0:
        await asyncio.sleep(wait)


class _Window:
    """At most `limit` calls in any `period` seconds. Hold `lock` from `room()` to `mark()`."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self.lock = asyncio.Lock()
        self._times: deque[float] = deque(maxlen=limit)

    async def room(self) -> None:
        if len(self._times) == self.limit:
            await _sleep_until(self._times[0] + self.period)

    def mark(self, now: float) -> None:
        self._times.append(now)  # maxlen drops the oldest

    def idle(self, now: float) -> bool:
        return not self.lock.locked() and (not self._times or self._times[-1] + self.period <= now)


class WindowRateLimiter(BaseRateLimiter[int]):
    def __init__(
        self,
        overall: int = 29,
        overall_period: float = 1.0,
        group: int = 19,
        group_period: float = 60.0,
        max_retries: int = 0,
    ) -> None:
        self._overall = _Window(overall, overall_period)
        self._group_limit = (group, group_period)
        self._groups: dict[int | str, _Window] = {}
        self._max_retries = max_retries
        self._paused_until = 0.0

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    def _group(self, key: int | str) -> _Window:
        if len(self._groups) > _MAX_GROUP_WINDOWS:
            now = asyncio.get_running_loop().time()
            for old in [k for k, w in self._groups.items() if k != key and w.idle(now)]:
                del self._groups[old]
        window = self._groups.get(key)
        if window is None:
            window = self._groups[key] = _Window(*self._group_limit)
        return window

    async def _admit(self, group: _Window | None) -> None:
        """Wait for room in the group's window, then in the overall one; count the call in both."""
        loop = asyncio.get_running_loop()
        async with group.lock if group is not None else contextlib.nullcontext():
            if group is not None:
                await group.room()
            async with self._overall.lock:
                await self._overall.room()
                await _sleep_until(self._paused_until)
                now = loop.time()
                self._overall.mark(now)
            if group is not None:
                group.mark(now)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, _Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> _Result:
        max_retries = rate_limit_args or self._max_retries
        chat_id = data.get("chat_id")
        group: _Window | None = None
        if isinstance(chat_id, str) and not chat_id.lstrip("-").isdigit():
            group = self._group(chat_id.lower())
        elif chat_id is not None and int(chat_id) < 0:
            group = self._group(int(chat_id))
        loop = asyncio.get_running_loop()
        for attempt in range(max_retries + 1):
            if chat_id is not None:
                await self._admit(group)
            else:
                await _sleep_until(self._paused_until)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == max_retries:
                    raise
                value = exc.retry_after
                seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
                self._paused_until = max(self._paused_until, loop.time() + seconds + 0.1)
        raise AssertionError("unreachable")
