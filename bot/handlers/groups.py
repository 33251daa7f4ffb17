"""Groups: /invite links, binding through `startgroup`, the bot's own membership, and migrations."""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta
from typing import cast

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType, MessageLimit
from telegram.error import TelegramError
from telegram.ext import JobQueue
from telegram.helpers import create_deep_linked_url

from bot import texts
from bot.context import BotContext
from bot.handlers.common import Caller, guard, reply_unit_choice
from bot.runtime.dispatch import dispatch
from bot.runtime.notify import alert_admins
from bot.services import uow
from bot.services.bindings import (
    UnbindOutcome,
    Unbound,
    bind_use_case,
    deactivate_chat,
    invite_use_case,
    is_bound,
    migrate_chat,
    unbind_use_case,
)
from bot.services.units import lookup_unit
from bot.views.units import bind_refusal, bind_welcome

log = logging.getLogger("dondoc.groups")
_GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


async def invite_command(update: Update, context: BotContext) -> None:
    caller = await guard(update, context, "invite")
    if caller is None:
        return
    name = " ".join(context.args or [])[:255]
    if not name:
        await caller.message.reply_html(texts.INVITE_USAGE)
        return
    found = await uow.read(context.services.sessions, lookup_unit, name)
    if found.unit is None or not found.unit.active:
        await reply_unit_choice(caller.message, name, found.candidates, "invite")
        return
    await invite_unit(caller, context, found.unit.id)


async def invite_unit(caller: Caller, context: BotContext, unit_id: int) -> None:
    """The link for one unit: after /invite, or after a tap on one of the units it offered."""
    services = context.services
    ttl = timedelta(hours=services.config.invite_ttl_hours)
    now, actor = services.clock.now(), caller.user.id
    invite = await uow.write(services.sessions, invite_use_case, unit_id, actor=actor, now=now, ttl=ttl)
    if invite is None:
        await caller.message.reply_html(texts.UNIT_PICK_GONE)
        return
    link = create_deep_linked_url(services.bot_username, invite.token, group=True)
    expires = invite.expires_at.astimezone(services.config.tz).strftime("%H:%M %d/%m/%Y")
    await caller.message.reply_html(
        texts.INVITE_LINK.format(unit=texts.esc(invite.unit_name), expires=expires, link=texts.esc(link)),
        disable_web_page_preview=True,
    )


async def start_in_group(update: Update, context: BotContext) -> None:
    """`/start <token>` arrives when a group is added through an invite link."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if not context.args:
        await message.reply_html(texts.HELP_GROUP)
        return
    services, chat = context.services, message.chat
    _token_arrived(context, chat.id)
    token = context.args[0][: MessageLimit.DEEP_LINK_LENGTH]
    done = await uow.write(
        services.sessions, bind_use_case, token, chat_id=chat.id, chat_title=chat.title, chat_type=chat.type,
        actor=user.id, now=services.clock.now(), may_move_group=user.id in services.config.admins,
    )  # fmt: skip
    if done.binding is None:
        await message.reply_html(bind_refusal(done.refusal or "unknown", bound=done.bound))
        return
    await message.reply_html(bind_welcome(done.binding))
    # Notices that waited for this unit's group go out now.
    await dispatch(context.bot, services)


_OUT = (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED)
_TOKEN_SEEN = "bind_token_seen"  # chat_data flag: a link's /start came before the "bot added" update


def _hint_job_name(chat_id: int) -> str:
    return f"bindhint:{chat_id}"


def _token_arrived(context: BotContext, chat_id: int) -> None:
    """A link's /start answers for itself (welcome or refusal): the delayed "no link" hint must not follow."""
    if context.job_queue is not None:
        for job in context.job_queue.get_jobs_by_name(_hint_job_name(chat_id)):
            job.schedule_removal()
    if context.chat_data is not None:
        context.chat_data[_TOKEN_SEEN] = True


