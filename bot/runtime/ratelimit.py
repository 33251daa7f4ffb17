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

Cluster share (`share(n)`, set by bot/cluster.py from the instances' heartbeats): each of n live
instances gets windows whose sum stays within Telegram's, e.g. 15 per 1.034 s each for two (14.5/s,
29/s together, never more than 30 in any second). Why not aiolimiter under the share: its bucket lets
a group take up to twice its 20/min in a strict minute window (the 33 × 429 per 1,000 measured before),
a restart must seed the windows with what the killed process sent (the `journal`, below), and the
share must change a window's size while calls wait in it.

The journal (data_dir/recent-sends.log) gets one line per send to a group, written before the send:
a process started after a kill seeds its group windows with the last minute's sends, instead of
meeting the 20/min limit blind.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

_Result = bool | dict[str, Any] | list[dict[str, Any]]
_MAX_GROUP_WINDOWS = 512
_TELEGRAM_OVERALL = 30  # in any second, for the whole bot token
_JOURNAL_MAX_BYTES = 256 * 1024


def shared_window(instances: int, overall: int = 29) -> tuple[int, float]:
    """(calls, seconds) for one of `instances`: at `overall`/instances per second, and never more
    than Telegram's 30 in any second for all of them together."""
    n = max(1, instances)
    if n == 1:
        return overall, 1.0
    calls = max(1, _TELEGRAM_OVERALL // n)
    return calls, max(1.0, calls * n / overall)


def shared_group_limit(instances: int, group: int = 19) -> int:
    return max(1, group // max(1, instances))


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

    def resize(self, limit: int, period: float) -> None:
        self.limit, self.period = limit, period
        self._times = deque(self._times, maxlen=limit)  # keeps the newest

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
        journal: Path | None = None,
    ) -> None:
        self._base = (overall, group)
        self._overall = _Window(overall, overall_period)
        self._group_limit = (group, group_period)
        self.instances = 1
        self._journal = journal
        self._journal_fd: int | None = None
        self._groups: dict[int | str, _Window] = {}
        self._max_retries = max_retries
        self._paused_until = 0.0

    async def initialize(self) -> None:
        """Seed the group windows with the sends of the last minute (a process killed just before)."""
        if self._journal is None:
            return
        try:
            self._journal.parent.mkdir(parents=True, exist_ok=True)
            lines = self._journal.read_text().splitlines() if self._journal.exists() else []
            self._journal_fd = os.open(self._journal, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError:
            return  # no journal: the windows start empty, as before
        wall, mono = time.time(), asyncio.get_running_loop().time()
        period = self._group_limit[1]
        recent = []
        for line in lines:
            parts = line.split()
            if len(parts) == 2 and wall - period < float(parts[0]) <= wall:
                key: int | str = int(parts[1]) if parts[1].lstrip("-").isdigit() else parts[1]
                self._group(key).mark(mono - (wall - float(parts[0])))
                recent.append(line)
        self._rewrite(recent)

    def _rewrite(self, lines: list[str]) -> None:
        assert self._journal is not None
        tmp = self._journal.with_suffix(".tmp")
        with contextlib.suppress(OSError):
            tmp.write_text("".join(line + "\n" for line in lines))
            os.replace(tmp, self._journal)
            if self._journal_fd is not None:
                os.close(self._journal_fd)
            self._journal_fd = os.open(self._journal, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def _note(self, key: int | str) -> None:
        """One line per send to a group, before the send; the page cache outlives a killed process."""
        if self._journal_fd is None:
            return
        try:
            os.write(self._journal_fd, f"{time.time():.3f} {key}\n".encode())
            if os.fstat(self._journal_fd).st_size > _JOURNAL_MAX_BYTES:
                assert self._journal is not None
                since = time.time() - self._group_limit[1]
                self._rewrite([ln for ln in self._journal.read_text().splitlines() if float(ln.split()[0]) > since])
        except (OSError, ValueError, IndexError):
            pass  # a full disk must not stop sending

    async def shutdown(self) -> None:
        if self._journal_fd is not None:
            os.close(self._journal_fd)
            self._journal_fd = None

    def share(self, instances: int) -> None:
        """Take this instance's part of the cluster's budget (bot/cluster.py calls it)."""
        if instances == self.instances:
            return
        self.instances = instances
        overall, group = self._base
        self._overall.resize(*shared_window(instances, overall))
        limit = shared_group_limit(instances, group)
        self._group_limit = (limit, self._group_limit[1])
        for window in self._groups.values():
            window.resize(limit, self._group_limit[1])

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
                if group is not None:
                    self._note(chat_id if isinstance(chat_id, int) else str(chat_id).lower())
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
