"""Every message and button of a running registration comes here first; /newdirective starts one."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import (
    ApplicationHandlerStop,
)

from bot import texts
from bot.context import BotContext
from bot.domain.draft import (
    Intake,
)
from bot.handlers.common import guard
from bot.handlers.newdirective.buttons import on_button
from bot.handlers.newdirective.steps import TEXT_STEPS, Upload, collect_document, read_upload
from bot.handlers.newdirective.turn import (
    COLLECT,
    PRIVATE_DOCUMENT,
    PRIVATE_TEXT,
    Turn,
    button,
    close,
    collect_keyboard,
    running,
    send_timeout,
)
from bot.services.directives import (
    load_intake,
    store_intake,
)
from bot.services.uow import unit_of_work

# --- routing: every message and button of a running registration comes here first ---------------------


async def route(update: Update, context: BotContext) -> None:
    """Hand the update to the sender's running registration and stop; without one, let it pass on."""
    user, chat, query = update.effective_user, update.effective_chat, update.callback_query
    message = query.message if query is not None else update.effective_message
    if user is None or chat is None or chat.type != ChatType.PRIVATE or not isinstance(message, Message):
        return
    services = context.services
    upload: Upload | None = None
    if query is None and PRIVATE_DOCUMENT.check_update(update) and await _collecting(context, user.id):
        # Downloading and reading a file is slow: done before the transaction, not inside it.
        upload = await read_upload(message, services.config)
    try:
        turn = await _act_locked(update, context, message, user.id, upload)
    except _NotOurs:
        return
    if turn is None:
        # As when a conversation times out: say so once; this update goes on to the other handlers.
        await send_timeout(context.bot, chat.id, services.config)
        return
    await turn.deliver()
    raise ApplicationHandlerStop


async def _act_locked(
    update: Update, context: BotContext, message: Message, user_id: int, upload: Upload | None
) -> Turn | None:
    """The registration's row, locked, acted on and stored in one transaction; None when it timed out.

    Raises ApplicationHandlerStop when there is nothing to do for it (none running, or a redelivery)."""
    services = context.services
    now = services.clock.now()
    async with unit_of_work(services) as db:
        stored = await load_intake(db, user_id, lock=True)
        if stored is None or not stored.intake.active:
            raise _NotOurs
        if not running(stored, now, services.config):
            stored.intake.active = False
            await store_intake(db, user_id, stored.intake, now=now)
            await db.commit()
            return None
        if update.update_id in stored.intake.applied:
            # Delivered again after a crash (polling confirms only handled updates): it was applied.
            raise ApplicationHandlerStop
        turn = Turn(db, stored.intake, message, update)
        await _step(turn, context, upload)
        await close(turn, user_id, now)
    return turn


class _NotOurs(Exception):
    """No registration is running for this user: the update goes on to the other handlers."""


async def _collecting(context: BotContext, user_id: int) -> bool:
    services = context.services
    async with unit_of_work(services) as db:
        await db.connection(execution_options={"sqlite_deferred": True})  # a read: no write lock
        stored = await load_intake(db, user_id)
    return (
        stored is not None and running(stored, services.clock.now(), services.config) and stored.intake.step == COLLECT
    )


async def _step(turn: Turn, context: BotContext, upload: Upload | None) -> None:
    update, step = turn.update, turn.intake.step
    if update.callback_query is not None:
        await on_button(turn, context)
    elif step == COLLECT and PRIVATE_DOCUMENT.check_update(update):
        await collect_document(turn, context, upload or await read_upload(turn.message, context.services.config))
    elif PRIVATE_TEXT.check_update(update):
        await TEXT_STEPS[step](turn, context)
    else:
        turn.reply(texts.ND_UNEXPECTED)


# --- entry -----------------------------------------------------------------------------------------


def _offer_resume(turn: Turn, old: Intake) -> None:
    """An unfinished registration: say what it holds, and offer to go on or start again."""
    draft = old.draft
    what = (
        (draft.number or draft.title or texts.ND_RESUME_DUTIES.format(n=len(draft.duties)))
        if draft
        else texts.ND_RESUME_PARTS.format(n=len(old.parts))
    )
    buttons = [button(texts.ND_BTN_RESUME, old, "resume"), button(texts.ND_BTN_RESTART, old, "restart")]
    markup = InlineKeyboardMarkup([buttons])
    turn.reply(texts.ND_RESUME.format(what=texts.esc(what)), markup)
    old.active = True  # running again, at the step it had reached


async def start(update: Update, context: BotContext) -> None:
    caller = await guard(update, context, "newdirective")
    if caller is None:
        return
    services = context.services
    async with unit_of_work(services) as db:
        stored = await load_intake(db, caller.user.id, lock=True)
        old = stored.intake if stored is not None else None
        if old is not None and update.update_id in old.applied:
            return  # delivered again after a crash: it was applied
        if old is not None and (old.parts or old.draft is not None):
            turn = Turn(db, old, caller.message, update)
            _offer_resume(turn, old)
        else:
            turn = Turn(db, Intake.new(), caller.message, update)
            turn.reply(texts.ND_START, collect_keyboard(turn.intake))
        await close(turn, caller.user.id, services.clock.now())
    await turn.deliver()
