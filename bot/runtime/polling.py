"""Long polling that acknowledges an update to Telegram only once it has been handled.

PTB's Updater puts each batch from getUpdates in a queue and asks for the next batch at once, with
an offset that confirms the whole previous batch, while the Application is still working through
the queue. A process killed in that gap (SIGKILL, power loss, OOM) loses the queued updates:
Telegram has been told they were received and never sends them again. Here the next getUpdates,
which is what confirms, is only issued after every update of the batch went through
`Application.process_update` (and so was committed or answered). A crash now means redelivery,
which the handlers already make harmless (reports are unique by chat and message, buttons by
callback id), instead of loss.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Sequence
from contextlib import suppress

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

from bot import texts
from bot.runtime.lanes import ChatLanes
from bot.runtime.update_guard import MAX_CRASHES, UpdateJournal, set_aside

log = logging.getLogger("dondoc.polling")

_MAX_BACKOFF_S = 30.0
_REPOLL_S = 0.25


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


class _Intake:
    """What was fetched and is handled, or still being handled, above the confirmed offset.

    Each update goes to its chat's lane (bot/lanes.py): different chats are handled concurrently,
    one chat's in order, so a slow update (a document being read in its child process) holds only
    its own chat. The offset confirms only below the oldest unfinished update, so a kill still means
    redelivery, never loss; what was taken above it is skipped when Telegram hands it out again.
    (getUpdates returns at most 100: past 100 updates behind an unfinished one, new ones wait until
    it ends, at most extract_timeout_s.)
    """

    def __init__(self, app: Application, journal: UpdateJournal | None) -> None:  # type: ignore[type-arg]
        self.app = app
        self.journal = journal
        self.parked: dict[int, asyncio.Task[None]] = {}  # taken and not finished, by update_id
        self.lanes = ChatLanes(self._handle)
        self.next_offset: int | None = None

    def offset(self) -> int | None:
        return min(self.parked) if self.parked else self.next_offset

    async def take(self, update: Update) -> None:
        uid = update.update_id
        if self.next_offset is not None and uid < self.next_offset:
            return  # taken already: handed out again because something older is still unfinished
        await self.lanes.room()
        self.next_offset = max(self.next_offset or 0, uid + 1)
        # An update in flight when the process died may be innocent: others ran beside it. It runs
        # alone on its retry, so a second crash is its own before it is set aside.
        suspect = self.journal is not None and self.journal.crashes(uid) > 0
        if suspect:
            await self.lanes.drain()
        task = self.lanes.submit(update)
        self.parked[uid] = task
        task.add_done_callback(lambda _t: self.parked.pop(uid, None))
        if suspect:
            await asyncio.wait({task})
        await asyncio.sleep(0)  # let it start: an update that needs no I/O ends before the next is taken

    async def _handle(self, update: Update) -> None:
        uid = update.update_id
        if self.journal is not None:
            crashes = self.journal.crashes(uid)
            if crashes >= MAX_CRASHES:
                await set_aside(self.app, update, crashes)  # type: ignore[arg-type]
                self.journal.end(uid)
                return
            self.journal.begin(uid)
        try:
            await self.app.process_update(update)
        finally:  # an exception is not a crash: only a dead process leaves the id in the journal
            if self.journal is not None:
                self.journal.end(uid)

    async def settle(self, stop: asyncio.Event) -> None:
        """While something is unfinished: wait until half of it ended, or a moment, before asking
        Telegram again. Each ask hands back every unfinished update above the offset (up to 100),
        which PTB parses again: asking after every single completion would cost more than the work."""
        if not self.parked:
            return
        loop = asyncio.get_running_loop()
        target, deadline = len(self.parked) // 2, loop.time() + _REPOLL_S
        waiter = asyncio.ensure_future(stop.wait())
        while len(self.parked) > target and not stop.is_set() and (left := deadline - loop.time()) > 0:
            await asyncio.wait({*self.parked.values(), waiter}, timeout=left, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()

    async def drain(self) -> None:
        await self.lanes.drain()


async def poll(
    app: Application,  # type: ignore[type-arg]
    stop: asyncio.Event,
    *,
    allowed_updates: Sequence[str],
    poll_timeout: int,
    journal: UpdateJournal | None = None,
) -> None:
    """Fetch, handle, then confirm, until `stop` is set; the updates being handled are finished first."""
    intake = _Intake(app, journal)
    backoff = 1.0
    while not stop.is_set():
        await intake.settle(stop)
        if stop.is_set():
            break
        fetch = asyncio.ensure_future(
            app.bot.get_updates(
                offset=intake.offset(),
                # Something parked is handed out again at once: no long poll then.
                timeout=0 if intake.parked else poll_timeout,
                allowed_updates=list(allowed_updates),
                read_timeout=poll_timeout + 10,
            )
        )
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not fetch.done():  # stopping in the middle of a long poll: nothing was received
            fetch.cancel()
            with suppress(asyncio.CancelledError, Exception):
                await fetch
            break
        try:
            updates = fetch.result()
        except InvalidToken:
            raise
        except RetryAfter as exc:
            seconds = exc.retry_after if isinstance(exc.retry_after, int | float) else exc.retry_after.total_seconds()
            log.warning("event=poll_retry_after seconds=%s", seconds)
            await _wait(stop, float(seconds))
            continue
        except (Conflict, TimedOut, NetworkError) as exc:  # Conflict: a webhook or another poller
            log.warning("event=poll_error error=%s backoff_s=%.0f", type(exc).__name__, backoff)
            await _wait(stop, backoff)
            backoff = min(backoff * 2, _MAX_BACKOFF_S)
            continue
        backoff = 1.0
        for update in updates:
            if stop.is_set():
                break  # not confirmed: Telegram sends it again after the restart
            await intake.take(update)
    await intake.drain()  # bounded by the extraction time limit
    offset = intake.offset()
    if offset is not None:
        # Confirm what was handled, so a clean restart does not see it again (as PTB does on stop).
        with suppress(Exception):
            await app.bot.get_updates(offset=offset, timeout=0, limit=1, allowed_updates=list(allowed_updates))


class StartupError(Exception):
    """A start-up failure the operator can fix; str() is one line and never holds a secret."""


async def connect(app: Application, stop: asyncio.Event) -> bool:  # type: ignore[type-arg]
    """app.initialize() (its getMe checks the token), retried with backoff while Telegram is unreachable.

    Says so once on stderr. False when asked to stop before Telegram answered.
    """
    backoff, told = 1.0, False
    while True:
        try:
            await app.initialize()
            return True
        except InvalidToken:
            # PTB's message quotes the token: never print it.
            raise StartupError(texts.START_BAD_TOKEN) from None
        except (TimedOut, NetworkError) as exc:
            log.warning("event=connect_retry error=%s backoff_s=%.0f", type(exc).__name__, backoff)
            if not told:
                print(texts.START_NO_NETWORK, file=sys.stderr, flush=True)
                told = True
        await _wait(stop, backoff)
        if stop.is_set():
            return False
        backoff = min(backoff * 2, _MAX_BACKOFF_S)


async def run(app: Application, *, allowed_updates: Sequence[str], poll_timeout: int) -> bool:  # type: ignore[type-arg]
    """Initialise, start, poll until SIGINT or SIGTERM, then shut down cleanly, with PTB's hooks.

    False when stopped before Telegram could be reached (the caller exits non-zero).
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if not await connect(app, stop):
        return False
    try:
        if app.post_init is not None:
            await app.post_init(app)
        # Polling and a webhook exclude each other; pending updates are kept, never dropped.
        await app.bot.delete_webhook(drop_pending_updates=False)
        await app.start()
        try:
            config = app.bot_data.config
            data_dir = config.resolved_data_dir
            data_dir.mkdir(parents=True, exist_ok=True)
            journal = UpdateJournal(data_dir / "updates-in-flight.json")
            await poll(app, stop, allowed_updates=allowed_updates, poll_timeout=poll_timeout, journal=journal)
        finally:
            await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
    return True
