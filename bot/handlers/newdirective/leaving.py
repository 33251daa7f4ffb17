"""/cancel, stale buttons, and the handlers this flow registers."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
)

from bot import texts
from bot.context import BotContext, DondocApp
from bot.handlers.newdirective.routing import route, start
from bot.handlers.newdirective.turn import PRIVATE_MESSAGE, answer
from bot.services.directives import (
    drop_intake,
)
from bot.services.uow import unit_of_work

# --- leaving --------------------------------------------------------------------------------------------


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel, anywhere: ends the sender's registration, running or timed out."""
    message, user = update.effective_message, update.effective_user
    had = False
    if user is not None:
        async with unit_of_work(context.services) as db:
            had = await drop_intake(db, user.id)
            await db.commit()
    if message is not None:
        await message.reply_html(texts.ND_CANCELLED if had else texts.ND_NOTHING_TO_CANCEL)


async def stale_button(update: Update, context: BotContext) -> None:
    """A /newdirective button pressed when no matching registration is running."""
    if update.callback_query is not None:
        await answer(update, texts.ND_STALE_BUTTON)


def routes() -> list[BaseHandler[Any, Any, Any]]:
    """For group GROUP: each loads the sender's registration and claims the update only if it runs."""
    return [MessageHandler(PRIVATE_MESSAGE, route), CallbackQueryHandler(route, pattern=r"^nd\|")]


def build(app: DondocApp) -> list[BaseHandler[Any, Any, Any]]:
    """For group 0, first: /newdirective starts or offers to resume; a button nobody claimed is stale."""
    return [CommandHandler("newdirective", start), CallbackQueryHandler(stale_button, pattern=r"^nd\|")]
