"""/remind <directive id | all>: a secretary sends reminders now, with the same rules as the schedule."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.context import BotContext
from bot.dispatch import dispatch
from bot.domain.enums import DirectiveStatus
from bot.domain.textnorm import ascii_int, fold
from bot.handlers.common import guard
from bot.services.reminders import remind_now
from db.models import Directive


async def remind_command(update: Update, context: BotContext) -> None:
    caller = await guard(update, context, "remind")
    if caller is None:
        return
    arg = fold(" ".join(context.args or [])).lstrip("#")
    if arg in ("all", "tat ca", "tatca"):
        directive_id = None
    elif (number := ascii_int(arg)) is not None:
        directive_id = number
    else:
        await caller.message.reply_html(texts.REMIND_USAGE)
        return
    services = context.services
    async with services.sessions() as session:
        if directive_id is not None:
            directive = await session.get(Directive, directive_id)
            if directive is None or directive.status != DirectiveStatus.ACTIVE:
                await caller.message.reply_html(texts.REMIND_NO_DIRECTIVE.format(id=directive_id))
                return
        created = await remind_now(
            session, services.config, directive_id=directive_id, now=services.clock.now(), actor=caller.user.id
        )
        await session.commit()
    if not created:
        await caller.message.reply_html(texts.REMIND_NOTHING)
        return
    stats = await dispatch(context.bot, services)
    await caller.message.reply_html(
        texts.REMIND_DONE.format(n=created, messages=stats.sent_messages, waiting=stats.retried + stats.failed)
    )
