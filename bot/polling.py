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

from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

from bot import texts

log = logging.getLogger("dondoc.polling")

_MAX_BACKOFF_S = 30.0


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def poll(
    app: Application,  # type: ignore[type-arg]
    stop: asyncio.Event,
    *,
    allowed_updates: Sequence[str],
    poll_timeout: int,
) -> None:
    """Fetch, handle, then confirm, until `stop` is set; the update being handled is finished first."""
    offset: int | None = None
    backoff = 1.0
    while not stop.is_set():
        fetch = asyncio.ensure_future(
            app.bot.get_updates(
                offset=offset,
                timeout=poll_timeout,
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
            await app.process_update(update)
            offset = update.update_id + 1
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
            await poll(app, stop, allowed_updates=allowed_updates, poll_timeout=poll_timeout)
        finally:
            await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
    return True