async def on_my_member(update: Update, context: BotContext) -> None:
    """Removed or banned: the binding goes inactive and the admins are told which unit is cut off."""
    change = update.my_chat_member
    if change is None or change.chat.type not in _GROUPS:
        return
    # Updates may be reordered (webhook connections): a /start seen first already answered.
    token_seen = context.chat_data.pop(_TOKEN_SEEN, False) if context.chat_data is not None else False
    if change.new_chat_member.status not in _OUT:
        if change.old_chat_member.status in _OUT and not token_seen:
            _hint_later(context, change.chat.id)
        return
    services = context.services
    now, actor = services.clock.now(), change.from_user.id
    units = await uow.write(services.sessions, deactivate_chat, change.chat.id, actor=actor, now=now)
    if not units:
        return
    alert = texts.ADMIN_ALERT_REMOVED.format(
        title=texts.esc(change.chat.title or change.chat.id), units=texts.esc(", ".join(u.name for u in units))
    )
    await alert_admins(context.bot, services.config, alert)
    log.warning("binding_lost chat=%s units=%s", change.chat.id, [u.code for u in units])


def _hint_later(context: BotContext, chat_id: int) -> None:
    """Added: an invite link's /start follows shortly; if none binds the group, say how to get one."""
    if context.job_queue is not None:
        # PTB types job_queue with an unbound type variable; the app is built with BotContext.
        jobs = cast("JobQueue[BotContext]", context.job_queue)
        delay = context.services.config.bind_hint_delay_s
        jobs.run_once(_hint_if_unbound, delay, chat_id=chat_id, name=_hint_job_name(chat_id))


async def _hint_if_unbound(context: BotContext) -> None:
    job = context.job
    if job is None or job.chat_id is None:
        return
    if not await uow.read(context.services.sessions, is_bound, job.chat_id):
        # The bot may have been removed again meanwhile; nothing to do then.
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(job.chat_id, texts.ADDED_WITHOUT_LINK)


async def unbind_command(update: Update, context: BotContext) -> None:
    """/unbind in a group detaches that group; /unbind <unit> in private detaches the unit's group."""
    caller = await guard(update, context, "unbind")
    if caller is None:
        return
    chat = caller.message.chat
    name = " ".join(context.args or [])[:255]
    in_group = chat.type in _GROUPS
    if not in_group and not name:
        await caller.message.reply_html(texts.UNBIND_USAGE)
        return
    svc = context.services
    done = await uow.write(
        svc.sessions, unbind_use_case, chat_id=chat.id if in_group else None, unit_name=name,
        actor=caller.user.id, now=svc.clock.now(),
    )  # fmt: skip
    if done.outcome != UnbindOutcome.DONE:
        await caller.message.reply_html(_unbind_refusal(done, name))
        return
    group_id, title, unit_name = done.group_id, done.title, done.unit_name
    await caller.message.reply_html(texts.UNBIND_DONE.format(title=texts.esc(title), unit=texts.esc(unit_name)))
    if not in_group:
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(group_id, texts.UNBIND_GROUP_NOTICE.format(unit=texts.esc(unit_name)))


def _unbind_refusal(done: Unbound, name: str) -> str:
    if done.outcome == UnbindOutcome.GROUP_NOT_BOUND:
        return texts.UNBIND_GROUP_NOT_BOUND
    if done.outcome == UnbindOutcome.UNKNOWN_UNIT:
        return texts.INVITE_UNKNOWN_UNIT.format(name=texts.esc(name), hints="")
    return texts.UNBIND_NOT_BOUND.format(unit=texts.esc(done.unit_name))


async def on_migrate(update: Update, context: BotContext) -> None:
    """A group upgraded to a supergroup keeps its binding under the new id (both service messages work)."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    moved = await uow.write(context.services.sessions, migrate_chat, old, new, now=context.services.clock.now())
    if moved:
        log.info("binding_migrated old=%s new=%s", old, new)
