"""Bot-level fixtures: the real Application against the in-process fake Bot API."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import texts
from bot.clock import FakeClock
from bot.config import Config, UnitConfig, load_config
from fakeapi import FakeTelegram
from fakeapi.harness import Harness

ADMIN_ID = 100_000_001  # the first user the world creates
ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def directory_units() -> list[UnitConfig]:
    """The shipped provincial directory (config.yaml), read once per test session."""
    return load_config(ROOT / "config.yaml").units


@pytest.fixture
def clock() -> FakeClock:
    # Monday 23 Nov 2026, 09:00 in Hanoi.
    return FakeClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))


@pytest.fixture
def world(clock: FakeClock) -> FakeTelegram:
    return FakeTelegram(clock=clock.now)


@pytest.fixture
def config(db_url: str, tmp_path: Path) -> Config:
    return Config(database_url=db_url, admins=[ADMIN_ID], config_dir=tmp_path)


@pytest.fixture
async def harness(
    config: Config, world: FakeTelegram, clock: FakeClock, request: pytest.FixtureRequest
) -> AsyncIterator[Harness]:
    async with Harness.running(config, world, clock=clock) as h:
        yield h
    if request.node.get_closest_marker("handler_errors") is None:
        # A handler that crashed shows only as this apology to the user; a test must never miss one.
        shown = [str(c.params.get("text", "")) for c in world.calls]
        assert not any(t.startswith(texts.ERROR_GENERIC[:40]) for t in shown), "a handler crashed (see the log)"
