"""/remind <directive id | all>: a secretary sends reminders now, with the same rules as the schedule."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.context import BotContext
from bot.domain.textnorm import ascii_int, fold
from bot.handlers.common import guard
from bot.runtime.dispatch import dispatch
from bot.services import uow
from bot.services.reminders import remind_use_case


async def remind_command(update: Update, context: BotContext) -> None:
    caller = await guard(update, context, "remind")
    if caller is None:
        return
    arg = fold(" ".join(context.args or [])).lstrip("#")
    everything = arg in ("all", "tat ca", "tatca")
    directive_id = None if everything else ascii_int(arg)
    if not everything and directive_id is None:
        await caller.message.reply_html(texts.REMIND_USAGE)
        return
    svc = context.services
    now, actor = svc.clock.now(), caller.user.id
    created = await uow.write(
        svc.sessions, remind_use_case, svc.config, directive_id=directive_id, now=now, actor=actor
    )
    if created is None:
        await caller.message.reply_html(texts.REMIND_NO_DIRECTIVE.format(id=directive_id))
        return
    if not created:
        await caller.message.reply_html(texts.REMIND_NOTHING)
        return
    stats = await dispatch(context.bot, svc)
    await caller.message.reply_html(
        texts.REMIND_DONE.format(n=created, messages=stats.sent_messages, waiting=stats.retried + stats.failed)
    )
