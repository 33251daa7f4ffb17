"""Telegram's flood limits for the fake Bot API: past a ceiling the call is refused with a 429.

Telegram documents its limits loosely ("avoid sending more than 30 messages per second", "no more than
20 messages per minute to the same group"). The fake reads them strictly, as sliding windows:

- Counted calls are those that post a message: `send*` (not sendChatAction), forwardMessage(s) and
  copyMessage(s), with a chat_id. Edits, getters and callback answers are never limited.
- Overall: a counted call arriving at t is refused when 30 counted calls were accepted in (t - 1 s, t].
- Per group: likewise with 20 in (t - 60 s, t], per chat_id that is negative or an @username.
- A refused call is not carried out and takes no room in any window. Its answer is Telegram's
  `429 Too Many Requests: retry after N` with parameters.retry_after = N, the whole seconds (at least 1)
  until the window that refused it has room again.

This is stricter than a token bucket of the same size: aiolimiter's AsyncLimiter(30, 1), which PTB's
AIORateLimiter uses, allows a burst of 30 and then 30/s, i.e. up to 59 calls in the first second.

`LimitedRequest` is a drop-in `FakeRequest` that applies `FloodControl` before the world sees the call;
refused calls are still recorded in `world.calls` (with `injected=True`), as injected faults are.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import RequestData

from fakeapi.faults import ApiError
from fakeapi.models import Call, JSONDict
from fakeapi.request import FakeRequest
from fakeapi.world import FakeTelegram

_MESSAGE_METHODS = frozenset({"forwardmessage", "forwardmessages", "copymessage", "copymessages"})


def is_counted(method: str) -> bool:
    """Whether `method` posts a message and so counts against the flood limits."""
    name = method.lower()
    return (name.startswith("send") and name != "sendchataction") or name in _MESSAGE_METHODS


def group_key(chat_id: object) -> int | str | None:
    """The per-group key of a chat_id: negative ids and @usernames are groups/channels; users are None."""
    if isinstance(chat_id, str) and chat_id.startswith("@"):
        return chat_id.lower()
    if isinstance(chat_id, int | str):
        with contextlib.suppress(ValueError):
            number = int(chat_id)
            return number if number < 0 else None
    return None


@dataclass(frozen=True)
class Limits:
    overall: int = 30
    overall_period: float = 1.0
    group: int = 20
    group_period: float = 60.0


class SlidingWindow:
    """At most `limit` events in any half-open window (t - period, t]."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self._times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until an event at `now` would fit (0: it fits now)."""
        while self._times and self._times[0] <= now - self.period:
            self._times.popleft()
        if len(self._times) < self.limit:
            return 0.0
        return self._times[len(self._times) - self.limit] + self.period - now

    def add(self, now: float) -> None:
        self._times.append(now)

    def __len__(self) -> int:
        return len(self._times)


@dataclass
class FloodControl:
    """Decides, call by call, whether Telegram would refuse it; counts what it accepted and refused."""

    limits: Limits = field(default_factory=Limits)
    clock: Callable[[], float] = time.monotonic
    accepted: int = 0
    refused_overall: int = 0
    refused_group: int = 0
    _overall: SlidingWindow = field(init=False, repr=False)
    _groups: dict[int | str, SlidingWindow] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._overall = SlidingWindow(self.limits.overall, self.limits.overall_period)

    @property
    def refused(self) -> int:
        """Every 429 answered."""
        return self.refused_overall + self.refused_group

    def check(self, method: str, chat_id: object) -> ApiError | None:
        """The 429 to answer, or None after counting the call as accepted."""
        if not is_counted(method) or chat_id is None:
            return None
        now = self.clock()
        key = group_key(chat_id)
        group = None
        if key is not None:
            group = self._groups.get(key)
            if group is None:
                group = self._groups[key] = SlidingWindow(self.limits.group, self.limits.group_period)
        group_wait = group.wait(now) if group is not None else 0.0
        overall_wait = self._overall.wait(now)
        if group_wait > 0 or overall_wait > 0:
            if group_wait > 0:
                self.refused_group += 1
            else:
                self.refused_overall += 1
            return ApiError.too_many(max(1, math.ceil(max(group_wait, overall_wait))))
        self._overall.add(now)
        if group is not None:
            group.add(now)
        self.accepted += 1
        return None


class LimitedRequest(FakeRequest):
    """`FakeRequest` behind Telegram's flood limits (see the module docstring)."""

    def __init__(
        self,
        world: FakeTelegram,
        *,
        flood: FloodControl | None = None,
        read_timeout: float | None = 5.0,
    ) -> None:
        super().__init__(world, read_timeout=read_timeout)
        self.flood = flood or FloodControl()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if "/file/bot" not in url:
            api_method = url.rsplit("/", 1)[-1]
            params: JSONDict = dict(request_data.parameters) if request_data is not None else {}
            error = self.flood.check(api_method, params.get("chat_id"))
            if error is not None:
                record = Call(method=api_method, params=params, at=self.world.now(), injected=True)
                record.error = error.as_call_error()
                self.world.calls.append(record)
                return error.error_code, error.body()
        return await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
