"""A round trip to Telegram for the fake Bot API: every call but getUpdates waits `seconds` first."""

from __future__ import annotations

import asyncio
from typing import Any

from fakeapi.world import FakeTelegram


def add_latency(world: FakeTelegram, seconds: float) -> None:
    call = world.call

    async def slow(method: str, params: dict[str, Any], files: Any = None) -> Any:
        if method != "getUpdates":
            await asyncio.sleep(seconds)
        return await call(method, params, files)

    world.call = slow  # type: ignore[method-assign]
