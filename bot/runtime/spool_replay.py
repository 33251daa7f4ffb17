"""Keep an update the database could not store, tell the person the truth, and store it later.

The error handler calls `on_storage_fault` when a handler failed on a storage fault
(bot/spool.py): the raw update goes into the local spool and the person is told "not saved yet,
it will be saved by itself" (or, when the spool cannot take it, "please send it again"). A
background task replays the spool in order through the same handlers once the database answers;
and before a chat with spooled updates is served again, its spool is replayed first, so a unit's
later answer never lands before its earlier one.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging

from telegram import ReplyParameters, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot import texts
from bot.context import BotContext, DondocApp
from bot.runtime.spool import Spool

log = logging.getLogger("dondoc.spool")

_EXTRA = "spool"
GATE_GROUP = -90  # after the flood guard (-100), before everything that touches the database
_MAX_BACKOFF_S = 15.0
# While a spooled update is replayed: set to [True] by the error handler when storage failed again.
_replaying: contextvars.ContextVar[list[bool] | None] = contextvars.ContextVar("dondoc_replaying", default=None)


class Replayer:
    def __init__(self, app: DondocApp, spool: Spool) -> None:
        self.app = app
        self.spool = spool
        self.lock = asyncio.Lock()
        self.wake = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    def keep(self, update: Update) -> bool:
        kept = self.spool.append(update.to_dict())
        if kept:
            self.wake.set()
        return kept

    async def replay(self) -> bool:
        """Replay every pending record in order; False at the first one storage still refuses."""
        async with self.lock:
            for offset, data in list(self.spool.records):
                failed = [False]
                token = _replaying.set(failed)
                try:
                    await self.app.process_update(Update.de_json(data, self.app.bot))
                finally:
                    _replaying.reset(token)
                if failed[0]:
                    return False
                self.spool.done(offset)  # a bug in a handler does not count: it would never end
                log.info("event=spool_replayed update_id=%s left=%s", data.get("update_id"), len(self.spool.records))
        return True

    async def run(self) -> None:
        backoff = 1.0
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), backoff)
            self.wake.clear()
            if not self.spool.records:
                backoff = 1.0
                continue
            try:
                ok = await self.replay()
            except Exception:  # the spool stays; the next round tries again
                log.exception("event=spool_replay_failed")
                ok = False
            backoff = 1.0 if ok else min(backoff * 2, _MAX_BACKOFF_S)


def _replayer(app: DondocApp) -> Replayer | None:
    found = app.bot_data.extras.get(_EXTRA)
    return found if isinstance(found, Replayer) else None


async def start(app: DondocApp) -> None:
    """Open the spool in data_dir and start the replay task (post_init)."""
    data_dir = app.bot_data.config.resolved_data_dir
    with contextlib.suppress(OSError):
        data_dir.mkdir(parents=True, exist_ok=True)
    spool = Spool(data_dir / "spool.bin")
    if not spool.open():
        return
    replayer = app.bot_data.extras[_EXTRA] = Replayer(app, spool)
    if spool.records:
        log.warning("event=spool_pending count=%s", len(spool.records))
    replayer.task = asyncio.get_running_loop().create_task(replayer.run(), name="spool-replay")


async def stop(app: DondocApp) -> None:
    replayer = _replayer(app)
    if replayer is None:
        return
    if replayer.task is not None:
        replayer.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await replayer.task
    replayer.spool.close()
    del app.bot_data.extras[_EXTRA]


async def _gate(update: Update, context: BotContext) -> None:
    """A chat with spooled updates gets them stored first; if storage still fails, this update is
    spooled behind them, unhandled, so the order holds."""
    replayer = _replayer(context.application)  # type: ignore[arg-type]
    chat = update.effective_chat
    if replayer is None or chat is None or _replaying.get() is not None or chat.id not in replayer.spool.chats():
        return
    if await replayer.replay():
        return
    await _tell(update, context, kept=replayer.keep(update))
    raise ApplicationHandlerStop


def register(app: DondocApp) -> None:
    app.add_handler(TypeHandler(Update, _gate), group=GATE_GROUP)


async def on_storage_fault(update: Update | None, context: BotContext) -> None:
    """Called by the error handler for a storage fault."""
    flag = _replaying.get()
    if flag is not None:
        flag[0] = True  # still failing: the record stays, and the person was told already
        return
    if update is None:
        return
    replayer = _replayer(context.application)  # type: ignore[arg-type]
    kept = replayer is not None and replayer.keep(update)
    log.warning("event=storage_fault update_id=%s spooled=%s error=%r", update.update_id, kept, context.error)
    await _tell(update, context, kept=kept)


async def _tell(update: Update, context: BotContext, *, kept: bool) -> None:
    try:
        if update.callback_query is not None:
            alert = texts.STORE_DEFERRED_ALERT if kept else texts.STORE_FAILED_ALERT
            await update.callback_query.answer(alert, show_alert=True)
        elif update.effective_chat is not None:
            text = texts.STORE_DEFERRED if kept else texts.STORE_FAILED_RESEND
            message = update.effective_message
            reply = ReplyParameters(message.message_id, allow_sending_without_reply=True) if message else None
            await context.bot.send_message(update.effective_chat.id, text, reply_parameters=reply)
    except TelegramError as exc:
        log.warning("event=storage_fault_untold update_id=%s error=%s", update.update_id, exc)
