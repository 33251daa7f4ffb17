"""One rate budget for the cluster: each live instance takes its share of Telegram's 30 messages/s.

Every instance upserts a heartbeat row (`app_state`, key `instance:<id>`) every HEARTBEAT_S and counts
the rows fresher than LIVE_S; the rate limiter then paces this instance to its share
(WindowRateLimiter.share). A killed instance's row counts for up to LIVE_S more, so the survivors and
its successor run at the smaller share meanwhile: a safe start. A new instance is seen by the others
within HEARTBEAT_S; until then it sends at most one message a second, so the sum stays within 30/s.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.context import BotServices, DondocApp
from bot.runtime.ratelimit import WindowRateLimiter
from db.models import AppState

log = logging.getLogger("dondoc.cluster")

HEARTBEAT_S = 5.0
LIVE_S = 15.0
_PREFIX = "instance:"
_EXTRA = "cluster"


async def beat(services: BotServices, instance: str, now: datetime) -> int:
    """Record this instance alive; return how many are (itself included)."""
    async with services.sessions() as session:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        values = {"key": _PREFIX + instance, "value": {"at": now.isoformat()}, "updated_at": now}
        stmt = insert(AppState).values(**values)
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=[AppState.key], set_={"value": values["value"], "updated_at": now}
            )
        )
        stale = AppState.key.startswith(_PREFIX) & (AppState.updated_at < now - timedelta(hours=1))
        await session.execute(delete(AppState).where(stale))
        live = await session.scalar(
            select(func.count())
            .select_from(AppState)
            .where(AppState.key.startswith(_PREFIX), AppState.updated_at >= now - timedelta(seconds=LIVE_S))
        )
        await session.commit()
    return max(1, int(live or 1))


def _instance_id(data_dir: Path) -> tuple[str, int | None]:
    """The same id across restarts of one data_dir, so a restart takes over its own heartbeat row
    instead of counting its killed predecessor as a peer; a fresh id when another live process holds
    this data_dir (its flock)."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(data_dir / "instance.lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return uuid.uuid4().hex[:12], None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return uuid.uuid4().hex[:12], None
    known = os.pread(fd, 64, 0).decode(errors="ignore").strip()
    if not known:
        known = uuid.uuid4().hex[:12]
        with contextlib.suppress(OSError):
            os.pwrite(fd, known.encode(), 0)
    return known, fd


class ClusterShare:
    def __init__(self, services: BotServices, limiter: WindowRateLimiter) -> None:
        self.services = services
        self.limiter = limiter
        self.instance, self._lock_fd = _instance_id(services.config.resolved_data_dir)
        self.task: asyncio.Task[None] | None = None

    async def first(self) -> None:
        """Before the first send: the others do not know this instance yet, so start slow if any."""
        live = await beat(self.services, self.instance, self.services.clock.now())
        self.limiter.share(live if live == 1 else live * 29)  # at most 1 message a second until seen

    async def run(self) -> None:
        await asyncio.sleep(HEARTBEAT_S)
        while True:
            try:
                self.limiter.share(await beat(self.services, self.instance, self.services.clock.now()))
            except Exception as exc:  # no database: keep the last share, try again
                log.warning("event=heartbeat_failed error=%r", exc)
            await asyncio.sleep(HEARTBEAT_S)


async def start(app: DondocApp) -> None:
    limiter = app.bot.rate_limiter
    if not isinstance(limiter, WindowRateLimiter):
        return
    share = app.bot_data.extras[_EXTRA] = ClusterShare(app.bot_data, limiter)
    try:
        await share.first()
    except Exception as exc:
        log.warning("event=heartbeat_failed error=%r", exc)
    share.task = asyncio.get_running_loop().create_task(share.run(), name="cluster-heartbeat")


async def stop(app: DondocApp) -> None:
    share = app.bot_data.extras.pop(_EXTRA, None)
    if not isinstance(share, ClusterShare):
        return
    if share.task is not None:
        share.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await share.task
    if share._lock_fd is not None:
        os.close(share._lock_fd)
