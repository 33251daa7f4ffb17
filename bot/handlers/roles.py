"""/grant, /revoke and /people: admins hand out roles from chat. Every change is audited."""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.error import TelegramError

from bot import texts
from bot.context import BotContext
from bot.domain.enums import Role
from bot.handlers.common import Caller, guard, reply_chunks, reply_unit_choice
from bot.runtime.menus import publish_user_menu
from bot.services import uow
from bot.services.roles import RoleError, grant_lookup, grant_use_case, list_people, parse_role, revoke_use_case
from bot.views.people import person_label, render_people


async def _notify(context: BotContext, user_id: int, html: str, role: Role | None) -> None:
    await publish_user_menu(context.bot, user_id, role)
    # The person may never have opened the bot: Telegram then refuses, and the grant still stands.
    with contextlib.suppress(TelegramError):
        await context.bot.send_message(user_id, html)


def _split_role(words: list[str]) -> tuple[Role | None, list[str]]:
    """The role named by the first one to three words ("thư ký", "đầu mối đơn vị"), and what follows."""
    for n in (3, 2, 1):
        if len(words) >= n and (role := parse_role(" ".join(words[:n]))) is not None:
            return role, words[n:]
    return None, words


async def grant_command(update: Update, context: BotContext) -> None:
    caller = await guard(update, context, "grant")
    if caller is None:
        return
    args = context.args or []
    role, rest = _split_role(args[1:])
    if not args or role is None:
        await caller.message.reply_html(texts.GRANT_USAGE)
        return
    unit_name = " ".join(rest)[:255] if role == Role.UNIT_CONTACT else ""
    target, found = await uow.read(context.services.sessions, grant_lookup, args[0], unit_name)
    if target is None:
        await caller.message.reply_html(texts.ROLE_UNKNOWN_PERSON.format(ref=texts.esc(args[0][:64])))
    elif found is not None and found.unit is None:
        await reply_unit_choice(caller.message, unit_name, found.candidates, "grant", extra=target)
    else:
        await grant_to(caller, context, target, role, found.unit.id if found and found.unit else None)


async def grant_to(caller: Caller, context: BotContext, target: int, role: Role, unit_id: int | None) -> None:
    """Give the role: after /grant, or after a tap on one of the units it offered (then unit contact)."""
    svc = context.services
    try:
        done = await uow.write(
            svc.sessions, grant_use_case, target=target, role=role, unit_id=unit_id,
            actor=caller.user.id, now=svc.clock.now(), config_admins=svc.config.admins,
        )  # fmt: skip
    except RoleError as exc:
        await caller.message.reply_html(texts.ROLE_ERRORS[exc.key])
        return
    label = person_label(done.user_id, done.full_name, done.username)
    unit_part = texts.ROLE_GRANTED_UNIT.format(unit=texts.esc(done.unit_name)) if done.unit_name else ""
    role_text = texts.ROLE_NAMES[role.value]
    await caller.message.reply_html(texts.ROLE_GRANTED.format(role=role_text, unit=unit_part, person=label))
    await _notify(context, target, texts.ROLE_NOTIFY_GRANTED.format(role=role_text, unit=unit_part), role)


async def revoke_command(update: Update, context: BotContext) -> None:
    caller = await guard(update, context, "revoke")
    if caller is None:
        return
    args = context.args or []
    if len(args) != 1:
        await caller.message.reply_html(texts.REVOKE_USAGE)
        return
    svc = context.services
    try:
        done = await uow.write(
            svc.sessions, revoke_use_case, ref=args[0], actor=caller.user.id, now=svc.clock.now(),
            config_admins=svc.config.admins,
        )  # fmt: skip
    except RoleError as exc:
        await caller.message.reply_html(texts.ROLE_ERRORS[exc.key])
        return
    if done is None:
        await caller.message.reply_html(texts.ROLE_UNKNOWN_PERSON.format(ref=texts.esc(args[0][:64])))
        return
    target, old_role = done.user_id, done.role
    label = person_label(done.user_id, done.full_name, done.username)
    role_text = texts.ROLE_NAMES[old_role.value] if old_role else texts.NO_ROLE
    await caller.message.reply_html(texts.ROLE_REVOKED.format(role=role_text, person=label))
    await _notify(context, target, texts.ROLE_NOTIFY_REVOKED.format(role=role_text), None)


async def people_command(update: Update, context: BotContext) -> None:
    caller = await guard(update, context, "people")
    if caller is None:
        return
    people = await uow.read(context.services.sessions, list_people)
    await reply_chunks(caller.message, render_people(people, context.services.config.admins))
