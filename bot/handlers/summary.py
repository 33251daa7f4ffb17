"""/summary, /stats and /export: the weekly summary on demand, one unit's record, the Excel file."""

from __future__ import annotations

from datetime import date

from telegram import InputFile, Message, Update

from bot import texts
from bot.context import BotContext, BotServices
from bot.domain.enums import Role
from bot.domain.summary import Period
from bot.domain.textnorm import ascii_int, nfc
from bot.domain.vnperiods import parse_period
from bot.handlers.common import Caller, current_identity, guard, reply_unit_choice
from bot.runtime.summary_post import post_claimed, send_summary, showing, workbook_of, xlsx_name
from bot.services import uow
from bot.services.summary import (
    build_summary,
    claim_use_case,
    period_label,
    summary_use_case,
    unit_week_use_case,
    week_of,
)
from bot.services.units import lookup_unit
from bot.views.summary import decode_post, post_keyboard, render_unit_stats

_NAME_CHARS = 255  # a unit name's column size: the echo of an unknown name then fits in one message


def _today(services: BotServices) -> date:
    return services.clock.now().astimezone(services.config.tz).date()


def _period(words: list[str], today: date) -> Period | None:
    """The period the words name; this week when they name none."""
    if not words:
        return week_of(today)
    found = parse_period(" ".join(words), today)
    if found is None:
        return None
    start, end = found
    return Period(start, end, period_label(start, end))


def _directive_word(words: list[str], today: date) -> int | None:
    """The directive id the first word gives ("3", "#3"), if any. A bare number that starts a period
    ("6 tháng đầu năm") is the period's: only "#6 tháng đầu năm" names directive 6."""
    if not words:
        return None
    first = words[0]
    if not first.startswith("#") and _period(words, today) is not None:
        return None
    return ascii_int(first.removeprefix("#"))


async def _period_or_say(message: Message, words: list[str], today: date) -> Period | None:
    period = _period(words, today)
    if period is None:
        # Cut before escaping: a cut after it could split an entity such as &amp;.
        await message.reply_html(texts.SUMMARY_BAD_PERIOD.format(text=texts.esc(" ".join(words)[:100])))
    return period


async def summary_command(update: Update, context: BotContext) -> None:
    caller = await guard(update, context, "summary")
    if caller is None:
        return
    services = context.services
    today = _today(services)
    words = [nfc(w) for w in context.args or []]
    directive_id = _directive_word(words, today)
    if directive_id is not None:
        words = words[1:]
    period = await _period_or_say(caller.message, words, today)
    if period is None:
        return
    scoped = await uow.read(
        services.sessions, summary_use_case, services.config, period, today=today, directive_id=directive_id
    )
    if scoped is None:
        await caller.message.reply_html(texts.DETAIL_NOT_FOUND.format(id=directive_id))
        return
    staff = caller.ident.role in (Role.ADMIN, Role.SECRETARY)
    markup = post_keyboard(period) if staff and directive_id is None else None
    await send_summary(
        context.bot, caller.message.chat.id, scoped.summary, scoped.rows, services.config,
        scope_number=scoped.scope_number, markup=markup,
    )  # fmt: skip


async def post_button(update: Update, context: BotContext) -> None:
    """A secretary posts an on-demand summary to the channel; once per period, like the weekly one."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    services = context.services
    if (await current_identity(context, user.id)).role not in (Role.ADMIN, Role.SECRETARY):
        await query.answer(texts.strip_tags(texts.NEED_STAFF)[:190], show_alert=True)
        return
    span, channel = decode_post(query.data), services.config.summary.channel_id
    if span is None or channel is None:
        await query.answer(texts.BUTTON_STALE if span is None else texts.SUMMARY_NO_CHANNEL, show_alert=True)
        return
    period = Period(span[0], span[1], period_label(*span))
    row = await uow.write(services.sessions, claim_use_case, channel, period, services.clock.now())
    if row is None:
        await query.answer(texts.SUMMARY_ALREADY_POSTED.format(period=period.label), show_alert=True)
        return
    await query.answer()
    await post_claimed(context.bot, services, channel, period, row.id)
    if isinstance(query.message, Message):
        await query.message.reply_html(texts.SUMMARY_POSTED.format(period=texts.esc(period.label)))


async def stats_command(update: Update, context: BotContext) -> None:
    caller = await guard(update, context, "stats")
    if caller is None:
        return
    name = nfc(" ".join(context.args or [])).strip()[:_NAME_CHARS]
    if not name:
        await caller.message.reply_html(texts.STATS_USAGE)
        return
    found = await uow.read(context.services.sessions, lookup_unit, name)
    if found.unit is None:
        await reply_unit_choice(caller.message, name, found.candidates, "stats")
        return
    await stats_unit(caller, context, found.unit.id)


async def stats_unit(caller: Caller, context: BotContext, unit_id: int) -> None:
    """One unit's record this week: after /stats, or after a tap on one of the units it offered."""
    services = context.services
    today = _today(services)
    period = week_of(today)
    found = await uow.read(services.sessions, unit_week_use_case, services.config, unit_id, period, today=today)
    if found is None:
        await caller.message.reply_html(texts.UNIT_PICK_GONE)
        return
    unit_name, summary = found
    await caller.message.reply_html(render_unit_stats(unit_id, unit_name, period, summary))


async def export_command(update: Update, context: BotContext) -> None:
    caller = await guard(update, context, "export")
    if caller is None:
        return
    services = context.services
    today = _today(services)
    period = await _period_or_say(caller.message, [nfc(w) for w in context.args or []], today)
    if period is None:
        return
    async with showing(context.bot, caller.message.chat.id):
        summary, rows = await uow.read(services.sessions, build_summary, services.config, period, today=today)
        workbook = await workbook_of(summary, rows, services.config)
    await caller.message.reply_document(
        InputFile(workbook, filename=xlsx_name(summary)),
        caption=texts.EXPORT_CAPTION.format(period=texts.esc(period.label)),
    )
