"""/grant, /revoke and /people: admins hand out roles from chat. Every change is audited."""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.error import TelegramError

from bot import texts
from bot.context import BotContext
from bot.domain.enums import Role
from bot.handlers.common import Caller, guard, reply_chunks, reply_unit_choice
from bot.menus import publish_user_menu
from bot.services.roles import (
    RoleError,
    find_person,
    grant_role,
    list_people,
    parse_role,
    revoke_role,
    target_user_id,
)
from bot.services.units import lookup_unit
from bot.views_people import person_label, render_people
from db.models import Unit


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
    async with context.services.sessions() as session:
        target = await target_user_id(session, args[0])
        found = await lookup_unit(session, unit_name) if unit_name else None
    if target is None:
        await caller.message.reply_html(texts.ROLE_UNKNOWN_PERSON.format(ref=texts.esc(args[0][:64])))
    elif found is not None and found.unit is None:
        await reply_unit_choice(caller.message, unit_name, found.candidates, "grant", extra=target)
    else:
        await grant_to(caller, context, target, role, found.unit.id if found and found.unit else None)


async def grant_to(caller: Caller, context: BotContext, target: int, role: Role, unit_id: int | None) -> None:
    """Give the role: after /grant, or after a tap on one of the units it offered (then unit contact)."""
    services = context.services
    async with services.sessions() as session:
        unit = await session.get(Unit, unit_id) if unit_id is not None else None
        try:
            person = await grant_role(
                session,
                target_user_id=target,
                role=role,
                unit=unit,
                actor=caller.user.id,
                now=services.clock.now(),
                config_admins=services.config.admins,
            )
        except RoleError as exc:
            await caller.message.reply_html(texts.ROLE_ERRORS[exc.key])
            return
        await session.commit()
        label = person_label(person.telegram_user_id, person.full_name, person.username)
    unit_part = texts.ROLE_GRANTED_UNIT.format(unit=texts.esc(unit.name)) if unit else ""
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
    services = context.services
    async with services.sessions() as session:
        person = await find_person(session, args[0])
        if person is None:
            await caller.message.reply_html(texts.ROLE_UNKNOWN_PERSON.format(ref=texts.esc(args[0][:64])))
            return
        old_role = person.role
        try:
            await revoke_role(
                session,
                target_user_id=person.telegram_user_id,
                actor=caller.user.id,
                now=services.clock.now(),
                config_admins=services.config.admins,
            )
        except RoleError as exc:
            await caller.message.reply_html(texts.ROLE_ERRORS[exc.key])
            return
        await session.commit()
        target, label = (
            person.telegram_user_id,
            person_label(person.telegram_user_id, person.full_name, person.username),
        )
    role_text = texts.ROLE_NAMES[old_role.value] if old_role else texts.NO_ROLE
    await caller.message.reply_html(texts.ROLE_REVOKED.format(role=role_text, person=label))
    await _notify(context, target, texts.ROLE_NOTIFY_REVOKED.format(role=role_text), None)


async def people_command(update: Update, context: BotContext) -> None:
    caller = await guard(update, context, "people")
    if caller is None:
        return
    async with context.services.sessions() as session:
        people = await list_people(session)
    await reply_chunks(caller.message, render_people(people, context.services.config.admins))
