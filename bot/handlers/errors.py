"""The one error handler: log with context, tell the user in Vietnamese, never leak internals."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError

from bot import texts
from bot.context import BotContext
from bot.handlers.common import is_stale_query
from bot.runtime.spool import is_storage_fault
from bot.runtime.spool_replay import on_storage_fault

log = logging.getLogger("dondoc.errors")


async def on_error(update: object, context: BotContext) -> None:
    err = context.error
    upd = update if isinstance(update, Update) else None
    if isinstance(err, BadRequest) and is_stale_query(err):
        # A press redelivered after a restart: too old to answer, and nothing else to say.
        log.info("event=stale_callback update_id=%s", upd.update_id if upd else None)
        return
    if err is not None and is_storage_fault(err):
        # Not stored: say so, and keep the update to store it once the database answers again.
        await on_storage_fault(upd, context)
        return
    log.error(
        "handler_error update_id=%s chat=%s error=%r",
        upd.update_id if upd else None,
        upd.effective_chat.id if upd and upd.effective_chat else None,
        err,
        exc_info=err,
    )
    if upd is not None and not isinstance(err, Forbidden):
        await _apologise(upd, context)


async def _apologise(upd: Update, context: BotContext) -> None:
    """One short Vietnamese line, never a traceback; a second failure to say it is only logged."""
    try:
        if upd.callback_query is not None:
            await upd.callback_query.answer(texts.ERROR_GENERIC[:190], show_alert=True)
        elif upd.effective_chat is not None:
            await context.bot.send_message(upd.effective_chat.id, texts.ERROR_GENERIC)
    except NetworkError:
        log.warning("could not tell user about error update_id=%s", upd.update_id)
